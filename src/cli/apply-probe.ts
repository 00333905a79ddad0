import { formatErrorInfo } from '../model/errors.js';
import type { AfterApplyCheck } from '../probe/after-apply.js';
import { confirmAfterApply, probedAfterApply } from '../probe/confirm-after-apply.js';
import { probeClusterEndpoint } from '../probe/probe-clusters.js';
import type { ClusterOutcome } from '../remediation/executor.js';
import type { ApplySession } from './apply-flow.js';
import type { CliDeps } from './deps.js';
import { type ChangeProbe, PROBE_AGAIN_EVERY_MS } from './apply-probe-options.js';

/**
 * With --probe, probes the changed clusters of an apply or resume (see confirmAfterApply), progress
 * on stderr; null without --probe, and after a signal (nothing new starts then, a probe included).
 */
export async function probeAfterApply(
  deps: CliDeps,
  session: ApplySession,
  outcomes: readonly ClusterOutcome[],
  probe: ChangeProbe | null,
  signal: AbortSignal,
): Promise<ReadonlyMap<string, AfterApplyCheck> | null> {
  if (probe === null || signal.aborted) return null;
  const progress = (line: string) => deps.stderr.write(`eksposure: ${line}\n`);
  const count = probedAfterApply(outcomes).length;
  if (count > 0) {
    progress(
      `probing ${count} changed endpoint${count === 1 ? '' : 's'} from ${probe.vantage ?? 'this machine'} (--probe)`,
    );
  }
  return confirmAfterApply(
    outcomes,
    {
      describe: async (outcome, callSignal) => {
        const port = session.accounts.portFor(outcome);
        if (!port.ok) throw new Error(formatErrorInfo(port.error));
        return port.aws.describeCluster(outcome.region, outcome.clusterName, callSignal);
      },
      probe: (cluster) =>
        probeClusterEndpoint(cluster, {
          timeoutMs: probe.timeoutMs,
          vantage: probe.vantage,
          clock: deps.clock,
          signal,
        }),
      now: () => deps.clock().getTime(),
      sleep: deps.sleep,
      progress,
    },
    {
      vantage: probe.vantage,
      waitMs: probe.waitMs,
      intervalMs: PROBE_AGAIN_EVERY_MS,
      concurrency: probe.concurrency,
      signal,
    },
  );
}
