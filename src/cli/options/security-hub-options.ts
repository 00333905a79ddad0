/** `audit --security-hub` and `--security-hub-regions`: checked before any AWS call. */
import type { Options } from 'yargs';
import { REGION_NAME_PATTERN } from '../../model/aws-names.js';
import { CliError } from '../cli-error.js';
import { regionNamesOf } from './aws-options.js';

export const securityHubOptions = {
  'security-hub': {
    type: 'boolean',
    describe:
      "Import the findings into AWS Security Hub, in each finding's own account (its role across accounts) and region: FAILs active, updated in place; earlier ones that no longer apply archived where this run read everything",
  },
  'security-hub-regions': {
    type: 'string',
    array: true,
    implies: 'security-hub',
    describe:
      'With --security-hub: only the findings of these regions go to Security Hub, comma-separated or repeated (default: every region scanned)',
  },
} as const satisfies Record<string, Options>;

export interface SecurityHubArgs {
  readonly 'security-hub'?: boolean;
  readonly 'security-hub-regions'?: readonly string[] | undefined;
}

/** What --security-hub asks for; null without it. */
export interface SecurityHubSetup {
  /** null: every region the run scans. */
  readonly regions: readonly string[] | null;
}

/** The flags, validated: one line and exit 2 on a bad region name. */
export function resolveSecurityHub(args: SecurityHubArgs): SecurityHubSetup | null {
  if (!args['security-hub']) return null;
  const values = args['security-hub-regions'];
  if (values === undefined) return { regions: null };
  const names = regionNamesOf(values);
  if (names.length === 0)
    throw new CliError(
      '--security-hub-regions needs at least one region name, e.g. --security-hub-regions us-east-1.',
    );
  const malformed = names.filter((name) => !REGION_NAME_PATTERN.test(name));
  if (malformed.length > 0)
    throw new CliError(
      `--security-hub-regions: ${malformed.map((m) => `"${m}"`).join(', ')} ${malformed.length === 1 ? 'is not a region name' : 'are not region names'} (e.g. us-east-1).`,
    );
  return { regions: names };
}
