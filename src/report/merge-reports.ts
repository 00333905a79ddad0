import { formatShard, type Shard, shardOfAccount } from '../accounts/shard.js';
import { isObject } from '../model/json-shape.js';
import type { SecurityHubSummary } from '../model/security-hub.js';
import type {
  AuditReport,
  AuditSummary,
  CountedService,
  ExemptionUsage,
  Finding,
  RunFacts,
} from '../model/findings.js';

/** A report file as read: its name (for the refusals) and its text. */
export interface ReportFile {
  readonly name: string;
  readonly text: string;
}

export type MergeOutcome =
  | {
      readonly ok: true;
      readonly report: AuditReport;
      /** Shards of the run no file was given for: the merged report is then incomplete. */
      readonly missingShards: readonly Shard[];
    }
  | { readonly ok: false; readonly message: string };

interface ReadReport {
  readonly name: string;
  readonly report: AuditReport;
}

const MERGEABLE_MAJOR = '2.';
const HOW_TO_FIX = 'pass the reports that `eksposure audit --output json` wrote';

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isDate = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const hasAccountId = (v: unknown): boolean => isObject(v) && typeof v.accountId === 'string';

function shardProblem(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (!isObject(value) || !isCount(value.index) || !isCount(value.count) || value.count < 1)
    return '"shard" is neither null nor { index, count }';
  if (value.index >= value.count) return `its shard index ${value.index} is not below its count`;
  return undefined;
}

/** The first thing merge relies on that a report lacks: enough to refuse a damaged or foreign file. */
function reportProblem(v: Record<string, unknown>): string | undefined {
  if (!isObject(v.tool) || v.tool.name !== 'eksposure') return 'it has no "tool" eksposure';
  if (!isDate(v.startedAt) || !isDate(v.finishedAt))
    return 'its startedAt/finishedAt are not dates';
  if (typeof v.homeRegion !== 'string') return 'it has no homeRegion';
  if (
    v.requestedRegions !== null &&
    !(Array.isArray(v.requestedRegions) && v.requestedRegions.every((r) => typeof r === 'string'))
  )
    return '"requestedRegions" is neither null nor a list of regions';
  if (typeof v.complete !== 'boolean') return 'it has no "complete"';
  if (!isObject(v.summary) || !Object.values(v.summary).every(isCount))
    return '"summary" is not a set of counts';
  if (!Array.isArray(v.rules) || !v.rules.every((r) => isObject(r) && typeof r.id === 'string'))
    return '"rules" is not a list of rules';
  for (const list of ['accounts', 'regions', 'findings'] as const) {
    const items = v[list];
    if (!Array.isArray(items) || !items.every(hasAccountId))
      return `"${list}" is not a list of entries with an accountId`;
  }
  const accounts = new Set((v.accounts as { accountId: string }[]).map((a) => a.accountId));
  if (accounts.size !== (v.accounts as unknown[]).length) return 'it lists an account twice';
  for (const list of ['regions', 'findings'] as const) {
    const stray = (v[list] as { accountId: string }[]).find((e) => !accounts.has(e.accountId));
    if (stray) return `its ${list} name account ${stray.accountId}, which "accounts" does not list`;
  }
  return shardProblem(v.shard);
}

function readReport(
  file: ReportFile,
): { ok: true; read: ReadReport } | { ok: false; message: string } {
  const fail = (why: string) => ({
    ok: false as const,
    message: `${file.name} is not a usable audit report: ${why}; ${HOW_TO_FIX}.`,
  });
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) return fail('not a JSON object');
  const version = value.schemaVersion;
  if (typeof version !== 'string' || !version.startsWith(MERGEABLE_MAJOR))
    return {
      ok: false,
      message: `${file.name} has schemaVersion ${JSON.stringify(version ?? null)}; merge reads ${MERGEABLE_MAJOR}x audit reports (one account list per report): run each shard with this eksposure.`,
    };
  const problem = reportProblem(value);
  if (problem) return fail(problem);
  const report = value as unknown as AuditReport;
  // A shard holds only its own accounts: anything else was split another way, or edited.
  const { shard } = report;
  const foreign = shard
    ? report.accounts.find((a) => shardOfAccount(a.accountId, shard.count) !== shard.index)
    : undefined;
  if (shard && foreign)
    return fail(
      `it says shard ${formatShard(shard)} but holds account ${foreign.accountId}, which belongs to shard ${shardOfAccount(foreign.accountId, shard.count)}`,
    );
  return { ok: true, read: { name: file.name, report } };
}

/** The config file's exemptions as a shard saw them (what they say, not how they fared). */
const exemptionsOf = (r: ReadReport) =>
  JSON.stringify((r.report.exemptions ?? []).map((e) => [e.index, e.reason, e.expires]));

/** --approved-cidrs as EKS-001's evidence recorded it; undefined when the shard has no such finding. */
function approvedCidrsOf(r: ReadReport): string | undefined {
  for (const finding of r.report.findings) {
    const evidence: unknown = finding.evidence;
    if (finding.ruleId === 'EKS-001' && isObject(evidence) && 'approvedCidrs' in evidence)
      return JSON.stringify(evidence.approvedCidrs);
  }
  return undefined;
}

/** Why these reports are not the shards of one run, if they are not. */
function setProblem(reads: readonly ReadReport[]): string | undefined {
  const [first] = reads;
  if (!first) return `no report to merge; ${HOW_TO_FIX}.`;
  const shardName = (r: ReadReport) =>
    r.report.shard ? `shard ${formatShard(r.report.shard)}` : 'not a shard (no --shard)';
  const sameRun = 'merge the shards of one run (the same --shard count and flags)';
  const countOf = (r: ReadReport) => r.report.shard?.count ?? null;
  const otherCount = reads.find((r) => countOf(r) !== countOf(first));
  if (otherCount)
    return `${first.name} is ${shardName(first)} but ${otherCount.name} is ${shardName(otherCount)}: ${sameRun}.`;
  const regionsOf = (r: ReadReport) =>
    JSON.stringify(r.report.requestedRegions?.toSorted() ?? null);
  const otherRegions = reads.find((r) => regionsOf(r) !== regionsOf(first));
  if (otherRegions)
    return `${first.name} and ${otherRegions.name} scanned different --regions: ${sameRun}.`;
  const rulesOf = (r: ReadReport) =>
    JSON.stringify(r.report.rules.map((rule) => rule.id).toSorted());
  const otherRules = reads.find((r) => rulesOf(r) !== rulesOf(first));
  if (otherRules) return `${first.name} and ${otherRules.name} ran different --rules: ${sameRun}.`;
  const otherExemptions = reads.find((r) => exemptionsOf(r) !== exemptionsOf(first));
  if (otherExemptions)
    return `${first.name} and ${otherExemptions.name} judged with different exemptions (--config): ${sameRun}.`;
  const approved = reads.filter((r) => approvedCidrsOf(r) !== undefined);
  const otherApproved = approved.find((r) => approvedCidrsOf(r) !== approvedCidrsOf(approved[0]!));
  if (otherApproved)
    return `${approved[0]!.name} and ${otherApproved.name} judged with different --approved-cidrs: ${sameRun}.`;
  const byShard = new Map<number, string>();
  const byAccount = new Map<string, string>();
  for (const { name, report } of reads) {
    if (report.shard) {
      const twice = byShard.get(report.shard.index);
      if (twice)
        return `${twice} and ${name} are both shard ${formatShard(report.shard)}: pass each shard once.`;
      byShard.set(report.shard.index, name);
    }
    for (const { accountId } of report.accounts) {
      const twice = byAccount.get(accountId);
      if (twice)
        return `account ${accountId} is in both ${twice} and ${name}: pass each account's report once.`;
      byAccount.set(accountId, name);
    }
  }
  return undefined;
}

/** Stable: within an account, entries keep the order the scan gave them (by region, then cluster). */
function byAccount<T extends { readonly accountId: string }>(
  lists: readonly (readonly T[])[],
): T[] {
  return lists
    .flat()
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

/**
 * The config file's exemptions, judged in every shard against that shard's findings: what each
 * matched and suppressed adds up, and it is unused only if it matched nothing anywhere.
 */
function mergeExemptionUsage(usages: readonly (readonly ExemptionUsage[])[]): ExemptionUsage[] {
  const byIndex = new Map<number, ExemptionUsage>();
  for (const usage of usages.flat()) {
    const seen = byIndex.get(usage.index);
    if (!seen) {
      byIndex.set(usage.index, usage);
      continue;
    }
    const matched = seen.matched + usage.matched;
    byIndex.set(usage.index, {
      ...seen,
      expired: seen.expired || usage.expired,
      matched,
      suppressed: seen.suppressed + usage.suppressed,
      unused: matched === 0,
    });
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Every count in a summary adds up across shards: no account is in two of them. */
function sumSummaries(summaries: readonly AuditSummary[]): AuditSummary {
  const total: Record<string, number> = {};
  for (const summary of summaries)
    for (const [key, count] of Object.entries<number>({ ...summary }))
      total[key] = (total[key] ?? 0) + count;
  return total as unknown as AuditSummary;
}

function missingShardsOf(reads: readonly ReadReport[]): Shard[] {
  const count = reads[0]?.report.shard?.count;
  if (count === undefined) return [];
  const present = new Set(reads.map((r) => r.report.shard?.index));
  return Array.from({ length: count }, (_, index) => ({ index, count })).filter(
    (s) => !present.has(s.index),
  );
}

/**
 * Pure: shard reports in, the report one run over all their accounts would have written. Refuses
 * (one line) a file that is not a 2.x audit report, and reports that are not shards of one run; a
 * shard without its report leaves the merged report incomplete.
 */
export function mergeReports(files: readonly ReportFile[]): MergeOutcome {
  const reads: ReadReport[] = [];
  for (const file of files) {
    const read = readReport(file);
    if (!read.ok) return read;
    reads.push(read.read);
  }
  reads.sort((a, b) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0));
  const problem = setProblem(reads);
  if (problem) return { ok: false, message: problem };
  const reports = reads.map((r) => r.report);
  const first = reports[0]!;
  const missingShards = missingShardsOf(reads);
  const rules = new Map<string, AuditReport['rules'][number]>();
  for (const rule of reports.flatMap((r) => r.rules))
    if (!rules.has(rule.id)) rules.set(rule.id, rule);
  const earliest = Math.min(...reports.map((r) => Date.parse(r.startedAt)));
  const latest = Math.max(...reports.map((r) => Date.parse(r.finishedAt)));
  // A shard's own --baseline comparison covers only its accounts: merge --baseline compares anew.
  const report: AuditReport = {
    ...first,
    baseline: undefined,
    startedAt: new Date(earliest).toISOString(),
    finishedAt: new Date(latest).toISOString(),
    complete: missingShards.length === 0 && reports.every((r) => r.complete),
    summary: sumSummaries(reports.map((r) => r.summary)),
    rules: [...rules.values()],
    exemptions: mergeExemptionUsage(reports.map((r) => r.exemptions ?? [])),
    ...runFactsOf(reports),
    ...securityHubOf(reports),
    shard: null,
    accounts: byAccount(reports.map((r) => r.accounts)),
    regions: byAccount(reports.map((r) => r.regions)),
    findings: byAccount(reports.map((r) => r.findings)).map(withoutChange),
  };
  return { ok: true, report, missingShards };
}

/** What each shard's --security-hub did, added up: each shard synced its own accounts. */
function securityHubOf(reports: readonly AuditReport[]): { securityHub?: SecurityHubSummary } {
  const synced = reports.flatMap((r) => (r.securityHub ? [r.securityHub] : []));
  const [first] = synced;
  if (first === undefined) return { securityHub: undefined };
  const sum = (field: 'imported' | 'updated' | 'archived' | 'failed') =>
    synced.reduce((n, s) => n + s[field], 0);
  return {
    securityHub: {
      regions: first.regions,
      imported: sum('imported'),
      updated: sum('updated'),
      archived: sum('archived'),
      failed: sum('failed'),
      targets: byAccount(synced.map((s) => s.targets)),
      failedFindings: byAccount(synced.map((s) => s.failedFindings)),
    },
  };
}

function withoutChange(finding: Finding): Finding {
  return finding.change === undefined ? finding : { ...finding, change: undefined };
}

/** The shards' throttled calls, added up; none when no shard counted them (reports before 2.2.0). */
function runFactsOf(reports: readonly AuditReport[]): { run?: RunFacts } {
  const counted = reports.flatMap((r) => (r.run ? [r.run.throttledCalls] : []));
  if (counted.length === 0) return {};
  const sum = (service: CountedService) =>
    counted.reduce((n, c: Partial<Record<CountedService, number>>) => n + (c[service] ?? 0), 0);
  return {
    run: {
      throttledCalls: {
        eks: sum('eks'),
        ec2: sum('ec2'),
        sts: sum('sts'),
        organizations: sum('organizations'),
        ...(counted.some((c) => c.securityhub !== undefined)
          ? { securityhub: sum('securityhub') }
          : {}),
      },
    },
  };
}
