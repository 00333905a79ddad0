import type { Options } from 'yargs';
import { parseDuration } from './apply-options.js';
import {
  type ProbeOnlyFlag,
  probeConcurrencyOption,
  type ProbeTuning,
  type ProbeTuningArgs,
  probeTuningOptions,
  refuseWithoutProbe,
  resolveProbeTuning,
} from './probe-options.js';

const DEFAULT_PROBE_WAIT = '60s';
/** How often a changed cluster that still answers is probed again. */
export const PROBE_AGAIN_EVERY_MS = 10_000;
/** `apply --probe` and `remediate --apply --probe`: confirm from outside that the change took. */
export const changeProbeOptions = {
  probe: {
    type: 'boolean',
    describe:
      "After the changes, probe each changed cluster's endpoint anonymously from this machine (/version, /healthz, /api) and confirm it no longer answers; opens connections from here",
  },
  'probe-timeout': probeTuningOptions['probe-timeout'],
  'probe-wait': {
    type: 'string',
    requiresArg: true,
    describe: `With --probe: how long a changed cluster that still answers is probed again, every ${PROBE_AGAIN_EVERY_MS / 1000} s (default ${DEFAULT_PROBE_WAIT}; 0: probe once)`,
  },
  ...probeConcurrencyOption,
} as const satisfies Record<string, Options>;

/** apply has no --my-ip of its own: it is the probe's vantage point only. */
export const applyProbeOptions = {
  ...changeProbeOptions,
  'my-ip': probeTuningOptions['my-ip'],
} as const satisfies Record<string, Options>;

export interface ChangeProbeArgs extends ProbeTuningArgs {
  readonly probe?: boolean;
  readonly 'probe-wait'?: string;
}

export interface ChangeProbe extends ProbeTuning {
  readonly waitMs: number;
}

/** The probe settings the change use cases take: these, and how often to probe again. */
export const probeSettings = (probe: ChangeProbe | null) =>
  probe && { ...probe, intervalMs: PROBE_AGAIN_EVERY_MS };

/**
 * Pure: the probe settings with --probe, null without it. `onlyWithProbe` names the flags that
 * mean nothing without --probe (a stray one is refused rather than silently ignored).
 */
export function resolveChangeProbe(
  args: ChangeProbeArgs,
  onlyWithProbe: readonly ProbeOnlyFlag[],
): ChangeProbe | null {
  if (args.probe !== true) {
    refuseWithoutProbe(args, onlyWithProbe);
    return null;
  }
  const wait = (args['probe-wait'] ?? DEFAULT_PROBE_WAIT).trim();
  return {
    ...resolveProbeTuning(args),
    waitMs: /^0+[smh]?$/.test(wait) ? 0 : parseDuration('probe-wait', wait),
  };
}
