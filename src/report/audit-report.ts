import type { AppliedExemption, ExemptionUsage } from '../config/exemptions.js';
import type { ProbeReport } from '../probe/probe-report.js';
import type { Evidence, Severity } from '../rules/types.js';

/** Bump the major version on any change a consumer could notice; schemas/audit-report.schema.json mirrors this. */
export const AUDIT_REPORT_SCHEMA_VERSION = '2.1.0';

export type RegionStatus = 'ok' | 'error' | 'skipped';
/** SUPPRESSED: a FAIL that an exemption in force accepts (never hidden; see `exemption`). */
export type FindingStatus = 'PASS' | 'FAIL' | 'ERROR' | 'SUPPRESSED';

export interface ReportError {
  readonly code: string;
  readonly message: string;
}

export type AccountStatus = 'ok' | 'error' | 'skipped';

export interface AccountResult {
  readonly accountId: string;
  /** The account's name in AWS Organizations, when known. */
  readonly name: string | null;
  /** ok: its regions were listed (some may still have failed); error: it could not be scanned at all. */
  readonly status: AccountStatus;
  /** The role assumed in it; null: the caller's own credentials. */
  readonly roleArn: string | null;
  readonly error: ReportError | null;
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
  readonly error: ReportError | null;
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
  readonly error: ReportError | null;
  /** The rule's own facts; null when the cluster could not be read. */
  readonly evidence: Evidence | null;
  /** The exemption that suppressed this finding, or the expired one that no longer does. */
  readonly exemption: AppliedExemption | null;
  /** What `audit --probe` observed at the cluster's endpoint (EKS-001 findings only; since 2.1.0). */
  readonly probe?: ProbeReport;
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
  /** False when any account, region or cluster could not be read: the findings may then be missing clusters. */
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
  readonly findings: readonly Finding[];
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INCOMPLETE = 3;

/** 128 + the signal's number, as a shell reports a process ended by it. */
const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export function exitCodeForSignal(name: string): number {
  return SIGNAL_EXIT_CODES[name] ?? 130;
}

/** --fail-on: the lowest severity of a FAIL that exits 1; `any` (the default) is every FAIL, `never` none. */
export type FailOn = Severity | 'any' | 'never';
export const FAIL_ON_CHOICES = ['critical', 'high', 'medium', 'low', 'never'] as const;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  low: 0,
  medium: 1,
  high: 2,
  critical: 3,
};

/** Pure: whether a FAIL of this severity turns the exit code to 1 under --fail-on. */
export function failsBuild(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return failOn === 'any' || SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/**
 * An incomplete scan never exits 0, and outranks FAIL: the report cannot be trusted as complete.
 * SUPPRESSED findings never count.
 */
export function exitCodeFor(report: AuditReport, failOn: FailOn = 'any'): number {
  if (!report.complete) return EXIT_INCOMPLETE;
  const failing =
    failOn === 'any'
      ? report.summary.fail > 0
      : report.findings.some((f) => f.status === 'FAIL' && failsBuild(f.severity, failOn));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}
