import { type Exemption } from '../config/config.js';
import type { AuditReport } from '../model/findings.js';
import type { AccountScanResult } from '../model/scan.js';
import { defaultRules } from '../rules/registry.js';
import { buildAuditReport } from './evaluate.js';

/**
 * Pure: the clusters of one account an exemption accepts, judged as the audit judges them (one
 * account of a scan across accounts is planned before the whole report exists).
 */
export function exemptedInAccount(
  account: AccountScanResult,
  exemptions: readonly Exemption[],
  judgedAt: Date,
): ReadonlyMap<string, string> {
  if (exemptions.length === 0) return new Map();
  const report = buildAuditReport(defaultRules, {
    toolVersion: '',
    startedAt: judgedAt,
    finishedAt: judgedAt,
    homeRegion: '',
    requestedRegions: null,
    accounts: [account],
    exemptions,
  });
  return exemptedClusters(report);
}

/** Clusters whose EKS-001 FAIL an exemption in force suppressed, by ARN, with why: remediation leaves them alone. */
export function exemptedClusters(report: AuditReport): ReadonlyMap<string, string> {
  const exempted = new Map<string, string>();
  for (const f of report.findings) {
    if (f.status !== 'SUPPRESSED' || f.ruleId !== 'EKS-001' || !f.arn || !f.exemption) continue;
    exempted.set(
      f.arn,
      `exempt from EKS-001 by exemptions[${f.exemption.index}] until ${f.exemption.expires} ("${f.exemption.reason}"); not changed.`,
    );
  }
  return exempted;
}
