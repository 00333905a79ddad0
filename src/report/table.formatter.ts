import { type AuditReport, exitCodeFor, type Finding } from './audit-report.js';
import { renderTable, type TextWidth, wrapParagraph } from './text-table.js';

// Problems last, right above the summary: on a terminal they are what stays on screen.
const STATUS_ORDER: Record<Finding['status'], number> = { PASS: 0, ERROR: 1, FAIL: 2 };

function verdict(report: AuditReport): string {
  const code = exitCodeFor(report);
  if (code === 3)
    return report.accounts.length > 1
      ? 'Exit 3: the scan is incomplete; accounts, regions or clusters above could not be read.'
      : 'Exit 3: the scan is incomplete; regions or clusters above could not be read.';
  if (code === 1) return 'Exit 1: clusters are open to the internet.';
  return 'Exit 0: no cluster is open to the internet.';
}

function findingsTable(findings: readonly Finding[], options: TextWidth): string {
  return renderTable(
    ['RESULT', 'REGION', 'CLUSTER', 'ENDPOINT ACCESS', 'PUBLIC CIDRS', 'STATUS'],
    [...findings]
      .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
      .map((f) => [
        f.status,
        f.region,
        f.clusterName,
        f.accessDescription ?? f.message,
        f.endpointPublicAccess ? (f.publicAccessCidrs ?? []).join(',') || '(none: open)' : '-',
        f.clusterStatus ?? '-',
      ]),
    { ...options, keyColumns: 3 },
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The human report: passing, then erroring, then failing clusters (one table per account when
 * there are several); accounts and regions not scanned; a summary.
 * Fitted to `width` when given (every value kept whole; the JSON report has them all too).
 */
export function formatTable(report: AuditReport, options: TextWidth = {}): string {
  const severalAccounts = report.accounts.length > 1;
  const rules = report.rules.map((r) => `${r.id} ${r.title} (${r.severity})`).join(', ');
  const lines = [wrapParagraph(`eksposure ${report.tool.version} · ${rules}`, options, '  '), ''];

  if (report.findings.length === 0) {
    lines.push('No EKS clusters found in the scanned regions.');
  } else if (!severalAccounts) {
    lines.push(findingsTable(report.findings, options));
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
      lines.push(findingsTable(findings, options));
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
  lines.push(
    wrapParagraph(
      `${plural(s.clusters, 'cluster')} in ${plural(s.regionsScanned, 'region')} ` +
        `(${s.regionsSkipped} skipped, ${s.regionsFailed} failed): ${s.fail} FAIL, ${s.pass} PASS, ${s.error} ERROR.`,
      options,
    ),
    wrapParagraph(verdict(report), options),
  );
  return `${lines.join('\n')}\n`;
}
