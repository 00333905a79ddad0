/**
 * What changed since an earlier audit (`--baseline FILE`): a pure comparison of this run's report
 * with an earlier report (or a merged one) of any 2.x version. Findings are keyed by account,
 * region, cluster and rule. A baseline finding is resolved only when this run read its cluster (it
 * passes now) or read its whole region (the cluster is gone); one this run could not read is not
 * rescanned, one it did not cover is out of scope.
 */
import { accountFromArn } from '../model/aws-names.js';
import {
  type AuditReport,
  type BaselineComparison,
  type BaselineEntry,
  type BaselineReason,
  type BaselineSummary,
  type Finding,
  type FindingChange,
  type FindingStatus,
  SEVERITY_RANK,
} from '../model/findings.js';
import { isObject } from '../model/json-shape.js';

/** The major version of the reports --baseline reads. */
export const BASELINE_MAJOR = '2.';

const STATUSES: readonly FindingStatus[] = ['PASS', 'FAIL', 'ERROR', 'SUPPRESSED'];

export type BaselineRead =
  | { readonly ok: true; readonly report: AuditReport }
  | { readonly ok: false; readonly problem: string };

const isDate = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v));

function findingProblem(f: unknown, i: number): string | undefined {
  if (!isObject(f)) return `findings[${i}] is not an object`;
  for (const field of ['region', 'clusterName', 'ruleId'] as const)
    if (typeof f[field] !== 'string') return `findings[${i}] has no ${field}`;
  if (!STATUSES.includes(f.status as FindingStatus))
    return `findings[${i}] has status ${JSON.stringify(f.status ?? null)}, not PASS, FAIL, ERROR or SUPPRESSED`;
  return undefined;
}

/**
 * Pure: the text of a --baseline file as an audit report, or what is wrong with it (a phrase the
 * CLI puts after the file's name). Checks what the comparison relies on, no more: a report of any
 * 2.x version (older ones have fewer fields) reads.
 */
export function readBaselineReport(text: string): BaselineRead {
  const fail = (problem: string) => ({ ok: false as const, problem });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) return fail('is not an eksposure audit report (not a JSON object)');
  if (!isObject(value.tool) || value.tool.name !== 'eksposure')
    return fail('is not an eksposure audit report (no "tool": eksposure)');
  if (typeof value.kind === 'string')
    return fail(`is not an eksposure audit report (it is an ${value.kind})`);
  const version = value.schemaVersion;
  if (typeof version !== 'string' || !version.startsWith(BASELINE_MAJOR))
    return fail(
      `has schemaVersion ${JSON.stringify(version ?? null)}; --baseline reads ${BASELINE_MAJOR}x audit reports`,
    );
  if (!isDate(value.startedAt) || !isDate(value.finishedAt))
    return fail('is not an eksposure audit report (its startedAt/finishedAt are not dates)');
  if (!Array.isArray(value.findings))
    return fail('is not an eksposure audit report (no "findings" list)');
  for (const [i, f] of value.findings.entries()) {
    const problem = findingProblem(f, i);
    if (problem) return fail(`is not an eksposure audit report (${problem})`);
  }
  return { ok: true, report: value as unknown as AuditReport };
}

const keyOf = (account: string, region: string, cluster: string, rule: string): string =>
  JSON.stringify([account, region, cluster, rule]);

/** JSON with object keys sorted: two equal values give the same text whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/** The facts two findings of one status are compared by: what the rule saw, and what judged it. */
function factsOf(f: Finding): string {
  const exemption = f.exemption
    ? { reason: f.exemption.reason, expires: f.exemption.expires, expired: f.exemption.expired }
    : null;
  return canonical({
    evidence: f.evidence ?? null,
    severity: f.severity,
    error: f.error?.code ?? null,
    exemption,
  });
}

/** What became of a finding whose key the baseline also has. */
export function changeOf(before: Finding, now: Finding): FindingChange {
  const same = (): FindingChange => (factsOf(before) === factsOf(now) ? 'unchanged' : 'changed');
  // A failure that got more severe (what a probe saw, say) is new at its new severity: it may now
  // cross the --fail-on level that the old one did not.
  if (
    before.status === 'FAIL' &&
    now.status === 'FAIL' &&
    SEVERITY_RANK[now.severity] > SEVERITY_RANK[before.severity]
  )
    return 'new';
  if (before.status === now.status) return same();
  if (now.status === 'ERROR') return 'not-rescanned';
  if (now.status === 'FAIL') return 'new';
  if (now.status === 'PASS' && before.status === 'FAIL') return 'resolved';
  return 'changed';
}

interface Keyed {
  readonly account: string;
  readonly finding: Finding;
}

/** The account of each baseline finding: its accountId, its ARN's, or the report's only account. */
function accountsOf(report: AuditReport): (finding: Finding) => string {
  const own = (f: Finding): string | null =>
    (f as { accountId?: string | null }).accountId ?? accountFromArn(f.arn);
  const accounts: unknown = report.accounts;
  const listed: readonly string[] = Array.isArray(accounts)
    ? accounts.flatMap((a: unknown) =>
        isObject(a) && typeof a.accountId === 'string' ? [a.accountId] : [],
      )
    : [];
  const named = new Set<string>([
    ...listed,
    ...report.findings.map(own).filter((a): a is string => a !== null),
  ]);
  const only = named.size === 1 ? ([...named][0] ?? 'unknown') : 'unknown';
  return (f) => own(f) ?? only;
}

/** Why this run has no finding for a baseline finding: not covered, not read, or gone. */
function whyAbsent(
  current: AuditReport,
  entry: Keyed,
): { kind: 'outOfScope' | 'notRescanned' | 'gone'; reason: BaselineReason } {
  const { account, finding } = entry;
  if (!current.rules.some((r) => r.id === finding.ruleId))
    return { kind: 'outOfScope', reason: 'rule-not-run' };
  const accountResult = current.accounts.find((a) => a.accountId === account);
  if (!accountResult) return { kind: 'outOfScope', reason: 'account-not-in-run' };
  if (accountResult.status === 'error')
    return { kind: 'notRescanned', reason: 'account-unreadable' };
  if (accountResult.status === 'skipped')
    return { kind: 'notRescanned', reason: 'account-skipped' };
  const region = current.regions.find(
    (r) => r.accountId === account && r.region === finding.region,
  );
  if (!region) return { kind: 'outOfScope', reason: 'region-not-in-run' };
  if (region.status === 'error') return { kind: 'notRescanned', reason: 'region-unreadable' };
  if (region.status === 'skipped') return { kind: 'notRescanned', reason: 'region-skipped' };
  return { kind: 'gone', reason: 'cluster-gone' };
}

function entryOf(
  { account, finding }: Keyed,
  status: FindingStatus | null,
  reason: BaselineReason,
): BaselineEntry {
  return {
    accountId: account,
    region: finding.region,
    clusterName: finding.clusterName,
    ruleId: finding.ruleId,
    severity: finding.severity,
    arn: finding.arn ?? null,
    baselineStatus: finding.status,
    status,
    reason,
  };
}

/**
 * Pure: `current` with each finding's `change` and a `baseline` section saying what changed since
 * `baseline` (an earlier report or a merged one). `file` is the baseline's name, as given.
 */
export function compareWithBaseline(
  current: AuditReport,
  baseline: AuditReport,
  file?: string,
): AuditReport {
  const baselineAccount = accountsOf(baseline);
  const before = new Map<string, Keyed>();
  for (const finding of baseline.findings) {
    const account = baselineAccount(finding);
    before.set(keyOf(account, finding.region, finding.clusterName, finding.ruleId), {
      account,
      finding,
    });
  }
  const lists = {
    resolved: [] as BaselineEntry[],
    removed: [] as BaselineEntry[],
    notRescanned: [] as BaselineEntry[],
    outOfScope: [] as BaselineEntry[],
  };
  const counts = { new: 0, changed: 0, unchanged: 0 };
  const seen = new Set<string>();
  const findings = current.findings.map((finding): Finding => {
    const key = keyOf(finding.accountId, finding.region, finding.clusterName, finding.ruleId);
    const earlier = before.get(key);
    seen.add(key);
    const change = earlier ? changeOf(earlier.finding, finding) : 'new';
    if (change === 'resolved') lists.resolved.push(entryOf(earlier!, finding.status, 'passes'));
    else if (change === 'not-rescanned')
      lists.notRescanned.push(entryOf(earlier!, finding.status, 'cluster-unreadable'));
    else counts[change] += 1;
    return { ...finding, change };
  });
  for (const [key, entry] of before) {
    if (seen.has(key)) continue;
    const { kind, reason } = whyAbsent(current, entry);
    if (kind === 'gone') {
      const list = entry.finding.status === 'FAIL' ? lists.resolved : lists.removed;
      list.push(entryOf(entry, null, reason));
    } else lists[kind].push(entryOf(entry, null, reason));
  }
  const summary: BaselineSummary = {
    ...counts,
    resolved: lists.resolved.length,
    removed: lists.removed.length,
    notRescanned: lists.notRescanned.length,
    outOfScope: lists.outOfScope.length,
  };
  const comparison: BaselineComparison = {
    ...(file === undefined ? {} : { file }),
    schemaVersion: baseline.schemaVersion,
    startedAt: baseline.startedAt,
    finishedAt: baseline.finishedAt,
    complete: baseline.complete !== false,
    summary,
    ...lists,
  };
  return { ...current, baseline: comparison, findings };
}
