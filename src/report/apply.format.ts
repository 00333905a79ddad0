import type { AfterApplyCheck } from '../probe/after-apply.js';
import { clusterLabel } from '../remediation/accounts.js';
import type { AppliedCluster, ApplyReport } from './apply-report.js';
import { renderTable, type TextWidth, wrapParagraph } from './text-table.js';

const RESULT_LABEL = {
  verified: 'VERIFIED',
  failed: 'FAILED',
  skipped: 'SKIPPED',
  'in-flight': 'IN FLIGHT',
} as const;

const probeLabel = (check: AfterApplyCheck) =>
  check.confirmed === true
    ? 'CONFIRMED'
    : check.confirmed === false
      ? 'STILL ANSWERS'
      : 'NOT JUDGED';

/** --probe's view of each changed cluster, after the changes: one row each. */
function probeTable(clusters: readonly AppliedCluster[], options: TextWidth): string {
  const rows = clusters.flatMap((c) =>
    c.probe ? [[probeLabel(c.probe), clusterLabel(c), c.probe.summary]] : [],
  );
  if (rows.length === 0) return '';
  const vantage = clusters.find((c) => c.probe?.observation?.vantage)?.probe?.observation?.vantage;
  const heading = `Observed from ${vantage ?? 'this machine'} after the changes (--probe):`;
  return `\n${heading}\n${renderTable(['observed', 'cluster', 'detail'], rows, { ...options, keyColumns: 2 })}\n`;
}

/** The per-cluster result of an apply, rollback or resume, for a person, fitted to `width` if given. */
export function formatApplyReport(report: ApplyReport, options: TextWidth = {}): string {
  const rows = report.clusters.map((o) => [
    RESULT_LABEL[o.result],
    clusterLabel(o),
    o.updateId ?? '-',
    o.reason,
  ]);
  const { verified, failed, skipped, inFlight, probe } = report.summary;
  const table = rows.length
    ? `${renderTable(['result', 'cluster', 'update', 'detail'], rows, { ...options, keyColumns: 2 })}\n`
    : '';
  const probed = probe
    ? ` Probed from here: ${probe.confirmed} confirmed, ${probe.stillAnswering} still answering, ${probe.notJudged} not judged.`
    : '';
  const summary =
    `Plan ${report.planId}: ${verified} changed and verified, ${failed} failed, ${skipped} skipped, ${inFlight} still in flight.` +
    probed +
    // An older report (before 2.2.0) has no allowDrift.
    (report.allowDrift === true
      ? ' Made with --allow-drift: merge the fix into the code that manages these clusters too.'
      : '') +
    (report.journal ? ` Journal: ${report.journal}` : '');
  return `${table}${probeTable(report.clusters, options)}${wrapParagraph(summary, options)}\n`;
}
