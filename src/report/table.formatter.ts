import { type AuditReport, exitCodeFor, type Finding } from './audit-report.js';
import { renderTable, type TextWidth, wrapParagraph } from './text-table.js';

// Problems last, right above the summary: on a terminal they are what stays on screen.
const STATUS_ORDER: Record<Finding['status'], number> = { PASS: 0, ERROR: 1, FAIL: 2 };

function verdict(report: AuditReport): string {
  const code = exitCodeFor(report);
  if (code === 3)
    return 'Exit 3: the scan is incomplete; regions or clusters above could not be read.';
  if (code === 1) return 'Exit 1: clusters are open to the internet.';
  return 'Exit 0: no cluster is open to the internet.';
}

/**
 * The human report: passing, then erroring, then failing clusters; regions not scanned; a summary.
 * Fitted to `width` when given (every value kept whole; the JSON report has them all too).
 */
export function formatTable(report: AuditReport, options: TextWidth = {}): string {
  const findings = [...report.findings].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  );
  const rules = report.rules.map((r) => `${r.id} ${r.title} (${r.severity})`).join(', ');
  const lines = [wrapParagraph(`eksposure ${report.tool.version} · ${rules}`, options, '  '), ''];

  if (findings.length === 0) {
    lines.push('No EKS clusters found in the scanned regions.');
  } else {
    lines.push(
      renderTable(
        ['RESULT', 'REGION', 'CLUSTER', 'ENDPOINT ACCESS', 'PUBLIC CIDRS', 'STATUS'],
        findings.map((f) => [
          f.status,
          f.region,
          f.clusterName,
          f.accessDescription ?? f.message,
          f.endpointPublicAccess ? (f.publicAccessCidrs ?? []).join(',') || '(none: open)' : '-',
          f.clusterStatus ?? '-',
        ]),
        { ...options, keyColumns: 3 },
      ),
    );
  }

  const notScanned = report.regions.filter((r) => r.status !== 'ok');
  if (notScanned.length > 0) {
    lines.push('', 'Regions not fully scanned:');
    lines.push(
      renderTable(
        ['REGION', 'STATUS', 'DETAIL'],
        notScanned.map((r) => [
          r.region,
          r.status,
          r.error ? `${r.error.code}: ${r.error.message}` : (r.reason ?? ''),
        ]),
        { ...options, keyColumns: 2 },
      ),
    );
  }

  const s = report.summary;
  lines.push(
    '',
    wrapParagraph(
      `${s.clusters} cluster${s.clusters === 1 ? '' : 's'} in ${s.regionsScanned} region${s.regionsScanned === 1 ? '' : 's'} ` +
        `(${s.regionsSkipped} skipped, ${s.regionsFailed} failed): ${s.fail} FAIL, ${s.pass} PASS, ${s.error} ERROR.`,
      options,
    ),
    wrapParagraph(verdict(report), options),
  );
  return `${lines.join('\n')}\n`;
}
