import { isIP } from 'node:net';
import type { Options } from 'yargs';
import { CliError } from '../cli-error.js';

export const DEFAULT_PROBE_TIMEOUT_S = 5;
const MAX_PROBE_TIMEOUT_S = 120;
/** Below this no TLS handshake completes, and every endpoint would look "not reachable". */
const MIN_PROBE_TIMEOUT_S = 0.1;

/** Flags shared by `audit --probe` and `probe`: how long to wait, and where the probe runs from. */
export const probeTuningOptions = {
  'probe-timeout': {
    type: 'number',
    requiresArg: true,
    describe: `Seconds each probe request may take, from sending it to its last byte (default ${DEFAULT_PROBE_TIMEOUT_S})`,
  },
  'my-ip': {
    type: 'string',
    requiresArg: true,
    describe:
      'This machine\'s public address, recorded in the report: "not reachable" holds from there only',
  },
} as const satisfies Record<string, Options>;

/** Endpoints probed at once: a silent one holds its place for --probe-timeout. */
export const DEFAULT_PROBE_CONCURRENCY = 64;
/** Up to 6 sockets per endpoint (3 paths, IPv4 and IPv6): 128 stays under the usual 1,024 open files. */
const MAX_PROBE_CONCURRENCY = 128;

/** With --probe on audit, apply, remediate and resume: many endpoints at once. */
export const probeConcurrencyOption = {
  'probe-concurrency': {
    type: 'number',
    requiresArg: true,
    describe: `Endpoints probed at once (default ${DEFAULT_PROBE_CONCURRENCY}, at most ${MAX_PROBE_CONCURRENCY}); a silent one waits out --probe-timeout`,
  },
} as const satisfies Record<string, Options>;

export const auditProbeOptions = {
  probe: {
    type: 'boolean',
    describe:
      "Also probe each public endpoint anonymously over HTTPS (/version, /healthz, /api), TLS verified against the cluster's CA; opens connections from this machine (rule EKS-PROBE-001)",
  },
  ...probeTuningOptions,
  ...probeConcurrencyOption,
} as const satisfies Record<string, Options>;

export interface ProbeTuningArgs {
  readonly 'probe-timeout'?: number;
  readonly 'my-ip'?: string;
  readonly 'probe-concurrency'?: number;
}

export interface ProbeTuning {
  readonly timeoutMs: number;
  readonly vantage: string | null;
  /** Endpoints probed at once. */
  readonly concurrency: number;
}

/** The flags that mean something only with --probe. */
export type ProbeOnlyFlag = 'probe-timeout' | 'probe-wait' | 'probe-concurrency' | 'my-ip';

/** Pure: refuses a flag that needs --probe when --probe is not given (rather than ignoring it). */
export function refuseWithoutProbe(
  args: Partial<Record<ProbeOnlyFlag, unknown>>,
  flags: readonly ProbeOnlyFlag[],
): void {
  const stray = flags.find((flag) => args[flag] !== undefined);
  if (stray)
    throw new CliError(`--${stray} applies only with --probe: add --probe, or drop --${stray}`);
}

/** Pure: the probe's timeout and vantage point, or a CliError saying which flag is wrong. */
export function resolveProbeTuning(args: ProbeTuningArgs): ProbeTuning {
  const seconds = args['probe-timeout'] ?? DEFAULT_PROBE_TIMEOUT_S;
  if (!Number.isFinite(seconds) || seconds < MIN_PROBE_TIMEOUT_S || seconds > MAX_PROBE_TIMEOUT_S) {
    throw new CliError(
      `--probe-timeout must be a number of seconds from ${MIN_PROBE_TIMEOUT_S} to ${MAX_PROBE_TIMEOUT_S} (got ${String(args['probe-timeout'])})`,
    );
  }
  const myIp = args['my-ip']?.trim();
  if (myIp !== undefined && isIP(myIp) === 0) {
    throw new CliError(`--my-ip must be an IPv4 or IPv6 address (got "${myIp}")`);
  }
  const concurrency = args['probe-concurrency'] ?? DEFAULT_PROBE_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_PROBE_CONCURRENCY) {
    throw new CliError(
      `--probe-concurrency must be a whole number from 1 to ${MAX_PROBE_CONCURRENCY} (got ${String(args['probe-concurrency'])})`,
    );
  }
  return { timeoutMs: Math.round(seconds * 1000), vantage: myIp ?? null, concurrency };
}

/** `audit`: the probe settings when --probe is given; null without it (and then no tuning flag). */
export function resolveAuditProbe(
  args: ProbeTuningArgs & { readonly probe?: boolean },
): ProbeTuning | null {
  if (args.probe === true) return resolveProbeTuning(args);
  refuseWithoutProbe(args, ['probe-timeout', 'probe-concurrency', 'my-ip']);
  return null;
}
