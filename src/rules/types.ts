import type { ClusterRecord } from '../aws/collect-clusters.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** What a rule's check decides about one cluster. Collection failures and rule crashes become ERROR elsewhere. */
export type CheckStatus = 'PASS' | 'FAIL';

export interface RuleMetadata {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly rationale: string;
  readonly remediation: {
    readonly summary: string;
    /** Paste-able AWS CLI; `<region>` and `<cluster>` are placeholders. */
    readonly cli: string;
    readonly terraform: string;
  };
  readonly references: readonly string[];
}

export interface CheckResult {
  readonly status: CheckStatus;
  readonly message: string;
}

export interface Rule {
  readonly metadata: RuleMetadata;
  /** Pure: the cluster as DescribeCluster returned it (the fields a scan keeps), in; a verdict with a reason, out. */
  readonly check: (cluster: ClusterRecord) => CheckResult;
}
