import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from './cli.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
// ajv-formats is CommonJS: under ESM its function may arrive as the default export's default.
const formatsExport = addFormatsModule as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = formatsExport.default ?? formatsExport;

const compiled = new Map<string, ValidateFunction>();

/** Each schema file under schemas/, compiled once (strict, with formats) per test file. */
function validatorFor(schemaFile: string): ValidateFunction {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    const path = join(REPO_ROOT, 'schemas', schemaFile);
    const schema = JSON.parse(readFileSync(path, 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    validate = ajv.compile(schema);
    compiled.set(schemaFile, validate);
  }
  return validate;
}

/** Returns the schema's complaints about `value` (empty when it validates). */
export function schemaErrors(schemaFile: string, value: unknown): string[] {
  const validate = validatorFor(schemaFile);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
