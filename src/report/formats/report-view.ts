import { accountFromArn } from '../../model/aws-names.js';
import { describeManager } from '../../model/managed-by.js';
import { probeText } from '../../probe/probe-report.js';
import {
  type AuditReport,
  type BaselineComparison,
  type BaselineReason,
  type Finding,
  type RegionResult,
} from '../../model/findings.js';

/** Report 2.0.0 (issue 9) puts `accountId` on findings and regions; older reports have it only in ARNs. */
interface MaybeAccount {
  readonly accountId?: string | null;
}

export const UNKNOWN_ACCOUNT = 'unknown';

export { accountFromArn };

const ownAccount = (finding: Finding): string | null =>
  (finding as MaybeAccount).accountId ?? accountFromArn(finding.arn);

/**
 * The account each finding of `report` belongs to: its own `accountId`, else the one in its
 * cluster's ARN, else (a cluster that could not be read, in a report before 2.0.0) the one
 * account the report names.
 */
export function findingAccounts(report: AuditReport): (finding: Finding) => string {
  const fallback = onlyAccount(report);
  return (finding) => ownAccount(finding) ?? fallback;
}

function onlyAccount(report: AuditReport): string {
  const seen = new Set(report.findings.map(ownAccount).filter((a) => a !== null));
  return seen.size === 1 ? ([...seen][0] ?? UNKNOWN_ACCOUNT) : UNKNOWN_ACCOUNT;
}

/** The account of a region result: its own `accountId`, else the one account the report names. */
export function regionAccount(report: AuditReport, region: RegionResult): string {
  return (region as MaybeAccount).accountId ?? onlyAccount(report);
}

/**
 * The exemption a finding names (issue 10, config exemptions): the one that suppresses it, or an
 * expired one that no longer does. Read from `exemption` (report 2.0.0).
 */
export interface ExemptionNote {
  readonly reason: string | null;
  readonly expires: string | null;
  readonly expired: boolean;
}

export function exemptionOf(finding: Finding): ExemptionNote | null {
  const raw = (finding as { exemption?: Partial<ExemptionNote> | null }).exemption;
  if (!raw) return null;
  return {
    reason: raw.reason ?? null,
    expires: raw.expires ?? null,
    expired: raw.expired === true,
  };
}

/** The exemption in force on a SUPPRESSED finding; null for any other status. */
export function suppressionOf(finding: Finding): ExemptionNote | null {
  if ((finding.status as string) !== 'SUPPRESSED') return null;
  return exemptionOf(finding) ?? { reason: null, expires: null, expired: false };
}

/** "suppressed: vendor demo (until 2027-03-31)", or "exemption expired on 2027-01-15: ..." on a FAIL. */
export function exemptionText(finding: Finding): string | null {
  const note = exemptionOf(finding);
  if (!note) return null;
  const reason = note.reason ?? 'no reason given';
  if (note.expired) return `exemption expired on ${note.expires ?? '?'}: ${reason}`;
  return `suppressed until ${note.expires ?? '?'}: ${reason}`;
}

/** A format that is a JSON list of one object per finding (ASFF, OCSF), as a file's text. */
export function findingsJsonList(
  report: AuditReport,
  toItem: (finding: Finding, account: string) => object,
): string {
  const findingAccount = findingAccounts(report);
  return `${JSON.stringify(
    report.findings.map((f) => toItem(f, findingAccount(f))),
    null,
    2,
  )}\n`;
}

/** "observed from 203.0.113.9: version-disclosed (v1.29.15-eks-...)" when `audit --probe` probed it (report 2.1.0). */
export function probeNote(finding: Finding): string | null {
  return finding.probe ? probeText(finding.probe) : null;
}

/**
 * "managed by Terraform (terraform-aws-modules=eks)" when the cluster's tags name a tool (report
 * 2.3.0); null when they name none or the cluster could not be read. The texts leave "unknown" out,
 * the structured formats (JSON, CSV, ASFF, OCSF) carry it.
 */
export function managerNote(finding: Finding): string | null {
  const managedBy = finding.managedBy;
  return managedBy && managedBy.tool !== 'unknown'
    ? `managed by ${describeManager(managedBy)}`
    : null;
}

/** "tag=value; tag=value": the tags that named the tool. */
export function managerEvidence(finding: Finding): string | null {
  const evidence = finding.managedBy?.evidence ?? [];
  return evidence.length > 0 ? evidence.map((e) => `${e.tag}=${e.value}`).join('; ') : null;
}

/**
 * What a row says of a finding: the endpoint's access for the rules that judge the endpoint, the
 * rule's own message for those that judge something else (EKS-003: the nodes).
 */
export function whatWasJudged(finding: Finding): string {
  const judgesNodes = finding.evidence?.['nodesRead'] !== undefined;
  return judgesNodes ? finding.message : (finding.accessDescription ?? finding.message);
}

/** What a status-keyed count or order sees: the report's statuses plus SUPPRESSED. */
export type ReportedStatus = 'PASS' | 'FAIL' | 'ERROR' | 'SUPPRESSED';

export function statusOf(finding: Finding): ReportedStatus {
  return finding.status;
}

/** Failing first, then errors, suppressed, passing: what a reader acts on comes first. */
export const STATUS_RANK: Readonly<Record<ReportedStatus, number>> = {
  FAIL: 0,
  ERROR: 1,
  SUPPRESSED: 2,
  PASS: 3,
};

export function sortForReaders(report: AuditReport): Finding[] {
  const findingAccount = findingAccounts(report);
  return [...report.findings].sort(
    (a, b) =>
      (STATUS_RANK[statusOf(a)] ?? 9) - (STATUS_RANK[statusOf(b)] ?? 9) ||
      findingAccount(a).localeCompare(findingAccount(b)) ||
      a.region.localeCompare(b.region) ||
      a.clusterName.localeCompare(b.clusterName) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** Regions that were not scanned to the end: their clusters are missing from the findings. */
export function failedRegions(report: AuditReport): RegionResult[] {
  return report.regions.filter((r) => r.status === 'error');
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * What the findings say, for a headline: `incomplete` outranks `failing` as in the exit code, but
 * a FAIL is reported whatever --fail-on makes of it.
 */
export type Verdict = 'clean' | 'failing' | 'incomplete';

export function verdictOf(report: AuditReport): Verdict {
  if (!report.complete) return 'incomplete';
  return report.findings.some((f) => statusOf(f) === 'FAIL') ? 'failing' : 'clean';
}

/** Why a baseline finding is listed, in words (--baseline, report 2.4.0). */
export const BASELINE_REASONS: Readonly<Record<BaselineReason, string>> = {
  passes: 'PASS now',
  'cluster-gone': 'cluster gone (its region was read completely)',
  'cluster-unreadable': 'the cluster could not be read',
  'region-unreadable': 'the region could not be read',
  'region-skipped': 'the region was skipped',
  'account-unreadable': 'the account could not be scanned',
  'account-skipped': 'the account was skipped',
  'rule-not-run': 'the rule was not run',
  'account-not-in-run': 'the account is not in this run',
  'region-not-in-run': 'the region is not in this run',
};

/** "2026-11-24 02:00:03 UTC": a report's date, as a person reads it. */
export function readableDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time)
    ? iso
    : `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "Since the baseline of 2026-11-24 02:00:03 UTC (base.json): 1 new, 2 resolved, ...", no full stop. */
export function baselineText(baseline: BaselineComparison): string {
  const b = baseline.summary;
  const file = baseline.file ? ` (${baseline.file})` : '';
  return (
    `Since the baseline of ${readableDate(baseline.finishedAt)}${file}: ${b.new} new, ${b.resolved} resolved, ` +
    `${b.changed} changed, ${b.unchanged} unchanged` +
    `${b.removed ? `, ${b.removed} gone (not failing before)` : ''}, ${b.notRescanned} not rescanned, ${b.outOfScope} out of scope` +
    `${baseline.complete ? '' : '; the baseline itself was incomplete'}`
  );
}
