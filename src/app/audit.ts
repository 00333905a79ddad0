import type { Exemption } from '../config/config.js';
import type { DeclaredManager } from '../model/managed-by.js';
import type { AuditReport } from '../model/findings.js';
import type { ProbeReport } from '../model/probe.js';
import type { AccountScanResult } from '../model/scan.js';
import { probeTargets } from '../probe/probe-clusters.js';
import { kubeletTargets } from '../probe/kubelet-targets.js';
import type { KubeletProbeResult, KubeletProbeTarget } from '../model/node-probe.js';
import type { Rule, RuleContext } from '../rules/types.js';
import type { NotSelected, Refused } from './outcomes.js';
import { scan, type ScanPorts, type ScanRequest } from './scan-accounts.js';

/** --probe on an audit: each public endpoint probed from this machine. */
export interface AuditProbe {
  readonly timeoutMs: number;
  /** --my-ip: where "not reachable" holds from. */
  readonly vantage: string | null;
  /** Endpoints probed at once. */
  readonly concurrency: number;
}

export interface AuditPorts extends ScanPorts {
  /**
   * Probes every public endpoint of the scanned accounts, TLS verified against each cluster's CA;
   * once `signal` aborts, those in flight end and no more start. Keyed by cluster ARN.
   */
  probeEndpoints(
    accounts: readonly AccountScanResult[],
    probe: AuditProbe,
    signal: AbortSignal,
  ): Promise<ReadonlyMap<string, ProbeReport>>;
  /** Anonymous GET /pods and /healthz on each kubelet, `probe.concurrency` at once; never throws. */
  probeKubelets(
    targets: readonly KubeletProbeTarget[],
    probe: AuditProbe,
    signal: AbortSignal,
  ): Promise<KubeletProbeResult[]>;
}

export interface AuditRequest extends Omit<ScanRequest, 'afterScan' | 'evaluation'> {
  readonly rules: readonly Rule[];
  readonly ruleContext: RuleContext;
  readonly exemptions: readonly Exemption[];
  readonly managers: readonly DeclaredManager[];
  /** --probe, with its settings; null without. */
  readonly probe: AuditProbe | null;
}

export type AuditRunOutcome =
  | { readonly kind: 'report'; readonly report: AuditReport }
  /** SIGINT/SIGTERM: a scan cut short is not reported (its errors are ours, not the account's). */
  | { readonly kind: 'interrupted' }
  | Refused
  | NotSelected;

/** audit: every account and region in scope read, every cluster judged by the rules asked for. */
export async function audit(ports: AuditPorts, request: AuditRequest): Promise<AuditRunOutcome> {
  const { probe, signal } = request;
  const outcome = await scan(ports, {
    ...request,
    evaluation: {
      rules: request.rules,
      ruleContext: request.ruleContext,
      exemptions: request.exemptions,
      managers: request.managers,
      ...(probe && {
        keepCertificateAuthority: true,
        probe: async (accounts) => {
          const endpoints = probeTargets(accounts).length;
          ports.logger.info({ endpoints, vantage: probe.vantage }, 'probing public endpoints');
          const probes = await ports.probeEndpoints(accounts, probe, signal);
          ports.logger.info({ endpoints: probes.size }, 'probes done');
          if (!request.rules.some((r) => r.needs?.includes('nodes'))) return { probes };
          return {
            probes,
            kubeletProbes: await probeExposedKubelets(ports, accounts, probe, signal),
          };
        },
      }),
    },
  });
  if (outcome.kind === 'not-selected') return outcome;
  if (signal.aborted) return { kind: 'interrupted' };
  if (outcome.kind === 'refused') return outcome;
  return { kind: 'report', report: outcome.report };
}

/** With EKS-003: the kubelets it finds open to the internet, probed; results by cluster ARN. */
async function probeExposedKubelets(
  ports: AuditPorts,
  accounts: readonly AccountScanResult[],
  probe: AuditProbe,
  signal: AbortSignal,
): Promise<ReadonlyMap<string, readonly KubeletProbeResult[]>> {
  const targets = kubeletTargets(accounts);
  ports.logger.info({ kubelets: targets.length }, 'probing exposed kubelets');
  const results = await ports.probeKubelets(
    targets.map((t) => t.target),
    probe,
    signal,
  );
  // A result names its node, not the cluster's ARN: the targets say which cluster each node is of.
  const nodeKey = (n: Pick<KubeletProbeTarget, 'accountId' | 'region' | 'clusterName'>) =>
    `${n.accountId ?? ''}/${n.region ?? ''}/${n.clusterName ?? ''}`;
  const clusterOf = new Map(targets.map((t) => [nodeKey(t.target), t.cluster]));
  const byCluster = new Map<string, KubeletProbeResult[]>();
  for (const result of results) {
    const cluster = clusterOf.get(nodeKey(result));
    if (cluster !== undefined) byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), result]);
  }
  return byCluster;
}
