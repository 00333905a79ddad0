import type { Options } from 'yargs';

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

/** Flags of `audit` that choose and tune the rules. */
export const ruleOptions = {
  rules: {
    type: 'string',
    array: true,
    requiresArg: true,
    describe:
      'Rules to run, by id or alias, comma-separated or repeated (default EKS-001; eksposure rules lists them)',
  },
  'approved-cidrs': {
    type: 'string',
    array: true,
    requiresArg: true,
    describe:
      "EKS-001 also fails a public endpoint admitting a range outside these CIDRs (replaces the config file's approvedCidrs)",
  },
  'fail-on': {
    choices: ['critical', 'high', 'medium', 'low', 'never'] as const,
    describe:
      'Exit 1 only for a FAIL of this severity or above (never: findings never fail the exit code; default: any FAIL)',
  },
  ...configOption,
} as const satisfies Record<string, Options>;

export interface ConfigArgs {
  readonly config?: string;
}

export interface RuleArgs extends ConfigArgs {
  readonly rules?: readonly string[];
  readonly 'approved-cidrs'?: readonly string[];
  readonly 'fail-on'?: 'critical' | 'high' | 'medium' | 'low' | 'never';
}
