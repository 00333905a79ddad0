/** Shared by the YAML-based format tests: fixtures, targets, and a line diff of applied edits. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EndpointChange, EndpointConfig } from '../../../../src/model/endpoint.js';
import type {
  Definition,
  IacFormat,
  IacTarget,
  PatchOutcome,
  SourceFile,
} from '../../../../src/iac/types.js';
import { applyTextEdits } from '../../../../src/iac/yaml/text-edits.js';

/** The one definition `format` reads in `file`, which it reads without failure. */
export async function onlyDefinition(format: IacFormat, file: SourceFile): Promise<Definition> {
  const reading = await format.read([file]);
  expect(reading.failures).toEqual([]);
  expect(reading.definitions).toHaveLength(1);
  return reading.definitions[0] as Definition;
}

/** A fixture as the patcher would hand it over: path relative to the current directory. */
export function readFixture(path: string): SourceFile {
  return { path, text: readFileSync(join(process.cwd(), path), 'utf8') };
}

export const PRIVATE: EndpointChange = { endpointPublicAccess: false, endpointPrivateAccess: true };

export const ALLOWLIST_CIDRS = ['203.0.113.0/24', '198.51.100.7/32'];
export const ALLOWLIST: EndpointChange = {
  endpointPublicAccess: true,
  endpointPrivateAccess: true,
  publicAccessCidrs: ALLOWLIST_CIDRS,
};

export function targetFor(
  change: EndpointChange,
  cluster: { readonly name: string; readonly region: string; readonly logicalId?: string },
): IacTarget {
  const after: EndpointConfig = {
    endpointPublicAccess: change.endpointPublicAccess,
    endpointPrivateAccess: change.endpointPrivateAccess,
    publicAccessCidrs: change.publicAccessCidrs ?? ['0.0.0.0/0'],
  };
  return {
    clusterName: cluster.name,
    region: cluster.region,
    ...(cluster.logicalId ? { logicalId: cluster.logicalId } : {}),
    after,
    change,
  };
}

export type Patched = Extract<PatchOutcome, { ok: true }> & { readonly text: string };

/** Patches a definition and applies its edits; fails the test when the patch is refused. */
export function patchText(definition: Definition, source: SourceFile, target: IacTarget): Patched {
  const outcome = definition.patch(target);
  if (!outcome.ok) throw new Error(`patch refused: ${outcome.reason}`);
  return { ...outcome, text: applyTextEdits(source.text, outcome.edits) };
}

/** A run of lines removed from the original (starting at its 1-based `line`) and lines added there. */
export interface Hunk {
  readonly line: number;
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

/**
 * The changed lines between two texts (longest common subsequence of lines): every line outside
 * the hunks is byte-identical.
 */
export function lineDiff(before: string, after: string): Hunk[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] =
        a[i] === b[j]
          ? (lcs[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const hunks: Hunk[] = [];
  let current: { line: number; removed: string[]; added: string[] } | undefined;
  const flush = () => {
    if (current) hunks.push(current);
    current = undefined;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      i++;
      j++;
    } else if (
      j < b.length &&
      (i >= a.length || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))
    ) {
      current ??= { line: i + 1, removed: [], added: [] };
      current.added.push(b[j] ?? '');
      j++;
    } else {
      current ??= { line: i + 1, removed: [], added: [] };
      current.removed.push(a[i] ?? '');
      i++;
    }
  }
  flush();
  return hunks;
}
