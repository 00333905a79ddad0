import type { AuditReport, Finding } from '../../src/report/audit-report.js';

export function parseReport(stdout: string): AuditReport {
  return JSON.parse(stdout) as AuditReport;
}

export function findingFor(report: AuditReport, region: string, clusterName: string): Finding {
  const finding = report.findings.find((f) => f.region === region && f.clusterName === clusterName);
  if (!finding) throw new Error(`no finding for ${region}/${clusterName}`);
  return finding;
}
