/** The audit report: every finding, and what was read to make it. schemas/audit-report.schema.json describes it. */
import type { ErrorInfo } from './errors.js';
import type { ManagedBy } from './managed-by.js';
import type { ProbeReport } from './probe.js';
import type { SecurityHubSummary } from './security-hub.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** Severities in order, lowest first. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  low: 0,
  medium: 1,
  high: 2,
  critical: 3,
};

/** The facts a rule judged by, in its own fields (CIDRs for the endpoint rules, probe results for a probe rule). */
export type Evidence = Readonly<Record<string, unknown>>;

/** The exemption a finding carries: the one that suppressed it, or the expired one that no longer does. */
export interface AppliedExemption {
  readonly index: number;
  readonly reason: string;
  readonly expires: string;
  readonly expired: boolean;
}

export interface ExemptionUsage {
  readonly index: number;
  readonly reason: string;
  readonly expires: string;
  readonly expired: boolean;
  /** Findings (cluster and rule) it matched. */
  readonly matched: number;
  /** Findings it turned SUPPRESSED. */
  readonly suppressed: number;
  /** It matched no finding: a typo, a cluster gone, or a rule not run. */
  readonly unused: boolean;
}

/** Bump the major version on any change a consumer could notice; schemas/audit-report.schema.json mirrors this. */
export const AUDIT_REPORT_SCHEMA_VERSION = '2.5.0';

export type RegionStatus = 'ok' | 'error' | 'skipped';

/** SUPPRESSED: a FAIL that an exemption in force accepts (never hidden; see `exemption`). */
export type FindingStatus = 'PASS' | 'FAIL' | 'ERROR' | 'SUPPRESSED';

export type AccountStatus = 'ok' | 'error' | 'skipped';

export interface AccountResult {
  readonly accountId: string;
  /** The account's name in AWS Organizations, when known. */
  readonly name: string | null;
  /** ok: its regions were listed (some may still have failed); error: it could not be scanned at all. */
  readonly status: AccountStatus;
  /** The role assumed in it; null: the caller's own credentials. */
  readonly roleArn: string | null;
  readonly error: ErrorInfo | null;
  /** Why it was skipped (e.g. "state SUSPENDED"); null otherwise. */
  readonly reason: string | null;
}

export interface RegionResult {
  readonly accountId: string;
  readonly region: string;
  readonly status: RegionStatus;
  readonly optInStatus: string;
  /** Clusters listed in the region; null when the region was skipped or could not be listed to the end. */
  readonly clusterCount: number | null;
  readonly error: ErrorInfo | null;
  /** Why a region was skipped; null otherwise. */
  readonly reason: string | null;
}

export interface Finding {
  readonly accountId: string;
  readonly ruleId: string;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly region: string;
  readonly clusterName: string;
  readonly arn: string | null;
  readonly clusterStatus: string | null;
  readonly endpointPublicAccess: boolean | null;
  readonly endpointPrivateAccess: boolean | null;
  readonly publicAccessCidrs: readonly string[] | null;
  /** private | public-restricted | public-open; null when the cluster could not be read. */
  readonly accessMode: string | null;
  /** "private only", "public restricted to 2 CIDRs (private on)", ... */
  readonly accessDescription: string | null;
  readonly message: string;
  readonly error: ErrorInfo | null;
  /** The rule's own facts; null when the cluster could not be read. */
  readonly evidence: Evidence | null;
  /** The exemption that suppressed this finding, or the expired one that no longer does. */
  readonly exemption: AppliedExemption | null;
  /** What `audit --probe` observed at the cluster's endpoint (EKS-001 findings only; since 2.1.0). */
  readonly probe?: ProbeReport;
  /** Who manages the cluster, read from its tags; absent when the cluster could not be read (since 2.3.0). */
  readonly managedBy?: ManagedBy;
  /** What became of it since the --baseline report; absent without one (since 2.4.0). */
  readonly change?: FindingChange;
}

/**
 * A finding against the --baseline report (since 2.4.0). new: not in the baseline, or FAIL now and
 * not FAIL (PASS, SUPPRESSED, ERROR) then; unchanged: same status and facts; changed: same status
 * with other facts (evidence, severity, exemption, error code), or another status that is neither
 * new nor resolved; resolved: FAIL then, PASS now; not-rescanned: ERROR now, not ERROR then.
 */
export type FindingChange = 'new' | 'unchanged' | 'changed' | 'resolved' | 'not-rescanned';

/**
 * Why a baseline finding is listed: resolved (passes, cluster-gone), removed (cluster-gone), not
 * rescanned (could not be read now) or out of scope (not covered by this run).
 */
export type BaselineReason =
  | 'passes'
  | 'cluster-gone'
  | 'cluster-unreadable'
  | 'region-unreadable'
  | 'region-skipped'
  | 'account-unreadable'
  | 'account-skipped'
  | 'rule-not-run'
  | 'account-not-in-run'
  | 'region-not-in-run';

/** A finding of the baseline report, and what this run made of it. */
export interface BaselineEntry {
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly arn: string | null;
  /** Its status in the baseline. */
  readonly baselineStatus: FindingStatus;
  /** Its status in this run; null when this run has no finding for it. */
  readonly status: FindingStatus | null;
  readonly reason: BaselineReason;
}

export interface BaselineSummary {
  /** Findings of this run: not in the baseline, or FAIL now and not then. */
  readonly new: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Baseline FAILs that PASS now, or whose cluster is gone from a region read completely. */
  readonly resolved: number;
  /** Baseline findings that were not FAIL and whose cluster is gone from a region read completely. */
  readonly removed: number;
  /** Baseline findings whose account, region or cluster this run could not read. */
  readonly notRescanned: number;
  /** Baseline findings of accounts, regions or rules this run did not cover. */
  readonly outOfScope: number;
}

/** This run against an earlier report, `--baseline FILE` (since 2.4.0). */
export interface BaselineComparison {
  /** The file as named on the command line. */
  readonly file?: string;
  readonly schemaVersion: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Whether the baseline itself read everything it covered. */
  readonly complete: boolean;
  readonly summary: BaselineSummary;
  readonly resolved: readonly BaselineEntry[];
  readonly removed: readonly BaselineEntry[];
  readonly notRescanned: readonly BaselineEntry[];
  readonly outOfScope: readonly BaselineEntry[];
}

export interface AuditSummary {
  readonly accounts: number;
  readonly accountsScanned: number;
  readonly accountsFailed: number;
  readonly accountsSkipped: number;
  readonly regionsScanned: number;
  readonly regionsSkipped: number;
  readonly regionsFailed: number;
  readonly clusters: number;
  readonly pass: number;
  readonly fail: number;
  readonly error: number;
  readonly suppressed: number;
}

/** The services whose calls are paced, and whose throttled calls a run counts. */
export type CountedService = 'eks' | 'ec2' | 'sts' | 'organizations' | 'securityhub';

/** How the run itself went, beyond its findings (since 2.2.0). */
export interface RunFacts {
  /** Attempts AWS throttled, per service, over every account and region of the run. */
  readonly throttledCalls: Readonly<Record<Exclude<CountedService, 'securityhub'>, number>> & {
    /** Since 2.5.0: counted when `--security-hub` sends findings. */
    readonly securityhub?: number;
  };
}

export interface AuditReport {
  readonly schemaVersion: string;
  readonly tool: { readonly name: 'eksposure'; readonly version: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The region DescribeRegions was asked in. */
  readonly homeRegion: string;
  /** The --regions filter, or null for every region of the account. */
  readonly requestedRegions: readonly string[] | null;
  /** This report's share of the accounts (--shard), index from 0; null: every account. */
  readonly shard: { readonly index: number; readonly count: number } | null;
  /**
   * False when any account, region or cluster could not be read: the findings may then be missing
   * clusters. Also false (since 2.5.0) when --security-hub could not deliver every finding.
   */
  readonly complete: boolean;
  readonly summary: AuditSummary;
  readonly rules: readonly {
    readonly id: string;
    readonly title: string;
    readonly severity: Severity;
    readonly aliases: readonly string[];
  }[];
  /** Sorted by account id. */
  readonly accounts: readonly AccountResult[];
  readonly regions: readonly RegionResult[];
  /** Each exemption of the config file and what it matched; empty without one. */
  readonly exemptions: readonly ExemptionUsage[];
  /** Since 2.2.0; absent from reports built without AWS (tests, older versions). */
  readonly run?: RunFacts;
  /** With --baseline: what changed since that report (since 2.4.0). */
  readonly baseline?: BaselineComparison;
  /** What `--security-hub` imported, updated and archived (since 2.5.0); absent without it. */
  readonly securityHub?: SecurityHubSummary;
  readonly findings: readonly Finding[];
}
