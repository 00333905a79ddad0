import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from './cli.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
// ajv-formats is CommonJS: under ESM its function may arrive as the default export's default.
const formatsExport = addFormatsModule as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = formatsExport.default ?? formatsExport;

const SCHEMA_DIR = join(REPO_ROOT, 'schemas');

let ajv: Ajv2020 | undefined;

/**
 * One Ajv (strict, with formats) holding every file of schemas/ under its $id, so that a relative
 * `$ref` from one schema to another (e.g. "probe-observation.schema.json") resolves; built once per
 * test file, each schema compiled on first use.
 */
function schemas(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object, file);
    }
  }
  return ajv;
}

function validatorFor(schemaFile: string): ValidateFunction {
  const validate = schemas().getSchema(schemaFile);
  if (!validate) throw new Error(`no schema file schemas/${schemaFile}`);
  return validate;
}

/** Returns the schema's complaints about `value` (empty when it validates). */
export function schemaErrors(schemaFile: string, value: unknown): string[] {
  const validate = validatorFor(schemaFile);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
