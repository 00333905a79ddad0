import { formatErrorInfo, isError } from '../model/errors.js';
import { managedByOf } from '../model/managed-by.js';
import type { DeclaredManager } from '../model/managed-by.js';
import type { Exemption } from '../config/config.js';
import { type ExemptedFinding, exemptFinding, exemptionUsage } from '../config/exemptions.js';
import { describeAccess, endpointAccessOf } from '../rules/endpoint-access.js';
import { probeKey } from '../rules/eks-probe-001-api-reachable.js';
import { NO_RULE_CONTEXT, type Rule, type RuleContext } from '../rules/types.js';
import { type SkippedAccount } from '../model/accounts.js';
import {
  type AccountRegion,
  type ClusterScan,
  type RegionScan,
  type AccountScanResult,
} from '../model/scan.js';
import {
  AUDIT_REPORT_SCHEMA_VERSION,
  type AccountResult,
  type AuditReport,
  type Finding,
  type RegionResult,
} from '../model/findings.js';

export interface AuditInput {
  readonly toolVersion: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly homeRegion: string;
  readonly requestedRegions: readonly string[] | null;
  readonly accounts: readonly AccountScanResult[];
  /** Accounts in scope but not scanned (e.g. not ACTIVE in the organization). */
  readonly skippedAccounts?: readonly SkippedAccount[] | undefined;
  readonly shard?: { readonly index: number; readonly count: number } | null | undefined;
  /** What rules may take into account (approved CIDRs); none when left out. */
  readonly ruleContext?: RuleContext | undefined;
  /** The config file's exemptions, judged at startedAt; none when left out. */
  readonly exemptions?: readonly Exemption[] | undefined;
  /** The config file's `managers`: tags that mean a tool in the user's organization. */
  readonly managers?: readonly DeclaredManager[] | undefined;
}

function findingsFor(
  rule: Rule,
  accountId: string,
  region: string,
  scan: ClusterScan,
  context: RuleContext,
  managers: readonly DeclaredManager[],
): Finding {
  const base = {
    accountId,
    ruleId: rule.metadata.id,
    severity: rule.metadata.severity,
    region,
    clusterName: scan.name,
  };
  if (!scan.ok) {
    return {
      ...base,
      status: 'ERROR',
      arn: null,
      clusterStatus: null,
      endpointPublicAccess: null,
      endpointPrivateAccess: null,
      publicAccessCidrs: null,
      accessMode: null,
      accessDescription: null,
      message: `DescribeCluster failed: ${formatErrorInfo(scan.error)}`,
      error: scan.error,
      evidence: null,
      exemption: null,
    };
  }
  const { cluster } = scan;
  const access = endpointAccessOf(cluster);
  const observed = {
    ...base,
    arn: cluster.arn ?? null,
    clusterStatus: cluster.status ?? null,
    endpointPublicAccess: access.publicAccess,
    endpointPrivateAccess: access.privateAccess,
    publicAccessCidrs: [...access.publicAccessCidrs],
    accessMode: access.mode,
    accessDescription: describeAccess(access),
    managedBy: managedByOf(cluster.tags, managers),
  };
  try {
    const result = rule.check(cluster, context);
    const probe =
      rule.metadata.id === 'EKS-001' ? context.probes?.get(probeKey(cluster)) : undefined;
    return {
      ...observed,
      ...(result.severity ? { severity: result.severity } : {}),
      // Configured and observed exposure side by side: the probe rides on the EKS-001 finding.
      ...(probe ? { probe } : {}),
      status: result.status,
      message: result.message,
      error: result.error ?? null,
      evidence: result.evidence,
      exemption: null,
    };
  } catch (error) {
    // A rule that throws is a finding, not a crashed scan.
    const message = isError(error) ? error.message : String(error);
    return {
      ...observed,
      status: 'ERROR',
      message: `rule ${rule.metadata.id} threw: ${message}`,
      error: { code: 'RuleError', message },
      evidence: null,
      exemption: null,
    };
  }
}

function regionResult(accountId: string, scan: RegionScan, optInStatus: string): RegionResult {
  return {
    accountId,
    region: scan.region,
    status: scan.error ? 'error' : 'ok',
    optInStatus,
    // A region that could not be listed to the end has an unknown number of clusters.
    clusterCount: scan.error ? null : scan.clusters.length,
    error: scan.error ?? null,
    reason: null,
  };
}

function skippedResult(accountId: string, region: AccountRegion): RegionResult {
  return {
    accountId,
    region: region.name,
    status: 'skipped',
    optInStatus: region.optInStatus,
    clusterCount: null,
    error: null,
    reason: `region not enabled for this account (opt-in status: ${region.optInStatus})`,
  };
}

/** Natural order, fixed locale: preview-env-2 before preview-env-10, the same on every machine. */
const byName = new Intl.Collator('en', { numeric: true }).compare;

function accountResult(account: AccountScanResult): AccountResult {
  const { accountId, name, roleArn } = account.target;
  return {
    accountId,
    name,
    status: account.ok ? 'ok' : 'error',
    roleArn,
    error: account.ok ? null : account.error,
    reason: null,
  };
}

const byAccount = (a: { accountId: string }, b: { accountId: string }) =>
  a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;

/** Pure: scans in, the report out. Every cluster gets one finding per rule; nothing is dropped. */
export function buildAuditReport(rules: readonly Rule[], input: AuditInput): AuditReport {
  const scanned = input.accounts.flatMap((a) => (a.ok ? [a] : []));
  const regions = scanned
    .flatMap((a) => [
      ...a.scans.map((s) =>
        regionResult(a.target.accountId, s, a.optInStatus.get(s.region) ?? 'opt-in-not-required'),
      ),
      ...a.skipped.map((r) => skippedResult(a.target.accountId, r)),
    ])
    .sort((a, b) => byAccount(a, b) || byName(a.region, b.region));
  const context = input.ruleContext ?? NO_RULE_CONTEXT;
  const exemptions = input.exemptions ?? [];
  const managers = input.managers ?? [];
  // One finding per cluster and rule, built once: a large account's findings are most of the
  // report, so no second copy (and only each exemption's matches when there are exemptions).
  const findings: Finding[] = [];
  const judged: Pick<ExemptedFinding<Finding>, 'matched' | 'exemption'>[] = [];
  for (const a of scanned)
    for (const scan of a.scans) {
      // The region's nodes, for the rules that judge them (EKS-003).
      const regionContext = scan.nodes
        ? { ...context, nodes: { region: scan.region, facts: scan.nodes } }
        : context;
      for (const c of scan.clusters)
        for (const rule of rules) {
          const finding = findingsFor(
            rule,
            a.target.accountId,
            scan.region,
            c,
            regionContext,
            managers,
          );
          if (!c.ok || exemptions.length === 0) {
            findings.push(finding);
            continue;
          }
          const target = {
            arn: c.cluster.arn ?? null,
            clusterName: c.name,
            accountId: a.target.accountId,
            tags: c.cluster.tags ?? {},
            ruleId: rule.metadata.id,
          };
          const j = exemptFinding(finding, target, exemptions, input.startedAt);
          findings.push({ ...j.finding, exemption: j.exemption });
          judged.push({ matched: j.matched, exemption: j.exemption });
        }
    }
  findings.sort(
    (a, b) =>
      byAccount(a, b) ||
      byName(a.region, b.region) ||
      byName(a.clusterName, b.clusterName) ||
      byName(a.ruleId, b.ruleId),
  );
  const accounts = [
    ...input.accounts.map(accountResult),
    ...(input.skippedAccounts ?? []).map((s): AccountResult => ({
      accountId: s.accountId,
      name: s.name,
      status: 'skipped',
      roleArn: null,
      error: null,
      reason: s.reason,
    })),
  ].sort(byAccount);
  const count = (status: string) => findings.filter((f) => f.status === status).length;
  const regionsFailed = regions.filter((r) => r.status === 'error').length;
  const accountsFailed = accounts.filter((a) => a.status === 'error').length;
  const summary = {
    accounts: accounts.length,
    accountsScanned: scanned.length,
    accountsFailed,
    accountsSkipped: accounts.filter((a) => a.status === 'skipped').length,
    regionsScanned: scanned.reduce((n, a) => n + a.scans.length, 0),
    regionsSkipped: scanned.reduce((n, a) => n + a.skipped.length, 0),
    regionsFailed,
    clusters: scanned.reduce((n, a) => n + a.scans.reduce((m, s) => m + s.clusters.length, 0), 0),
    pass: count('PASS'),
    fail: count('FAIL'),
    error: count('ERROR'),
    suppressed: count('SUPPRESSED'),
  };
  return {
    schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
    tool: { name: 'eksposure', version: input.toolVersion },
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    homeRegion: input.homeRegion,
    requestedRegions: input.requestedRegions,
    shard: input.shard ?? null,
    complete: accountsFailed === 0 && regionsFailed === 0 && summary.error === 0,
    summary,
    rules: rules.map(({ metadata: { id, title, severity, aliases } }) => ({
      id,
      title,
      severity,
      aliases: [...aliases],
    })),
    accounts,
    regions,
    // Before the findings: the JSON writer streams them last.
    exemptions: exemptionUsage(exemptions, judged, input.startedAt),
    findings,
  };
}
