import { createHash } from 'node:crypto';

/** One of `count` shares of the account list; `index` is 0-based, as Kubernetes' JOB_COMPLETION_INDEX. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** More shards than this is a typo: no engine runs a million pods over one organization. */
export const MAX_SHARD_COUNT = 10_000;

const SHARD_SPEC = /^(?<index>\d+)\/(?<count>\d+)$/;

export type ShardParse =
  { readonly ok: true; readonly shard: Shard } | { readonly ok: false; readonly message: string };

/** Pure: `I/N` as typed after --shard, or why it is not one. */
export function parseShard(value: string): ShardParse {
  const match = SHARD_SPEC.exec(value.trim());
  if (!match?.groups) {
    return {
      ok: false,
      message: `--shard needs INDEX/COUNT such as 0/3 (INDEX from 0 to COUNT-1, e.g. "$JOB_COMPLETION_INDEX/3"), got "${value}".`,
    };
  }
  const index = Number(match.groups.index);
  const count = Number(match.groups.count);
  if (count < 1 || count > MAX_SHARD_COUNT)
    return {
      ok: false,
      message: `--shard ${value}: COUNT must be from 1 to ${MAX_SHARD_COUNT}, got ${count}.`,
    };
  if (index >= count)
    return {
      ok: false,
      message: `--shard ${value}: INDEX must be from 0 to ${count - 1} (shards are numbered from 0), got ${index}.`,
    };
  return { ok: true, shard: { index, count } };
}

/**
 * Pure: the shard an account belongs to among `count`. A hash of the id alone, so an account stays
 * in its shard whatever the order or length of the list it came in (an account added to the
 * organization moves no other one).
 */
export function shardOfAccount(accountId: string, count: number): number {
  const digest = createHash('sha256').update(accountId).digest();
  // 48 bits: exact in a double, and far more values than shards.
  return digest.readUIntBE(0, 6) % count;
}

/** Pure: the targets of `shard`, in the order given; every target when there is no shard. */
export function selectShard<T extends { readonly accountId: string }>(
  targets: readonly T[],
  shard: Shard | null,
): T[] {
  if (!shard) return [...targets];
  return targets.filter((t) => shardOfAccount(t.accountId, shard.count) === shard.index);
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Pure: a selection's share. Skipped accounts are shared out too, so each account, scanned or
 * skipped, is reported by exactly one shard.
 */
export function shardSelection<
  S extends {
    readonly scan: readonly { readonly accountId: string }[];
    readonly skipped: readonly { readonly accountId: string }[];
  },
>(selection: S, shard: Shard | null): S {
  if (!shard) return selection;
  return {
    ...selection,
    scan: selectShard(selection.scan, shard),
    skipped: selectShard(selection.skipped, shard),
  };
}
