/**
 * A cluster's name as Terraform would compute it, when it can be read without running Terraform:
 * a literal, or var.X / local.X of the same directory (a Terraform module is one directory), at
 * most two steps deep. Anything else is unresolved, with a sentence that says where the name leads.
 */
import type { DefinitionName, Location } from '../types.js';
import {
  findBlocks,
  literalString,
  oneLine,
  type HclAttribute,
  type HclBlock,
  type HclBody,
  type HclExpression,
} from './hcl.js';

/** A parsed file of one directory. */
export interface ParsedFile {
  readonly path: string;
  readonly body: HclBody;
}

interface Located {
  readonly file: string;
  readonly attribute: HclAttribute;
}

/** What one directory declares: variables, locals and the values its .tfvars files give. */
export interface DirectoryScope {
  /** The directory, '.' for the top of the --iac-dir. */
  readonly directory: string;
  readonly variables: ReadonlyMap<string, { readonly file: string; readonly block: HclBlock }>;
  readonly locals: ReadonlyMap<string, Located>;
  /** terraform.tfvars, then *.auto.tfvars in name order: what `terraform plan` loads by itself. */
  readonly loaded: ReadonlyMap<string, Located>;
  /** Other .tfvars files, which apply only when passed with -var-file. */
  readonly varFiles: ReadonlyMap<string, readonly Located[]>;
}

export const directoryOf = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '.' : path.slice(0, slash);
};

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** One scope per directory, from the files that parsed. */
export function buildScopes(files: readonly ParsedFile[]): ReadonlyMap<string, DirectoryScope> {
  const byDirectory = new Map<string, ParsedFile[]>();
  for (const file of files) {
    const directory = directoryOf(file.path);
    byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), file]);
  }
  return new Map(
    [...byDirectory].map(([directory, members]) => [directory, scopeOf(directory, members)]),
  );
}

function scopeOf(directory: string, files: readonly ParsedFile[]): DirectoryScope {
  const variables = new Map<string, { file: string; block: HclBlock }>();
  const locals = new Map<string, Located>();
  const loaded = new Map<string, Located>();
  const varFiles = new Map<string, Located[]>();
  const autoLoaded = (name: string) => name === 'terraform.tfvars' || name.endsWith('.auto.tfvars');
  // terraform.tfvars first, then *.auto.tfvars in lexical order: a later file wins.
  const loadOrder = (name: string) => (name === 'terraform.tfvars' ? '' : name);
  const sorted = [...files].sort((a, b) =>
    loadOrder(baseName(a.path)).localeCompare(loadOrder(baseName(b.path))),
  );
  for (const file of sorted) {
    const name = baseName(file.path);
    if (name.endsWith('.tfvars')) {
      for (const attribute of file.body.attributes) {
        const value = { file: file.path, attribute };
        if (autoLoaded(name)) loaded.set(attribute.name, value);
        else varFiles.set(attribute.name, [...(varFiles.get(attribute.name) ?? []), value]);
      }
      continue;
    }
    for (const block of findBlocks(file.body, 'variable')) {
      const [label] = block.labels;
      if (label !== undefined && !variables.has(label)) {
        variables.set(label, { file: file.path, block });
      }
    }
    for (const block of findBlocks(file.body, 'locals')) {
      for (const attribute of block.body.attributes) {
        if (!locals.has(attribute.name)) locals.set(attribute.name, { file: file.path, attribute });
      }
    }
  }
  return { directory, variables, locals, loaded, varFiles };
}

/** The block whose name is read: its address, and for_each/count when it has them. */
export interface NameSource {
  readonly address: string;
  /** The attribute that holds the name: 'name' or 'cluster_name'. */
  readonly attributeName: string;
  readonly body: HclBody;
  readonly scope: DirectoryScope;
}

/** The name a block gives its cluster. */
export function resolveName(source: NameSource): DefinitionName {
  const attribute = source.body.attributes.find((a) => a.name === source.attributeName);
  if (attribute === undefined) {
    return unresolved(`${source.address} does not set ${source.attributeName}`);
  }
  const head = `${attribute.name} = ${oneLine(attribute.value.text)}`;
  const iteration = iterationOf(source.body);
  if (
    iteration !== undefined &&
    /\b(?:each\.(?:key|value)|count\.index)\b/.test(attribute.value.text)
  ) {
    const reason = `${head}: ${source.address} has ${iteration}, so this one block defines several clusters; a patch would change every instance`;
    const keys = /^each\.(?:key|value)$/.test(attribute.value.text.trim())
      ? iterationKeys(source.body)
      : undefined;
    return keys === undefined ? unresolved(reason) : { resolved: false, reason, candidates: keys };
  }
  const followed = follow(attribute.value, source.scope, 2);
  return followed.ok
    ? followed.from === undefined
      ? { resolved: true, value: followed.value }
      : { resolved: true, value: followed.value, from: followed.from }
    : unresolved(`${head}: ${followed.why}`);
}

/** "for_each (tf-fleet-a, tf-fleet-b)", "count = 3", or undefined for a single instance. */
function iterationOf(body: HclBody): string | undefined {
  const forEach = body.attributes.find((a) => a.name === 'for_each');
  if (forEach !== undefined) {
    const keys = forEachKeys(forEach.value);
    return keys === undefined ? 'for_each' : `for_each (${keys.join(', ')})`;
  }
  const count = body.attributes.find((a) => a.name === 'count');
  return count === undefined ? undefined : `count = ${oneLine(count.value.text)}`;
}

function iterationKeys(body: HclBody): readonly string[] | undefined {
  const forEach = body.attributes.find((a) => a.name === 'for_each');
  return forEach === undefined ? undefined : forEachKeys(forEach.value);
}

function forEachKeys(expression: HclExpression): readonly string[] | undefined {
  const list =
    expression.kind === 'call' && expression.name === 'toset' ? expression.args[0] : expression;
  if (list?.kind !== 'tuple') return undefined;
  const keys = list.items.map(literalString);
  return keys.every((key) => key !== undefined) ? keys : undefined;
}

type Followed =
  | { readonly ok: true; readonly value: string; readonly from?: Location }
  | { readonly ok: false; readonly why: string };

/** Follow var.X and local.X, taking at most `steps` of them, to a literal string. */
function follow(expression: HclExpression, scope: DirectoryScope, steps: number): Followed {
  switch (expression.kind) {
    case 'string':
      return { ok: true, value: expression.value };
    case 'template':
      return { ok: false, why: 'an interpolated string; eksposure reads only literal names' };
    case 'reference': {
      const [name, ...rest] = expression.path;
      const isStep = expression.root === 'var' || expression.root === 'local';
      if (!isStep || name === undefined || rest.length > 0) break;
      if (steps === 0) {
        return { ok: false, why: `eksposure follows at most two var/local steps` };
      }
      return expression.root === 'var'
        ? followVariable(name, scope)
        : followLocal(name, scope, steps - 1);
    }
    default:
  }
  return {
    ok: false,
    why: `${oneLine(expression.text)} is an expression eksposure does not evaluate`,
  };
}

function followLocal(name: string, scope: DirectoryScope, steps: number): Followed {
  const local = scope.locals.get(name);
  if (local === undefined) {
    return { ok: false, why: `there is no local "${name}" in ${scope.directory}` };
  }
  const value = local.attribute.value;
  const followed = follow(value, scope, steps);
  if (!followed.ok) {
    return { ok: false, why: `local.${name} = ${oneLine(value.text)}: ${followed.why}` };
  }
  return followed.from === undefined
    ? { ...followed, from: locationOf(local, `local.${name}`) }
    : followed;
}

function followVariable(name: string, scope: DirectoryScope): Followed {
  const variable = scope.variables.get(name);
  if (variable === undefined) {
    return { ok: false, why: `there is no variable "${name}" in ${scope.directory}` };
  }
  const fallback = variable.block.body.attributes.find((a) => a.name === 'default');
  const effective =
    scope.loaded.get(name) ??
    (fallback === undefined ? undefined : { file: variable.file, attribute: fallback });
  const varFiles = scope.varFiles.get(name) ?? [];
  const listed = varFiles.map((entry) => baseName(entry.file)).join(', ');
  if (effective === undefined) {
    return {
      ok: false,
      why:
        varFiles.length === 0
          ? `variable "${name}" has no default and no .tfvars entry in ${scope.directory}`
          : `variable "${name}" has no default and is set only in ${listed} (used with -var-file), so the name depends on the command line`,
    };
  }
  const where = effective.attribute.name === 'default' ? 'its default' : baseName(effective.file);
  const value = literalString(effective.attribute.value);
  if (value === undefined) {
    return {
      ok: false,
      why: `variable "${name}" is ${oneLine(effective.attribute.value.text)} in ${where}, not a literal string`,
    };
  }
  const differing = varFiles.filter((entry) => literalString(entry.attribute.value) !== value);
  if (differing.length > 0) {
    const others = differing.map((entry) => baseName(entry.file)).join(', ');
    return {
      ok: false,
      why: `variable "${name}" is "${value}" from ${where} but differs in ${others} (used with -var-file), so the name depends on the command line`,
    };
  }
  return { ok: true, value, from: locationOf(effective, `var.${name}`) };
}

const locationOf = (located: Located, address: string): Location => ({
  tool: 'terraform',
  file: located.file,
  line: located.attribute.startRow + 1,
  address,
});

const unresolved = (reason: string): DefinitionName => ({ resolved: false, reason });
