import fc from 'fast-check';
import {
  parseShard,
  selectShard,
  shardOfAccount,
  shardSelection,
} from '../../../src/accounts/shard.js';
import { CliError } from '../../../src/cli/cli-error.js';
import { resolveShard } from '../../../src/cli/options/shard-option.js';

const accountId = fc.stringMatching(/^\d{12}$/);
const accountList = fc
  .uniqueArray(accountId, { maxLength: 60 })
  .map((ids) => ids.map((id) => ({ accountId: id })));
const shardCount = fc.integer({ min: 1, max: 12 });

describe('--shard I/N', () => {
  it('reads I/N with I from 0 to N-1', () => {
    expect(parseShard('0/3')).toEqual({ ok: true, shard: { index: 0, count: 3 } });
    expect(parseShard('2/3')).toEqual({ ok: true, shard: { index: 2, count: 3 } });
    expect(parseShard('0/1')).toEqual({ ok: true, shard: { index: 0, count: 1 } });
  });

  it.each([
    ['malformed', '1-3', 'INDEX/COUNT'],
    ['an unset JOB_COMPLETION_INDEX', '/3', 'INDEX/COUNT'],
    ['a negative index', '-1/3', 'INDEX/COUNT'],
    ['a fraction', '1.5/3', 'INDEX/COUNT'],
    ['an index past the last shard', '3/3', 'INDEX must be from 0 to 2'],
    ['no shard at all', '0/0', 'COUNT must be from 1'],
  ])('refuses %s (%s) in one line', (_what, value, why) => {
    const parsed = parseShard(value);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain(why);
    expect(parsed.message).not.toContain('\n');
  });

  it('refuses --shard without an account list, exit 2', () => {
    expect(() => resolveShard('0/3', false)).toThrow(CliError);
    expect(() => resolveShard('0/3', false)).toThrow(
      '--accounts, --accounts-file or --organization',
    );
    expect(resolveShard(undefined, false)).toBeNull();
    expect(() => resolveShard('4/3', true)).toThrow('INDEX must be from 0 to 2');
  });

  it('puts every account in exactly one shard', () => {
    fc.assert(
      fc.property(accountList, shardCount, (targets, count) => {
        const shards = Array.from({ length: count }, (_, index) =>
          selectShard(targets, { index, count }).map((t) => t.accountId),
        );
        const all = shards.flat();
        expect(all.sort()).toEqual(targets.map((t) => t.accountId).sort());
      }),
    );
  });

  it("keeps an account's shard whatever the list's order or length", () => {
    fc.assert(
      fc.property(
        accountList,
        accountList,
        shardCount,
        fc.integer({ min: 0, max: 11 }),
        (targets, others, count, rawIndex) => {
          const shard = { index: rawIndex % count, count };
          const alone = selectShard(targets, shard).map((t) => t.accountId);
          const mixed = selectShard([...others, ...targets].reverse(), shard).map(
            (t) => t.accountId,
          );
          for (const t of targets)
            expect(alone.includes(t.accountId)).toBe(mixed.includes(t.accountId));
        },
      ),
    );
  });

  it('spreads accounts roughly evenly', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => String(100000000000 + i * 7919));
    const sizes = [0, 0, 0];
    for (const id of ids) sizes[shardOfAccount(id, 3)]! += 1;
    for (const size of sizes) expect(size).toBeGreaterThan(900);
  });

  it('keeps every target, in order, without --shard', () => {
    const targets = [{ accountId: '222222222222' }, { accountId: '111111111111' }];
    expect(selectShard(targets, null)).toEqual(targets);
  });

  it('shares out skipped accounts too: each account is reported by one shard', () => {
    fc.assert(
      fc.property(accountList, accountList, shardCount, (scan, skipped, count) => {
        const shards = Array.from({ length: count }, (_, index) =>
          shardSelection({ scan, skipped }, { index, count }),
        );
        const ids = (list: readonly { accountId: string }[]) => list.map((a) => a.accountId).sort();
        expect(ids(shards.flatMap((s) => s.skipped))).toEqual(ids(skipped));
        expect(ids(shards.flatMap((s) => s.scan))).toEqual(ids(scan));
      }),
      { numRuns: 50 },
    );
  });
});
