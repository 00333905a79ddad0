import { type ClusterRecord } from '../model/scan.js';
import { type ProbeReport } from '../model/probe.js';
import { type Severity, type Evidence } from '../model/findings.js';
import { type RegionNodes } from '../model/nodes.js';
import type { KubeletProbeResult } from '../model/node-probe.js';

/**
 * What a rule's check decides about one cluster. ERROR: the rule could not observe what it judges
 * (a probe that reached no address); collection failures and rule crashes become ERROR elsewhere.
 */
export type CheckStatus = 'PASS' | 'FAIL' | 'ERROR';

export interface RuleMetadata {
  readonly id: string;
  /** Other names of the same control (AWS Security Hub, AWS Config, ...); `--rules` accepts them too. */
  readonly aliases: readonly string[];
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
  readonly evidence: Evidence;
  /** This verdict's severity when it is not the rule's (a probe's FAIL is as bad as what it observed). */
  readonly severity?: Severity;
  /** With ERROR: what stood in the way, as the report's `error` gives it. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** What the user configured that a rule may take into account. */
export interface RuleContext {
  /** --approved-cidrs (or the config file's approvedCidrs); null when none were given. */
  readonly approvedCidrs: readonly string[] | null;
  /** What `--probe` observed, by cluster ARN (see probeKey); absent when no probe ran. */
  readonly probes?: ReadonlyMap<string, ProbeReport>;
  /** What `--probe` saw of the kubelets EKS-003 found exposed, by cluster ARN; absent when no probe ran. */
  readonly kubeletProbes?: ReadonlyMap<string, readonly KubeletProbeResult[]>;
  /** The cluster's region's EC2 nodes (read only when a rule needs them); absent when not read. */
  readonly nodes?: { readonly region: string; readonly facts: RegionNodes };
}

/** Facts a scan reads only for the rules that need them. */
export type RuleFact = 'nodes';

export const NO_RULE_CONTEXT: RuleContext = { approvedCidrs: null };

export interface Rule {
  readonly metadata: RuleMetadata;
  /** Pure: the cluster as DescribeCluster returned it (the fields a scan keeps), in; a verdict with a reason, out. */
  readonly check: (cluster: ClusterRecord, context?: RuleContext) => CheckResult;
  /** What the scan must read beyond DescribeCluster for this rule (EKS-003: the nodes). */
  readonly needs?: readonly RuleFact[];
}
