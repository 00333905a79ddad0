import {
  countBy,
  failedRegions,
  findingAccounts,
  regionAccount,
  sortForReaders,
  statusOf,
  type Verdict,
  verdictOf,
  probeNote,
  managerNote,
  BASELINE_REASONS,
  readableDate,
  whatWasJudged,
} from './report-view.js';
import { type AuditReport, type Finding } from '../../model/findings.js';

/** Rows listed per table: a pull-request comment holds at most 65,536 characters. */
export const MARKDOWN_MAX_ROWS = 50;

/** A table cell: pipes escaped, line breaks flattened, HTML and Markdown emphasis neutralised. */
function cell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return value.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function capped<T>(items: readonly T[], lines: (shown: readonly T[]) => string[]): string[] {
  const shown = items.slice(0, MARKDOWN_MAX_ROWS);
  const out = lines(shown);
  if (items.length > shown.length)
    out.push('', `…and ${items.length - shown.length} more (see the full report).`);
  return out;
}

const VERDICT: Readonly<Record<Verdict, string>> = {
  clean: ':white_check_mark: no cluster fails',
  failing: ':x: clusters fail',
  incomplete: ':warning: the scan is incomplete',
};

/** With --baseline: its counts, then the new failures and the resolved ones, before the rest. */
function baselineLines(
  report: AuditReport,
  sorted: readonly Finding[],
  findingAccount: (f: Finding) => string,
): string[] {
  const baseline = report.baseline;
  if (!baseline) return [];
  const b = baseline.summary;
  const file = baseline.file ? ` (${cell(baseline.file)})` : '';
  const lines = [
    '',
    `### Since the baseline of ${readableDate(baseline.finishedAt)}${file}`,
    '',
    ...table(
      ['New', 'Resolved', 'Changed', 'Unchanged', 'Gone', 'Not rescanned', 'Out of scope'],
      [
        [b.new, b.resolved, b.changed, b.unchanged, b.removed, b.notRescanned, b.outOfScope].map(
          String,
        ),
      ],
    ),
  ];
  const fresh = sorted.filter((f) => f.change === 'new' && statusOf(f) === 'FAIL');
  if (fresh.length > 0) {
    lines.push('', `#### New failures (${fresh.length})`, '');
    lines.push(
      ...capped(fresh, (shown) =>
        table(
          ['Account', 'Region', 'Cluster', 'Rule', 'Severity', 'Endpoint access'],
          shown.map((f) => [
            cell(findingAccount(f)),
            cell(f.region),
            cell(f.clusterName),
            cell(f.ruleId),
            cell(f.severity),
            cell(whatWasJudged(f)),
          ]),
        ),
      ),
    );
  }
  if (baseline.resolved.length > 0) {
    lines.push('', `#### Resolved (${baseline.resolved.length})`, '');
    lines.push(
      ...capped(baseline.resolved, (shown) =>
        table(
          ['Account', 'Region', 'Cluster', 'Rule', 'Now'],
          shown.map((e) => [
            cell(e.accountId),
            cell(e.region),
            cell(e.clusterName),
            cell(e.ruleId),
            cell(BASELINE_REASONS[e.reason] ?? e.reason),
          ]),
        ),
      ),
    );
  }
  return lines;
}

/**
 * A compact summary for a pull-request comment or a CI job summary ($GITHUB_STEP_SUMMARY): the
 * counts, then the failing clusters, then what could not be read.
 */
export function formatMarkdown(report: AuditReport): string {
  const findingAccount = findingAccounts(report);
  const byStatus = countBy(report.findings, statusOf);
  const s = report.summary;
  const accounts = new Set(report.findings.map(findingAccount)).size;
  const lines = [
    `## eksposure audit: ${VERDICT[verdictOf(report)]}`,
    '',
    `${s.clusters} cluster${s.clusters === 1 ? '' : 's'} in ${s.regionsScanned} region${s.regionsScanned === 1 ? '' : 's'}` +
      (accounts > 1 ? ` of ${accounts} accounts` : '') +
      (report.rules.length > 1
        ? ` · ${report.findings.length} findings (one per cluster and rule)`
        : '') +
      ` · rules ${report.rules.map((r) => r.id).join(', ')} · eksposure ${report.tool.version}`,
    '',
    ...table(
      ['FAIL', 'ERROR', 'SUPPRESSED', 'PASS', 'Regions failed', 'Regions skipped'],
      [
        [
          ...(['FAIL', 'ERROR', 'SUPPRESSED', 'PASS'] as const).map((k) =>
            String(byStatus.get(k) ?? 0),
          ),
          String(s.regionsFailed),
          String(s.regionsSkipped),
        ],
      ],
    ),
  ];
  const sorted = sortForReaders(report);
  lines.push(...baselineLines(report, sorted, findingAccount));
  const withChange = report.baseline !== undefined;
  const failing = sorted.filter((f) => statusOf(f) === 'FAIL');
  if (failing.length > 0) {
    lines.push(
      '',
      `### Failing clusters (${failing.length}${report.rules.length > 1 ? ' findings' : ''})`,
      '',
    );
    lines.push(
      ...capped(failing, (shown) =>
        table(
          [
            'Account',
            'Region',
            'Cluster',
            'Rule',
            'Severity',
            ...(withChange ? ['Change'] : []),
            'Endpoint access',
            'Public CIDRs',
          ],
          shown.map((f: Finding) => [
            cell(findingAccount(f)),
            cell(f.region),
            cell(f.clusterName),
            cell(f.ruleId),
            cell(f.severity),
            ...(withChange ? [cell(f.change)] : []),
            cell([whatWasJudged(f), probeNote(f), managerNote(f)].filter(Boolean).join('; ')),
            cell(f.publicAccessCidrs?.join(', ')),
          ]),
        ),
      ),
    );
  }
  const errors = [
    ...failedRegions(report).map((r) => [
      cell(regionAccount(report, r)),
      cell(r.region),
      '(region)',
      cell(r.error ? `${r.error.code}: ${r.error.message}` : r.reason),
    ]),
    ...sorted
      .filter((f) => statusOf(f) === 'ERROR')
      .map((f) => [
        cell(findingAccount(f)),
        cell(f.region),
        cell(f.clusterName),
        cell(f.error ? `${f.error.code}: ${f.error.message}` : f.message),
      ]),
  ];
  if (errors.length > 0) {
    lines.push('', `### Could not be read (${errors.length})`, '');
    lines.push(
      ...capped(errors, (shown) => table(['Account', 'Region', 'Cluster', 'Error'], shown)),
    );
  }
  return `${lines.join('\n')}\n`;
}
