/** Reading Terraform fixtures, applying edits, and terraform fmt -check when terraform is here. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EndpointChange } from '../../../../src/model/endpoint.js';
import type {
  Definition,
  FormatReading,
  IacTarget,
  PatchOutcome,
  SourceFile,
  TextEdit,
} from '../../../../src/iac/types.js';

export const PRIVATE: EndpointChange = { endpointPublicAccess: false, endpointPrivateAccess: true };
export const ALLOWLIST: EndpointChange = {
  endpointPublicAccess: true,
  endpointPrivateAccess: true,
  publicAccessCidrs: ['203.0.113.0/24'],
};

export const targetFor = (clusterName: string, change: EndpointChange): IacTarget => ({
  clusterName,
  region: 'eu-west-1',
  change,
  after: {
    endpointPublicAccess: change.endpointPublicAccess,
    endpointPrivateAccess: change.endpointPrivateAccess,
    publicAccessCidrs: change.publicAccessCidrs ?? ['0.0.0.0/0'],
  },
});

/** Every file of a fixture directory, paths relative to the repository root. */
export function readFixtureDir(directory: string): SourceFile[] {
  return readdirSync(join(process.cwd(), directory))
    .sort()
    .map((name) => `${directory}/${name}`)
    .map((path) => ({ path, text: readFileSync(join(process.cwd(), path), 'utf8') }));
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce(
      (result, edit) => result.slice(0, edit.start) + edit.text + result.slice(edit.end),
      text,
    );
}

/**
 * The lines a patch removed and added, after the common first and last lines: everything outside
 * them is byte-identical (line endings included).
 */
export function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split(/(?<=\n)/);
  const b = after.split(/(?<=\n)/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail += 1;
  }
  const strip = (line: string) => line.replace(/\r?\n$/, '');
  return {
    removed: a.slice(head, a.length - tail).map(strip),
    added: b.slice(head, b.length - tail).map(strip),
  };
}

export function definitionAt(reading: FormatReading, address: string, file?: string): Definition {
  const found = reading.definitions.find(
    (d) => d.location.address === address && (file === undefined || d.location.file === file),
  );
  if (found === undefined) throw new Error(`no definition ${address}`);
  return found;
}

export type Patched = Extract<PatchOutcome, { ok: true }> & { readonly text: string };

/** Patch a definition and apply its edits to its file. */
export function patchFile(
  definition: Definition,
  files: readonly SourceFile[],
  change: EndpointChange,
  clusterName = 'cluster',
): Patched {
  const outcome = definition.patch(targetFor(clusterName, change));
  if (!outcome.ok) throw new Error(`patch refused: ${outcome.reason}`);
  const file = files.find((f) => f.path === definition.location.file);
  if (file === undefined) throw new Error(`no file ${definition.location.file}`);
  return { ...outcome, text: applyEdits(file.text, outcome.edits) };
}

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });

/** Why terraform fmt tests are skipped, or undefined when terraform is on the PATH. */
export const noTerraform: string | undefined =
  terraform.error === undefined && terraform.status === 0
    ? undefined
    : `terraform is not on the PATH (${terraform.error?.message ?? terraform.stderr})`;

/** terraform fmt -check -diff on files written to a temporary directory: its output, '' when clean. */
export function terraformFmtCheck(files: readonly SourceFile[]): string {
  const root = mkdtempSync(join(tmpdir(), 'eksposure-tf-'));
  try {
    for (const file of files) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), file.text);
    }
    const result = spawnSync('terraform', ['fmt', '-check', '-diff', '-recursive', root], {
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
    });
    return result.status === 0 ? '' : `${result.stdout}${result.stderr}`.split(root).join('');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
