import type { FaultRule, InjectedUpdateOutcome } from '../../emulator/faults.js';
import { CLUSTER_NAME_PATTERN } from '../../model/aws-names.js';
import { FixtureError, loadFixture } from '../../emulator/fixture.js';
import { startEmulator } from '../../emulator/server.js';
import { parseTokenBucketFlag, TokenBucketFlagError } from '../../emulator/token-bucket.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { systemErrorCause } from '../options/file-checks.js';

export interface EmulatorArgs {
  readonly fixtures: string;
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly 'latency-ms'?: number;
  readonly 'throttle-rate'?: number;
  readonly 'server-error-rate'?: number;
  readonly 'fail-region'?: readonly string[];
  readonly 'update-duration-ms'?: number;
  readonly 'fail-update'?: readonly string[];
  readonly 'cancel-update'?: readonly string[];
  readonly 'token-bucket'?: readonly string[];
}

function rate(flag: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(value >= 0 && value <= 1))
    throw new CliError(`--${flag} must be between 0 and 1, got ${value}.`);
  return value;
}

function milliseconds(flag: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0))
    throw new CliError(`--${flag} must be a whole number of milliseconds, got ${value}.`);
  return value;
}

function updateEndings(
  flag: string,
  outcome: InjectedUpdateOutcome,
  clusters: readonly string[] = [],
): FaultRule[] {
  return clusters.map((cluster): FaultRule => {
    if (!CLUSTER_NAME_PATTERN.test(cluster))
      throw new CliError(
        `--${flag} needs a cluster name (letters, digits, - and _), got '${cluster}'.`,
      );
    return { service: 'eks', operation: 'UpdateClusterConfig', cluster, updateOutcome: outcome };
  });
}

/** --update-duration-ms, checked. */
export function updateDurationFromFlags(args: EmulatorArgs): number | undefined {
  return milliseconds('update-duration-ms', args['update-duration-ms']);
}

/**
 * The flags' faults: one rule for every call, an always-failing rule per --fail-region, and a rule
 * per --fail-update or --cancel-update cluster for how its updates end.
 */
export function faultsFromFlags(args: EmulatorArgs): FaultRule[] {
  const latencyMs = milliseconds('latency-ms', args['latency-ms']);
  const everyCall: FaultRule = {
    latencyMs,
    throttleRate: rate('throttle-rate', args['throttle-rate']),
    serverErrorRate: rate('server-error-rate', args['server-error-rate']),
  };
  const failing = (args['fail-region'] ?? []).map((region): FaultRule => ({
    region,
    service: 'eks',
    fail: 'access-denied',
  }));
  const failedUpdates = updateEndings('fail-update', 'Failed', args['fail-update']);
  const cancelledUpdates = updateEndings('cancel-update', 'Cancelled', args['cancel-update']);
  const both = failedUpdates.find((f) => cancelledUpdates.some((c) => c.cluster === f.cluster));
  if (both)
    throw new CliError(`--fail-update and --cancel-update both name cluster ${both.cluster}.`);
  return [everyCall, ...failing, ...failedUpdates, ...cancelledUpdates];
}

export async function emulator(deps: CliDeps, args: EmulatorArgs): Promise<number> {
  const faults = faultsFromFlags(args);
  const updateDurationMs = updateDurationFromFlags(args);
  let tokenBuckets;
  try {
    tokenBuckets = parseTokenBucketFlag(args['token-bucket'] ?? []);
  } catch (error) {
    if (error instanceof TokenBucketFlagError) throw new CliError(error.message);
    throw error;
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new CliError(`--port must be 0 to 65535, got ${args.port}.`);
  }
  let fixture;
  try {
    fixture = await loadFixture(args.fixtures);
  } catch (error) {
    if (error instanceof FixtureError) throw new CliError(error.message);
    throw error;
  }
  const running = await startEmulator({
    fixture,
    port: args.port,
    host: args.host,
    faults,
    seed: args.seed,
    updateDurationMs,
    tokenBuckets,
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).syscall !== 'listen') throw error;
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new CliError(
      `cannot listen on ${args.host}:${args.port}: ${systemErrorCause(error)}; ` +
        (inUse
          ? 'stop what listens there, or choose another --port (0 takes a free one).'
          : 'choose another --host or --port.'),
    );
  });
  const accounts = [...running.state.accounts.values()];
  const regions = accounts.flatMap((a) => [...a.regions.values()]);
  const clusters = regions.reduce((n, r) => n + r.clusters.size, 0);
  const who =
    accounts.length === 1
      ? `account ${running.state.accountId}`
      : `${accounts.length} accounts (default ${running.state.accountId})`;
  // Listening for the signals before saying how to stop it: whoever reads the line may send one at once.
  const stopped = deps.untilSignal();
  deps.stdout.write(`${running.url}\n`);
  deps.stderr.write(
    `eksposure emulator: EKS, EC2, STS, Organizations and Security Hub for ${who} on ${running.url} ` +
      `(${regions.length} regions, ${clusters} clusters from ${args.fixtures}); ` +
      `try: AWS_ENDPOINT_URL=${running.url} eksposure audit. Ctrl-C stops it.\n`,
  );
  const signal = await stopped;
  await running.close();
  deps.stderr.write(`eksposure emulator: stopped (${signal}).\n`);
  return 0;
}
