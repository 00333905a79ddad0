import type { AuditReport, Finding } from '../../src/report/audit-report.js';

export function parseReport(stdout: string): AuditReport {
  return JSON.parse(stdout) as AuditReport;
}

/** The cluster's finding (for `ruleId` when given; with several rules a cluster has one per rule). */
export function findingFor(
  report: AuditReport,
  region: string,
  clusterName: string,
  ruleId?: string,
): Finding {
  const finding = report.findings.find(
    (f) =>
      f.region === region &&
      f.clusterName === clusterName &&
      (ruleId === undefined || f.ruleId === ruleId),
  );
  if (!finding) throw new Error(`no finding for ${region}/${clusterName} ${ruleId ?? ''}`);
  return finding;
}
