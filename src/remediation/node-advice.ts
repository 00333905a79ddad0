import { remediationCommands } from '../rules/eks-003-node-exposure.js';
import type { Finding } from '../model/findings.js';
import type { ExposingRule } from '../model/nodes.js';
import type { NodeExposureAdvice } from './plan.js';

export const NODE_ADVICE_WARNING =
  'Other workloads may rely on these rules (load balancers, NodePort services, SSH access): check ' +
  'before running. eksposure never applies security-group changes.';

/**
 * Pure: for each cluster EKS-003 failed (not the ones an exemption suppressed), the AWS CLI
 * commands that close each offending ingress rule; in allowlist mode the allowed CIDRs are
 * authorized on the same ports before the revoke. Advice only: apply ignores it.
 */
export function nodeExposureAdvice(
  findings: readonly Finding[],
  allowCidrs: readonly string[] | null,
): NodeExposureAdvice[] {
  return findings
    .filter((f) => f.ruleId === 'EKS-003' && f.status === 'FAIL')
    .map((f) => {
      const evidence = f.evidence ?? {};
      const rules = (evidence['exposingRules'] ?? []) as readonly ExposingRule[];
      return {
        accountId: f.accountId,
        region: f.region,
        clusterName: f.clusterName,
        severity: f.severity,
        exposedNodeCount: Number(evidence['exposedNodeCount'] ?? 0),
        message: f.message,
        commands: remediationCommands(f.region, rules, allowCidrs),
        warning: NODE_ADVICE_WARNING,
      };
    });
}
