import { auditVerdict, type FailOn } from '../fail-on.js';
import {
  BASELINE_REASONS,
  baselineText,
  managerNote,
  probeNote,
  whatWasJudged,
} from './report-view.js';
import { renderTable, type TextWidth, wrapParagraph } from '../text-table.js';
import { type AuditReport, type BaselineEntry, type Finding } from '../../model/findings.js';

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
  /** --fail-on-new: only a FAIL new since the baseline counts, for the verdict line. */
  readonly failOnNew?: boolean;
  /** --show-passed: list PASS and SUPPRESSED findings too, instead of summing them up. */
  readonly showPassed?: boolean;
}

function verdict(report: AuditReport, failOn: FailOn, failOnNew: boolean): string {
  // The exit codes eksposure gives each verdict (src/cli/exit-codes.ts), said in the table.
  const judged = auditVerdict(report, failOn, failOnNew);
  if (failOnNew && judged !== 'incomplete') {
    const level = failOn === 'any' ? '' : ` at severity ${failOn} or above`;
    return judged === 'failing'
      ? `Exit 1: clusters FAIL${level} that did not FAIL in the baseline.`
      : `Exit 0: no new FAIL${level} since the baseline (--fail-on-new).`;
  }
  const hubIncomplete =
    report.securityHub !== undefined &&
    !report.accounts.some((a) => a.status === 'error') &&
    !report.regions.some((r) => r.status === 'error') &&
    report.summary.error === 0;
  if (judged === 'incomplete' && hubIncomplete)
    return 'Exit 3: Security Hub did not take every finding (see above).';
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
  return `${whatWasJudged(f)}${notApproved}${notes.join('')}`;
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

/** Which columns a findings table has: the account (new findings of several), the rule, the change. */
interface Columns {
  readonly account: boolean;
  readonly rule: boolean;
  readonly change: boolean;
}

/** With several rules a cluster has a row per rule: the rule is then part of the key. */
function findingsTable(findings: readonly Finding[], columns: Columns, options: TextWidth): string {
  const keys = 3 + (columns.account ? 1 : 0) + (columns.rule ? 1 : 0);
  return renderTable(
    [
      'RESULT',
      ...(columns.account ? ['ACCOUNT'] : []),
      'REGION',
      'CLUSTER',
      ...(columns.rule ? ['RULE'] : []),
      ...(columns.change ? ['CHANGE'] : []),
      'ENDPOINT ACCESS',
      'PUBLIC CIDRS',
      'STATUS',
    ],
    [...findings]
      .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
      .map((f) => [
        f.status,
        ...(columns.account ? [f.accountId] : []),
        f.region,
        f.clusterName,
        ...(columns.rule ? [f.ruleId] : []),
        ...(columns.change ? [f.change ?? '-'] : []),
        accessCell(f),
        f.endpointPublicAccess ? (f.publicAccessCidrs ?? []).join(',') || '(none: open)' : '-',
        f.clusterStatus ?? '-',
      ]),
    { ...options, keyColumns: keys },
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What needs action: a FAIL (an expired exemption's included) or a cluster that could not be read. */
const needsAction = (f: Finding): boolean => f.status === 'FAIL' || f.status === 'ERROR';

function entryTable(
  entries: readonly BaselineEntry[],
  withAccount: boolean,
  withRule: boolean,
  options: TextWidth,
): string {
  return renderTable(
    [
      'WAS',
      ...(withAccount ? ['ACCOUNT'] : []),
      'REGION',
      'CLUSTER',
      ...(withRule ? ['RULE'] : []),
      'NOW',
    ],
    entries.map((e) => [
      e.baselineStatus,
      ...(withAccount ? [e.accountId] : []),
      e.region,
      e.clusterName,
      ...(withRule ? [e.ruleId] : []),
      BASELINE_REASONS[e.reason] ?? e.reason,
    ]),
    { ...options, keyColumns: 3 + (withAccount ? 1 : 0) + (withRule ? 1 : 0) },
  );
}

/** The baseline's counts, then the new findings and the resolved ones: what changed comes first. */
function baselineSection(
  report: AuditReport,
  shown: (f: Finding) => boolean,
  withAccount: boolean,
  withRule: boolean,
  options: TextWidth,
): string[] {
  const baseline = report.baseline;
  if (!baseline) return [];
  const lines = [wrapParagraph(`${baselineText(baseline)}.`, options)];
  const fresh = report.findings.filter((f) => f.change === 'new' && shown(f));
  if (fresh.length > 0)
    lines.push(
      '',
      `New since the baseline (${fresh.length}):`,
      findingsTable(fresh, { account: withAccount, rule: withRule, change: false }, options),
    );
  if (baseline.resolved.length > 0)
    lines.push(
      '',
      `Resolved since the baseline (${baseline.resolved.length}):`,
      entryTable(baseline.resolved, withAccount, withRule, options),
    );
  const unread = baseline.notRescanned.filter((e) => e.baselineStatus === 'FAIL');
  if (unread.length > 0)
    lines.push(
      '',
      `Not rescanned, so not resolved (${unread.length} FAIL in the baseline):`,
      entryTable(unread, withAccount, withRule, options),
    );
  lines.push('');
  return lines;
}

/** "Not listed: 128 PASS, 2 SUPPRESSED in 111111111111 us-east-1 (40), ...": the passing clusters summed up. */
function passedLine(report: AuditReport, hidden: readonly Finding[], options: TextWidth): string[] {
  if (hidden.length === 0) return [];
  const severalAccounts = report.accounts.length > 1;
  const groups = new Map<string, number>();
  for (const f of hidden) {
    const key = severalAccounts ? `${f.accountId} ${f.region}` : f.region;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const MAX_GROUPS = 8;
  const sorted = [...groups].sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb));
  const named = sorted.slice(0, MAX_GROUPS).map(([key, n]) => `${key} (${n})`);
  const more = sorted.length > MAX_GROUPS ? `, and ${sorted.length - MAX_GROUPS} more` : '';
  const pass = hidden.filter((f) => f.status === 'PASS').length;
  const suppressed = hidden.length - pass;
  const counts = [pass ? `${pass} PASS` : '', suppressed ? `${suppressed} SUPPRESSED` : ''].filter(
    Boolean,
  );
  const where = severalAccounts ? 'account and region' : 'region';
  return [
    '',
    wrapParagraph(
      `Not listed: ${counts.join(' and ')} (${report.rules.length > 1 ? 'findings' : 'clusters'}), per ${where}: ${named.join(', ')}${more}. --show-passed lists them.`,
      options,
    ),
  ];
}

/**
 * The human report. What needs action: with a baseline, what changed since it (new findings,
 * resolved ones) first; then the failing and unreadable clusters (one table per account when there
 * are several), the passing and suppressed ones summed up per account and region unless
 * `showPassed` (then listed first, as before); accounts and regions not scanned; a summary.
 * Fitted to `width` when given (every value kept whole; the JSON report has them all too).
 */
export function formatTable(report: AuditReport, options: TableOptions = {}): string {
  const severalAccounts = report.accounts.length > 1;
  const withRule = report.rules.length > 1;
  const rules = report.rules.map((r) => `${r.id} ${r.title} (${r.severity})`).join(', ');
  const lines = [wrapParagraph(`eksposure ${report.tool.version} · ${rules}`, options, '  '), ''];
  const shown = (f: Finding) => options.showPassed === true || needsAction(f);
  const withChange = report.baseline !== undefined;
  lines.push(...baselineSection(report, shown, severalAccounts, withRule, options));
  // New findings are listed above, under the baseline's counts.
  const listed = report.findings.filter((f) => shown(f) && !(withChange && f.change === 'new'));
  const hidden = report.findings.filter((f) => !shown(f));
  const columns = { account: false, rule: withRule, change: withChange };

  if (report.findings.length === 0) {
    lines.push('No EKS clusters found in the scanned regions.');
  } else if (listed.length === 0) {
    lines.push(
      withChange
        ? 'Nothing else FAILs or could not be read.'
        : 'No cluster FAILs or could not be read.',
    );
  } else if (!severalAccounts) {
    if (withChange) lines.push(`Still needing action (${listed.length}):`);
    lines.push(findingsTable(listed, columns, options));
  } else {
    const groups = new Map<string, Finding[]>();
    for (const f of listed) {
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
      lines.push(findingsTable(findings, columns, options));
    }
  }
  lines.push(...passedLine(report, hidden, options));

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
    wrapParagraph(verdict(report, options.failOn ?? 'any', options.failOnNew === true), options),
  );
  return `${lines.join('\n')}\n`;
}
