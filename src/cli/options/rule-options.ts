import type { Options } from 'yargs';
import { FAIL_ON_CHOICES } from '../../report/fail-on.js';

/** The config file read when --config is not given, if it exists in the working directory. */
export const DEFAULT_CONFIG_FILE = '.eksposure.json';

/** --config: exemptions (and approved CIDRs); audit and remediate both honour them. */
export const configOption = {
  config: {
    type: 'string',
    requiresArg: true,
    describe: `Config file of exemptions and approved CIDRs (JSON, schemas/config.schema.json; default ${DEFAULT_CONFIG_FILE} when present)`,
  },
} as const satisfies Record<string, Options>;

/** --fail-on: audit, and merge (which gives the exit code one run would). */
export const failOnOption = {
  'fail-on': {
    choices: FAIL_ON_CHOICES,
    describe:
      'Exit 1 only for a FAIL of this severity or above (never: findings never fail the exit code; default: any FAIL)',
  },
} as const satisfies Record<string, Options>;

export interface FailOnArgs {
  readonly 'fail-on'?: (typeof FAIL_ON_CHOICES)[number];
}

/** Flags of `audit` that choose and tune the rules. */
export const ruleOptions = {
  rules: {
    type: 'string',
    array: true,
    requiresArg: true,
    describe:
      'Rules to run, by id or alias, comma-separated or repeated, or all (default EKS-001; EKS-003, node exposure, reads EC2 nodes and runs only when named; eksposure rules lists them)',
  },
  'approved-cidrs': {
    type: 'string',
    array: true,
    requiresArg: true,
    describe:
      "EKS-001 also fails a public endpoint admitting a range outside these CIDRs (replaces the config file's approvedCidrs)",
  },
  ...failOnOption,
  ...configOption,
} as const satisfies Record<string, Options>;

export interface ConfigArgs {
  readonly config?: string;
}

export interface RuleArgs extends ConfigArgs, FailOnArgs {
  readonly rules?: readonly string[];
  readonly 'approved-cidrs'?: readonly string[];
}
