/** Which kubelets `audit --probe` knocks on: those rule EKS-003 finds open to the internet. Pure. */
import { KUBELET_PORTS, type KubeletProbeTarget } from '../model/node-probe.js';
import type { AccountScanResult } from '../model/scan.js';
import { judgeNodes } from '../rules/eks-003-node-exposure.js';
import { probeKey } from '../rules/eks-probe-001-api-reachable.js';
import { caPemOf } from './probe-clusters.js';

/** A kubelet to probe, and the cluster (by ARN) whose finding its result goes to. */
export interface KubeletTargetOf {
  readonly cluster: string;
  readonly target: KubeletProbeTarget;
}

/**
 * Every exposed node's public address on each kubelet port (10250, 10255) an exposing rule covers,
 * in every region whose nodes were read: the node and port EKS-003 reports, nothing else.
 */
export function kubeletTargets(accounts: readonly AccountScanResult[]): KubeletTargetOf[] {
  const targets: KubeletTargetOf[] = [];
  for (const account of accounts) {
    if (!account.ok) continue;
    for (const scan of account.scans) {
      if (!scan.nodes?.ok) continue;
      for (const c of scan.clusters) {
        if (!c.ok) continue;
        const { exposed } = judgeNodes(c.cluster.name ?? '', scan.region, scan.nodes);
        for (const node of exposed) {
          for (const port of KUBELET_PORTS) {
            // Only the addresses of the families the internet reaches this port on.
            const families = node.ports
              .filter((p) => p.fromPort <= port && port <= p.toPort)
              .flatMap((p) => p.families);
            for (const { address, family } of node.addresses) {
              if (!families.includes(family)) continue;
              targets.push({
                cluster: probeKey(c.cluster),
                target: {
                  clusterName: node.clusterName,
                  region: node.region,
                  accountId: account.target.accountId,
                  instanceId: node.instanceId,
                  address,
                  port,
                  caPem: caPemOf(c.cluster),
                },
              });
            }
          }
        }
      }
    }
  }
  return targets;
}
