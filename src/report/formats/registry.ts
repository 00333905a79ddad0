import { type TextSink, writeJson } from './json.format.js';
import { formatTable } from './table.format.js';
import { formatAsff } from './asff.format.js';
import type { FormatContext } from './context.js';
import { formatCsv } from './csv.format.js';
import { formatHtml } from './html.format.js';
import { formatJunit } from './junit.format.js';
import { formatMarkdown } from './markdown.format.js';
import type { ReportFormatName } from './names.js';
import { formatOcsf } from './ocsf.format.js';
import { type AuditReport } from '../../model/findings.js';

/** Writes the report to `out`. Every format but json renders one string; json streams in batches. */
export type ReportWriter = (report: AuditReport, out: TextSink, context: FormatContext) => void;

const rendered =
  (render: (report: AuditReport, context: FormatContext) => string): ReportWriter =>
  (report, out, context) =>
    out.write(render(report, context));

/** One writer per name in names.ts; the type makes a format without a writer a compile error. */
export const REPORT_WRITERS: Readonly<Record<ReportFormatName, ReportWriter>> = {
  table: rendered((report, context) =>
    formatTable(report, { ...context.table, width: context.width }),
  ),
  json: (report, out) => writeJson(report, out),
  csv: rendered(formatCsv),
  junit: rendered(formatJunit),
  markdown: rendered(formatMarkdown),
  asff: rendered(formatAsff),
  ocsf: rendered(formatOcsf),
  html: rendered(formatHtml),
};
