import { clusterLabel } from '../remediation/accounts.js';
import type { ApplyReport } from './apply-report.js';
import { renderTable, type TextWidth, wrapParagraph } from './text-table.js';

const RESULT_LABEL = {
  verified: 'VERIFIED',
  failed: 'FAILED',
  skipped: 'SKIPPED',
  'in-flight': 'IN FLIGHT',
} as const;

/** The per-cluster result of an apply, rollback or resume, for a person, fitted to `width` if given. */
export function formatApplyReport(report: ApplyReport, options: TextWidth = {}): string {
  const rows = report.clusters.map((o) => [
    RESULT_LABEL[o.result],
    clusterLabel(o),
    o.updateId ?? '-',
    o.reason,
  ]);
  const { verified, failed, skipped, inFlight } = report.summary;
  const table = rows.length
    ? `${renderTable(['result', 'cluster', 'update', 'detail'], rows, { ...options, keyColumns: 2 })}\n`
    : '';
  const summary =
    `Plan ${report.planId}: ${verified} changed and verified, ${failed} failed, ${skipped} skipped, ${inFlight} still in flight.` +
    (report.journal ? ` Journal: ${report.journal}` : '');
  return `${table}${wrapParagraph(summary, options)}\n`;
}
