/**
 * The report formats `--output` accepts, in help order. Light on purpose: the command's help loads
 * this list, the renderers load only when the command runs (registry.ts maps each name to one).
 */
export const REPORT_FORMATS = {
  table: { extension: 'txt', describe: 'a table for people (the default)' },
  json: { extension: 'json', describe: 'the versioned report (schemas/audit-report.schema.json)' },
  csv: { extension: 'csv', describe: 'one row per account, cluster and rule (RFC 4180)' },
  junit: { extension: 'xml', describe: 'JUnit XML: one test case per cluster and rule' },
  markdown: { extension: 'md', describe: 'a pull-request comment or CI job summary' },
  asff: { extension: 'json', describe: 'AWS Security Finding Format, for Security Hub' },
  ocsf: { extension: 'json', describe: 'OCSF 1.5.0 Detection Findings, as Prowler emits' },
  html: { extension: 'html', describe: 'one self-contained page to share' },
} as const;

export type ReportFormatName = keyof typeof REPORT_FORMATS;

export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];

/** The `--output` help: each format and what it is for. */
export function reportFormatsHelp(): string {
  return REPORT_FORMAT_NAMES.map((name) => `${name}: ${REPORT_FORMATS[name].describe}`).join('; ');
}
