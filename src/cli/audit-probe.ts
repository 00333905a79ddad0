import type { Logger } from 'pino';
import type { AccountScanResult } from '../audit/evaluate.js';
import { probeClusters, probeTargets } from '../probe/probe-clusters.js';
import type { ProbeReport } from '../probe/probe-report.js';
import { eksProbe001ApiReachable } from '../rules/eks-probe-001-api-reachable.js';
import { rules as allRules } from '../rules/registry.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';
import type { ProbeTuning } from './probe-options.js';
import type { RuleSetup } from './rule-config.js';

/** --probe adds EKS-PROBE-001 to the rules run (in registry order). */
export function withProbeRule(
  setup: RuleSetup,
  probe: ProbeTuning | null,
): RuleSetup & { readonly probe: ProbeTuning | null } {
  if (!probe) {
    // Without a probe the rule could only pass every cluster: a green that means nothing.
    if (setup.rules.includes(eksProbe001ApiReachable)) {
      throw new CliError(
        '--rules EKS-PROBE-001 reports what a probe observed: add --probe, or leave it out of --rules',
      );
    }
    return { ...setup, probe };
  }
  const rules = allRules.filter((r) => setup.rules.includes(r) || r === eksProbe001ApiReachable);
  return { ...setup, rules, probe };
}

/** What runs between the scan and the report: every public endpoint probed from this machine. */
export function probeAfterScan(
  deps: Pick<CliDeps, 'clock'>,
  tuning: ProbeTuning,
  logger: Logger,
  signal: AbortSignal,
): (accounts: readonly AccountScanResult[]) => Promise<ReadonlyMap<string, ProbeReport>> {
  return async (accounts) => {
    const count = probeTargets(accounts).length;
    logger.info({ endpoints: count, vantage: tuning.vantage }, 'probing public endpoints');
    const probes = await probeClusters(accounts, {
      timeoutMs: tuning.timeoutMs,
      concurrency: tuning.concurrency,
      vantage: tuning.vantage,
      clock: deps.clock,
      // A signal ends the probes in flight and starts no more; the audit then stops without a report.
      signal,
    });
    logger.info({ endpoints: probes.size }, 'probes done');
    return probes;
  };
}
