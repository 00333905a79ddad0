import type { AccountRegion } from '../aws/regions.js';
import type { ClusterScan, RegionScan } from '../aws/collect-clusters.js';
import { formatErrorInfo } from '../aws/errors.js';
import type { Exemption } from '../config/config.js';
import {
  accountOfArn,
  type ExemptedFinding,
  exemptFinding,
  exemptionUsage,
} from '../config/exemptions.js';
import { describeAccess, endpointAccessOf } from '../rules/endpoint-access.js';
import { NO_RULE_CONTEXT, type Rule, type RuleContext } from '../rules/types.js';
import {
  AUDIT_REPORT_SCHEMA_VERSION,
  type AuditReport,
  type Finding,
  type RegionResult,
} from '../report/audit-report.js';

export interface AuditInput {
  readonly toolVersion: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly homeRegion: string;
  readonly requestedRegions: readonly string[] | null;
  readonly optInStatus: ReadonlyMap<string, string>;
  readonly skipped: readonly AccountRegion[];
  readonly scans: readonly RegionScan[];
  /** What rules may take into account (approved CIDRs); none when left out. */
  readonly ruleContext?: RuleContext;
  /** The config file's exemptions, judged at startedAt; none when left out. */
  readonly exemptions?: readonly Exemption[];
}

function findingsFor(
  rule: Rule,
  region: string,
  scan: ClusterScan,
  context: RuleContext,
): Omit<Finding, 'exemption'> {
  const base = {
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
  };
  try {
    const result = rule.check(cluster, context);
    return {
      ...observed,
      status: result.status,
      message: result.message,
      error: null,
      evidence: result.evidence,
    };
  } catch (error) {
    // A rule that throws is a finding, not a crashed scan.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...observed,
      status: 'ERROR',
      message: `rule ${rule.metadata.id} threw: ${message}`,
      error: { code: 'RuleError', message },
      evidence: null,
    };
  }
}

function regionResult(scan: RegionScan, optInStatus: string): RegionResult {
  return {
    region: scan.region,
    status: scan.error ? 'error' : 'ok',
    optInStatus,
    // A region that could not be listed to the end has an unknown number of clusters.
    clusterCount: scan.error ? null : scan.clusters.length,
    error: scan.error ?? null,
    reason: null,
  };
}

function skippedResult(region: AccountRegion): RegionResult {
  return {
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

/** Pure: scans in, the report out. Every cluster gets one finding per rule; nothing is dropped. */
export function buildAuditReport(rules: readonly Rule[], input: AuditInput): AuditReport {
  const regions = [
    ...input.scans.map((s) =>
      regionResult(s, input.optInStatus.get(s.region) ?? 'opt-in-not-required'),
    ),
    ...input.skipped.map(skippedResult),
  ].sort((a, b) => byName(a.region, b.region));
  const context = input.ruleContext ?? NO_RULE_CONTEXT;
  const exemptions = input.exemptions ?? [];
  const judged: ExemptedFinding<Omit<Finding, 'exemption'>>[] = input.scans.flatMap((scan) =>
    scan.clusters.flatMap((c) =>
      rules.map((rule) => {
        const finding = findingsFor(rule, scan.region, c, context);
        if (!c.ok || exemptions.length === 0) return { finding, exemption: null, matched: [] };
        const target = {
          arn: c.cluster.arn ?? null,
          clusterName: c.name,
          accountId: accountOfArn(c.cluster.arn),
          tags: c.cluster.tags ?? {},
          ruleId: rule.metadata.id,
        };
        return exemptFinding(finding, target, exemptions, input.startedAt);
      }),
    ),
  );
  const findings = judged
    .map((j): Finding => ({ ...j.finding, exemption: j.exemption }))
    .sort(
      (a, b) =>
        byName(a.region, b.region) ||
        byName(a.clusterName, b.clusterName) ||
        byName(a.ruleId, b.ruleId),
    );
  const count = (status: string) => findings.filter((f) => f.status === status).length;
  const regionsFailed = regions.filter((r) => r.status === 'error').length;
  const summary = {
    regionsScanned: input.scans.length,
    regionsSkipped: input.skipped.length,
    regionsFailed,
    clusters: input.scans.reduce((n, s) => n + s.clusters.length, 0),
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
    complete: regionsFailed === 0 && summary.error === 0,
    summary,
    rules: rules.map(({ metadata: { id, title, severity, aliases } }) => ({
      id,
      title,
      severity,
      aliases: [...aliases],
    })),
    regions,
    // Before the findings: the JSON writer streams them last.
    exemptions: exemptionUsage(exemptions, judged, input.startedAt),
    findings,
  };
}
