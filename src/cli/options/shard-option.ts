import type { Options } from 'yargs';
import { parseShard, type Shard } from '../../accounts/shard.js';
import { CliError } from '../cli-error.js';

/** --shard, spread into the account flags of audit and remediate. */
export const shardOption = {
  shard: {
    type: 'string',
    requiresArg: true,
    describe:
      'Scan only share I of N of the account list (I from 0 to N-1; the same account is always in the same share), e.g. "$JOB_COMPLETION_INDEX/3"; eksposure merge combines the reports',
  },
} as const satisfies Record<string, Options>;

/** Validates --shard before any AWS call; it needs an account list to share out. */
export function resolveShard(value: string | undefined, hasAccountList: boolean): Shard | null {
  if (value === undefined) return null;
  const parsed = parseShard(String(value));
  if (!parsed.ok) throw new CliError(parsed.message);
  if (!hasAccountList)
    throw new CliError(
      '--shard shares out an account list: add --accounts, --accounts-file or --organization.',
    );
  return parsed.shard;
}
