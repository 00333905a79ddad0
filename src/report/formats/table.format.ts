import { auditVerdict, type FailOn } from '../fail-on.js';
import { managerNote, probeNote } from './report-view.js';
import { renderTable, type TextWidth, wrapParagraph } from '../text-table.js';
import { type AuditReport, type Finding } from '../../model/findings.js';

// Problems last, right above the summary: on a terminal they are what stays on screen.
const STATUS_ORDER: Record<Finding['status'], number> = {
  PASS: 0,
  SUPPRESSED: 1,
  ERROR: 2,
  FAIL: 3,
};

export interface TableOptions extends TextWidth {
  /** --fail-on, for the verdict line; every FAIL counts when left out. */
  readonly failOn?: FailOn;
}

function verdict(report: AuditReport, failOn: FailOn): string {
  // The exit codes eksposure gives each verdict (src/cli/exit-codes.ts), said in the table.
  const judged = auditVerdict(report, failOn);
  if (judged === 'incomplete')
    return report.accounts.length > 1
      ? 'Exit 3: the scan is incomplete; accounts, regions or clusters above could not be read.'
      : 'Exit 3: the scan is incomplete; regions or clusters above could not be read.';
  const onlyEks001 = report.rules.length === 1 && report.rules[0]?.id === 'EKS-001';
  if (judged === 'failing') {
    const allOpen = report.findings.every(
      (f) => f.status !== 'FAIL' || f.evidence?.['openToInternet'] !== false,
    );
    return onlyEks001 && allOpen && failOn === 'any'
      ? 'Exit 1: clusters are open to the internet.'
      : `Exit 1: clusters FAIL${failOn === 'any' ? '' : ` at severity ${failOn} or above`}.`;
  }
  if (report.summary.fail > 0) return `Exit 0: no FAIL at the --fail-on ${failOn} level.`;
  return onlyEks001
    ? 'Exit 0: no cluster is open to the internet.'
    : 'Exit 0: no cluster FAILs the rules run.';
}

/** The endpoint as the table shows it, and the ranges EKS-001 found outside the approved ones. */
function accessCell(f: Finding): string {
  const outside = f.evidence?.['outsideApproved'];
  const notApproved =
    f.status !== 'PASS' &&
    f.evidence?.['openToInternet'] === false &&
    Array.isArray(outside) &&
    outside.length > 0
      ? `; not approved: ${outside.join(',')}`
      : '';
  const notes = [probeNote(f), managerNote(f)].filter(Boolean).map((n) => `; ${String(n)}`);
  return `${f.accessDescription ?? f.message}${notApproved}${notes.join('')}`;
}

/** Suppressed findings and those whose exemption expired: who accepted what, until when. */
function exemptionRows(findings: readonly Finding[], withAccount: boolean): string[][] {
  return findings.flatMap((f) =>
    f.exemption
      ? [
          [
            ...(withAccount ? [f.accountId] : []),
            f.region,
            f.clusterName,
            f.ruleId,
            `exemptions[${f.exemption.index}]`,
            `${f.exemption.expired ? 'expired ' : 'until '}${f.exemption.expires}`,
            f.exemption.reason,
          ],
        ]
      : [],
  );
}

/** With several rules a cluster has a row per rule: the rule is then part of the key. */
function findingsTable(
  findings: readonly Finding[],
  withRule: boolean,
  options: TextWidth,
): string {
  return renderTable(
    [
      'RESULT',
      'REGION',
      'CLUSTER',
      ...(withRule ? ['RULE'] : []),
      'ENDPOINT ACCESS',
      'PUBLIC CIDRS',
      'STATUS',
    ],
    [...findings]
      .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
      .map((f) => [
        f.status,
        f.region,
        f.clusterName,
        ...(withRule ? [f.ruleId] : []),
        accessCell(f),
        f.endpointPublicAccess ? (f.publicAccessCidrs ?? []).join(',') || '(none: open)' : '-',
        f.clusterStatus ?? '-',
      ]),
    { ...options, keyColumns: withRule ? 4 : 3 },
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The human report: passing, then erroring, then failing clusters (one table per account when
 * there are several); accounts and regions not scanned; a summary.
 * Fitted to `width` when given (every value kept whole; the JSON report has them all too).
 */
export function formatTable(report: AuditReport, options: TableOptions = {}): string {
  const severalAccounts = report.accounts.length > 1;
  const withRule = report.rules.length > 1;
  const rules = report.rules.map((r) => `${r.id} ${r.title} (${r.severity})`).join(', ');
  const lines = [wrapParagraph(`eksposure ${report.tool.version} · ${rules}`, options, '  '), ''];

  if (report.findings.length === 0) {
    lines.push('No EKS clusters found in the scanned regions.');
  } else if (!severalAccounts) {
    lines.push(findingsTable(report.findings, withRule, options));
  } else {
    const groups = new Map<string, Finding[]>();
    for (const f of report.findings) {
      const group = groups.get(f.accountId);
      if (group) group.push(f);
      else groups.set(f.accountId, [f]);
    }
    let first = true;
    for (const account of report.accounts) {
      const findings = groups.get(account.accountId);
      if (!findings) continue;
      if (!first) lines.push('');
      first = false;
      const name = account.name ? ` (${account.name})` : '';
      lines.push(`Account ${account.accountId}${name}: ${plural(findings.length, 'finding')}`);
      lines.push(findingsTable(findings, withRule, options));
    }
  }

  const accountsNotScanned = report.accounts.filter((a) => a.status !== 'ok');
  if (accountsNotScanned.length > 0) {
    lines.push('', 'Accounts not scanned:');
    lines.push(
      renderTable(
        ['ACCOUNT', 'NAME', 'STATUS', 'DETAIL'],
        accountsNotScanned.map((a) => [
          a.accountId,
          a.name ?? '-',
          a.status,
          a.error ? `${a.error.code}: ${a.error.message}` : (a.reason ?? ''),
        ]),
        { ...options, keyColumns: 3 },
      ),
    );
  }

  const exempted = exemptionRows(report.findings, severalAccounts);
  if (exempted.length > 0) {
    lines.push('', 'Exemptions (SUPPRESSED findings are not counted as FAIL; expired ones are):');
    lines.push(
      renderTable(
        [
          ...(severalAccounts ? ['ACCOUNT'] : []),
          'REGION',
          'CLUSTER',
          'RULE',
          'EXEMPTION',
          'EXPIRES',
          'REASON',
        ],
        exempted,
        { ...options, keyColumns: severalAccounts ? 4 : 3 },
      ),
    );
  }
  const unused = report.exemptions.filter((e) => e.unused);
  if (unused.length > 0) {
    lines.push(
      '',
      wrapParagraph(
        `Unused exemptions (matched no cluster): ${unused.map((e) => `exemptions[${e.index}]`).join(', ')}.`,
        options,
      ),
    );
  }

  const notScanned = report.regions.filter((r) => r.status !== 'ok');
  if (notScanned.length > 0) {
    lines.push('', 'Regions not fully scanned:');
    const detail = (r: (typeof notScanned)[number]) =>
      r.error ? `${r.error.code}: ${r.error.message}` : (r.reason ?? '');
    lines.push(
      severalAccounts
        ? renderTable(
            ['ACCOUNT', 'REGION', 'STATUS', 'DETAIL'],
            notScanned.map((r) => [r.accountId, r.region, r.status, detail(r)]),
            { ...options, keyColumns: 3 },
          )
        : renderTable(
            ['REGION', 'STATUS', 'DETAIL'],
            notScanned.map((r) => [r.region, r.status, detail(r)]),
            { ...options, keyColumns: 2 },
          ),
    );
  }

  const s = report.summary;
  lines.push('');
  if (severalAccounts)
    lines.push(
      wrapParagraph(
        `${s.accountsScanned} of ${plural(s.accounts, 'account')} scanned (${s.accountsSkipped} skipped, ${s.accountsFailed} failed).`,
        options,
      ),
    );
  // The status counts are findings (one per cluster and rule): with several rules, say so.
  const findings = withRule
    ? `; ${plural(report.findings.length, 'finding')} of ${report.rules.length} rules`
    : '';
  lines.push(
    wrapParagraph(
      `${plural(s.clusters, 'cluster')} in ${plural(s.regionsScanned, 'region')} ` +
        `(${s.regionsSkipped} skipped, ${s.regionsFailed} failed)${findings}: ${s.fail} FAIL, ${s.pass} PASS, ${s.error} ERROR` +
        `${s.suppressed ? `, ${s.suppressed} SUPPRESSED` : ''}.`,
      options,
    ),
    wrapParagraph(verdict(report, options.failOn ?? 'any'), options),
  );
  return `${lines.join('\n')}\n`;
}
