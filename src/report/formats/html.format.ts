import { escapeMarkup as x } from './markup.js';
import {
  countBy,
  exemptionText,
  failedRegions,
  findingAccounts,
  type ReportedStatus,
  regionAccount,
  sortForReaders,
  STATUS_RANK,
  statusOf,
  type Verdict,
  verdictOf,
  probeNote,
  managerNote,
  BASELINE_REASONS,
  baselineText,
} from './report-view.js';
import { type AuditReport, type Finding } from '../../model/findings.js';

const STATUSES: readonly ReportedStatus[] = ['FAIL', 'ERROR', 'SUPPRESSED', 'PASS'];
const COLOURS: Readonly<Record<ReportedStatus, string>> = {
  FAIL: '#c62828',
  ERROR: '#ef6c00',
  SUPPRESSED: '#6d4c41',
  PASS: '#2e7d32',
};
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'];

const VERDICT: Readonly<Record<Verdict, string>> = {
  clean: 'No cluster fails.',
  failing: 'Clusters fail: their API endpoint is exposed.',
  incomplete: 'The scan is incomplete: some regions or clusters could not be read.',
};

// Nothing may load from the network: no script, font, image or stylesheet beside this page.
const CSP = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:24px;color:#1c1c1c}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:#555}.verdict{padding:10px 14px;border-radius:6px;margin:14px 0;font-weight:600;border-left:6px solid}
.v-clean{background:#e8f5e9;border-color:#2e7d32}.v-failing{background:#ffebee;border-color:#c62828}.v-incomplete{background:#fff3e0;border-color:#ef6c00}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:110px}
.card .n{font-size:26px;font-weight:700;display:block}.grid{display:flex;flex-wrap:wrap;gap:8px 40px;align-items:flex-start}.grid table{width:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e4e4;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right}.s{font-weight:700}.s-FAIL{color:#c62828}.s-ERROR{color:#ef6c00}
.s-SUPPRESSED{color:#6d4c41}.s-PASS{color:#2e7d32}code{font-size:12px;word-break:break-all}
.region-error{background:#fff3e0}.clusters td:nth-child(-n+4),.clusters td:nth-child(6),.region-error td:nth-child(-n+2){white-space:nowrap}`;

function statusCell(status: string): string {
  return `<td class="s s-${x(status)}">${x(status)}</td>`;
}

/** A horizontal bar per status, widths in proportion: reads faster than four numbers. */
function statusChart(counts: ReadonlyMap<string, number>): string {
  const max = Math.max(1, ...STATUSES.map((s) => counts.get(s) ?? 0));
  const bars = STATUSES.map((status, i) => {
    const n = counts.get(status) ?? 0;
    const width = Math.round((n / max) * 300);
    const y = i * 26;
    return (
      `<text x="0" y="${y + 15}" font-size="12">${status}</text>` +
      `<rect x="96" y="${y + 3}" width="${width}" height="16" fill="${COLOURS[status]}"/>` +
      `<text x="${100 + width}" y="${y + 15}" font-size="12">${n}</text>`
    );
  });
  return `<svg role="img" aria-label="Findings by status" width="440" height="${STATUSES.length * 26}" xmlns="http://www.w3.org/2000/svg">${bars.join('')}</svg>`;
}

function countTable(
  title: string,
  rows: readonly (readonly [string, ...number[]])[],
  headers: readonly string[],
): string {
  const body = rows
    .map(
      ([key, ...nums]) =>
        `<tr><td>${x(key)}</td>${nums.map((n) => `<td class="num">${n}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<div><h3>${x(title)}</h3><table><thead><tr>${headers.map((h) => `<th>${x(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function perStatus(findings: readonly Finding[]): number[] {
  const counts = countBy(findings, statusOf);
  return STATUSES.map((s) => counts.get(s) ?? 0);
}

function grouped<K>(findings: readonly Finding[], key: (f: Finding) => K): Map<K, Finding[]> {
  const groups = new Map<K, Finding[]>();
  for (const f of findings) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
  return groups;
}

function cidrs(f: Finding): string {
  if (!f.endpointPublicAccess) return '-';
  const list = f.publicAccessCidrs ?? [];
  return list.length ? list.map((c) => `<code>${x(c)}</code>`).join(' ') : '(none: open)';
}

function detail(f: Finding): string {
  const message = f.error ? `${f.error.code}: ${f.error.message}` : f.message;
  const notes = [probeNote(f), managerNote(f)].filter(Boolean).join('; ');
  const text = notes ? `${message} (${notes})` : message;
  const exemption = exemptionText(f);
  return exemption ? `${x(text)} <em>${x(exemption)}</em>` : x(text);
}

/** With --baseline: its counts, the new failures and the resolved findings, first on the page. */
function baselineSection(report: AuditReport, findingAccount: (f: Finding) => string): string {
  const baseline = report.baseline;
  if (!baseline) return '';
  const b = baseline.summary;
  const counts: readonly [string, string, number][] = [
    ['new', 'new', b.new],
    ['resolved', 'resolved', b.resolved],
    ['changed', 'changed', b.changed],
    ['unchanged', 'unchanged', b.unchanged],
    ['removed', 'gone', b.removed],
    ['not-rescanned', 'not rescanned', b.notRescanned],
    ['out-of-scope', 'out of scope', b.outOfScope],
  ];
  const cards = counts
    .map(
      ([key, label, n]) =>
        `<div class="card" data-change-count="${key}"><span class="n">${n}</span>${x(label)}</div>`,
    )
    .join('');
  const fresh = sortForReaders(report).filter((f) => f.change === 'new' && f.status === 'FAIL');
  const freshRows = fresh
    .map(
      (f) =>
        `<tr data-change="new">${statusCell(f.status)}<td>${x(findingAccount(f))}</td><td>${x(f.region)}</td><td>${x(f.clusterName)}</td><td>${x(f.ruleId)}</td><td>${x(f.accessDescription ?? f.message)}</td></tr>`,
    )
    .join('');
  const resolvedRows = baseline.resolved
    .map(
      (e) =>
        `<tr data-change="resolved"><td>${x(e.accountId)}</td><td>${x(e.region)}</td><td>${x(e.clusterName)}</td><td>${x(e.ruleId)}</td><td>${x(BASELINE_REASONS[e.reason] ?? e.reason)}</td></tr>`,
    )
    .join('');
  return (
    `<section id="baseline"><h2>What changed</h2><p>${x(baselineText(baseline))}.</p><div class="cards">${cards}</div>` +
    (fresh.length
      ? `<h3>New failures (${fresh.length})</h3><table><thead><tr><th>Result</th><th>Account</th><th>Region</th><th>Cluster</th><th>Rule</th><th>Access</th></tr></thead><tbody>${freshRows}</tbody></table>`
      : '') +
    (baseline.resolved.length
      ? `<h3>Resolved (${baseline.resolved.length})</h3><table><thead><tr><th>Account</th><th>Region</th><th>Cluster</th><th>Rule</th><th>Now</th></tr></thead><tbody>${resolvedRows}</tbody></table>`
      : '') +
    '</section>'
  );
}

/**
 * One self-contained page for a security lead: the verdict, counts by status (with a chart),
 * severity, account and region, the regions that could not be read, then every cluster per
 * account and region, failing first. Every value from AWS is escaped; nothing loads from anywhere.
 */
export function formatHtml(report: AuditReport): string {
  const findingAccount = findingAccounts(report);
  const findings = sortForReaders(report);
  const statusCounts = countBy(findings, statusOf);
  const verdict = verdictOf(report);
  const regionErrors = failedRegions(report);

  const bySeverity = grouped(findings, (f) => f.severity);
  const severityRows = [...bySeverity]
    .sort(([a], [b]) => SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b))
    .map(
      ([severity, list]) => [severity, list.length, ...perStatus(list)] as [string, ...number[]],
    );
  const accountRows = [...grouped(findings, findingAccount)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, list]) => [account, list.length, ...perStatus(list)] as [string, ...number[]]);
  const regionRows = [...grouped(findings, (f) => `${findingAccount(f)} ${f.region}`)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => [key, list.length, ...perStatus(list)] as [string, ...number[]]);

  const groups = [...grouped(findings, (f) => `${findingAccount(f)}\u0000${f.region}`)].sort(
    ([ka, a], [kb, b]) =>
      Math.min(...a.map((f) => STATUS_RANK[statusOf(f)] ?? 9)) -
        Math.min(...b.map((f) => STATUS_RANK[statusOf(f)] ?? 9)) || ka.localeCompare(kb),
  );
  const clusterSections = groups.map(([key, list]) => {
    const [account, region] = key.split('\u0000');
    const rows = list
      .map(
        (f) =>
          `<tr data-status="${x(f.status)}"${f.change ? ` data-change="${x(f.change)}"` : ''}>${statusCell(f.status)}<td>${x(f.clusterName)}</td><td>${x(f.ruleId)}</td><td>${x(f.severity)}</td>` +
          `<td>${x(f.accessDescription ?? f.accessMode ?? '-')}</td><td>${cidrs(f)}</td><td>${detail(f)}</td></tr>`,
      )
      .join('');
    return (
      `<section class="clusters" data-account="${x(account ?? '')}" data-region="${x(region ?? '')}"><h3>Account ${x(account ?? '')} · ${x(region ?? '')}</h3>` +
      `<table><thead><tr><th>Result</th><th>Cluster</th><th>Rule</th><th>Severity</th><th>Access mode</th><th>Allowed CIDRs</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></section>`
    );
  });

  const regionErrorRows = regionErrors
    .map(
      (r) =>
        `<tr class="region-error"><td>${x(regionAccount(report, r))}</td><td>${x(r.region)}</td><td>${x(
          r.error ? `${r.error.code}: ${r.error.message}` : (r.reason ?? 'error'),
        )}</td></tr>`,
    )
    .join('');
  const s = report.summary;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eksposure audit: ${x(statusCounts.get('FAIL') ?? 0)} failing</title>
<style>${STYLE}</style>
</head>
<body>
<h1>EKS API endpoint exposure</h1>
<p class="meta">eksposure ${x(report.tool.version)} · finished ${x(report.finishedAt)} · rules ${x(report.rules.map((r) => `${r.id} ${r.title} (${r.severity})`).join(', '))}</p>
<p class="verdict v-${verdict}" id="verdict">${x(VERDICT[verdict])}</p>
${baselineSection(report, findingAccount)}
<section id="counts"><h2>Summary</h2>
<div class="cards">${STATUSES.map(
    (st) =>
      `<div class="card" data-count="${st}"><span class="n s-${st}">${statusCounts.get(st) ?? 0}</span>${st}</div>`,
  ).join(
    '',
  )}<div class="card" data-count="regions"><span class="n">${s.regionsScanned}</span>regions scanned</div><div class="card" data-count="regions-failed"><span class="n">${s.regionsFailed}</span>regions failed</div></div>
${statusChart(statusCounts)}
<div class="grid">
${countTable('By severity', severityRows, ['Severity', 'Findings', ...STATUSES])}
${countTable('By account', accountRows, ['Account', 'Findings', ...STATUSES])}
${countTable('By region', regionRows, ['Account and region', 'Findings', ...STATUSES])}
</div></section>
${
  regionErrors.length
    ? `<section id="region-errors"><h2>Regions that could not be read (${regionErrors.length})</h2><p>Their clusters were not evaluated.</p><table><thead><tr><th>Account</th><th>Region</th><th>Error</th></tr></thead><tbody>${regionErrorRows}</tbody></table></section>`
    : ''
}
<h2>Clusters</h2>
${clusterSections.length ? clusterSections.join('\n') : '<p>No EKS clusters found in the scanned regions.</p>'}
</body>
</html>
`;
}
