import type { Cluster } from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import { formatErrorInfo, toErrorInfo } from '../model/errors.js';
import { clusterLabel } from '../remediation/accounts.js';
import { endpointConfigOf } from '../remediation/endpoint-config.js';
import type { ClusterOutcome } from '../remediation/executor.js';
import {
  type AfterApplyCheck,
  type Expectation,
  expectationAfterChange,
  judgeObservation,
} from './after-apply.js';
import { type ProbeReport } from '../model/probe.js';
import type { Clock } from '../model/time.js';

/** The edges of `apply --probe`: DescribeCluster in the cluster's account, the probe itself, time. */
export interface AfterApplyDeps {
  describe(outcome: ClusterOutcome, signal: AbortSignal): Promise<Cluster>;
  /** Probes the cluster's endpoint, TLS verified against its own CA. */
  probe(cluster: Cluster): Promise<ProbeReport>;
  readonly clock: Clock;
  progress(line: string): void;
}

export interface AfterApplyOptions {
  /** --my-ip: where "not reachable" holds from. */
  readonly vantage: string | null;
  /** How long a cluster that still answers is probed again (DNS and load balancers may lag the update). */
  readonly waitMs: number;
  readonly intervalMs: number;
  readonly concurrency: number;
  readonly signal: AbortSignal;
}

/** The clusters a probe can confirm: changed and verified, or found already as the plan wanted. */
export const probedAfterApply = (outcomes: readonly ClusterOutcome[]): ClusterOutcome[] =>
  outcomes.filter((o) => o.result === 'verified' || (o.result === 'skipped' && o.satisfied));

const unprobed = (expected: Expectation['expected'], summary: string): AfterApplyCheck => ({
  expected,
  confirmed: null,
  summary,
  attempts: 0,
  observation: null,
});

/**
 * Probes each changed cluster from this machine and judges what it sees against the configuration
 * now in force. A cluster that still answers where it should not is probed again every
 * `intervalMs` until `waitMs` has passed. Never throws: a cluster that cannot be read is a check
 * that says so. Keyed by cluster ARN.
 */
export async function confirmAfterApply(
  outcomes: readonly ClusterOutcome[],
  deps: AfterApplyDeps,
  options: AfterApplyOptions,
): Promise<ReadonlyMap<string, AfterApplyCheck>> {
  // The bound is on calls in flight, not on clusters: clusters waiting to probe again wait
  // together, so --probe-wait bounds the whole run, not each cluster in turn.
  const limit = pLimit(options.concurrency);
  const bounded: AfterApplyDeps = {
    ...deps,
    describe: (outcome, signal) => limit(() => deps.describe(outcome, signal)),
    probe: (cluster) => limit(() => deps.probe(cluster)),
  };
  const deadline = deps.clock.now() + options.waitMs;
  const checked = await Promise.all(
    probedAfterApply(outcomes).map(
      async (outcome) =>
        [outcome.arn, await checkOne(outcome, bounded, options, deadline)] as const,
    ),
  );
  return new Map(checked);
}

async function checkOne(
  outcome: ClusterOutcome,
  deps: AfterApplyDeps,
  options: AfterApplyOptions,
  deadline: number,
): Promise<AfterApplyCheck> {
  if (options.signal.aborted) return unprobed('unknown', 'Not probed: the run was interrupted.');
  let cluster: Cluster;
  try {
    cluster = await deps.describe(outcome, options.signal);
  } catch (error) {
    return unprobed(
      'unknown',
      `Not probed: DescribeCluster failed: ${formatErrorInfo(toErrorInfo(error))}`,
    );
  }
  const config = endpointConfigOf(cluster);
  const { expected } = expectationAfterChange(config, options.vantage);
  if (!cluster.endpoint?.startsWith('https://')) {
    return unprobed(expected, 'Not probed: DescribeCluster gave no https endpoint.');
  }
  for (let attempts = 1; ; attempts += 1) {
    const observation = await deps.probe(cluster);
    // A probe cut short by a signal proves nothing, silence least of all.
    if (options.signal.aborted) {
      return {
        ...unprobed(expected, 'Not judged: the run was interrupted while probing.'),
        attempts,
        observation,
      };
    }
    const judged = judgeObservation(config, options.vantage, observation);
    const result = { expected, ...judged, attempts, observation };
    if (judged.confirmed !== false) return result;
    const left = deadline - deps.clock.now();
    if (left <= 0 || options.signal.aborted) return withLookAgain(result, outcome);
    const wait = Math.min(options.intervalMs, left);
    deps.progress(
      `${clusterLabel(outcome)}: still answers from here; probing again in ${Math.ceil(wait / 1000)} s (--probe-wait)`,
    );
    await deps.clock.sleep(wait, options.signal);
    if (options.signal.aborted) return withLookAgain(result, outcome);
  }
}

const withLookAgain = (check: AfterApplyCheck, outcome: ClusterOutcome): AfterApplyCheck => ({
  ...check,
  summary: `${check.summary} Probe again later with: eksposure probe --cluster ${outcome.clusterName} --region ${outcome.region}`,
});
