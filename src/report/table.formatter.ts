import { type AuditReport, exitCodeFor, type FailOn, type Finding } from './audit-report.js';
import { renderTable, type TextWidth, wrapParagraph } from './text-table.js';

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
  const code = exitCodeFor(report, failOn);
  if (code === 3)
    return 'Exit 3: the scan is incomplete; regions or clusters above could not be read.';
  const onlyEks001 = report.rules.length === 1 && report.rules[0]?.id === 'EKS-001';
  if (code === 1) {
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
  return `${f.accessDescription ?? f.message}${notApproved}`;
}

/** Suppressed findings and those whose exemption expired: who accepted what, until when. */
function exemptionRows(findings: readonly Finding[]): string[][] {
  return findings.flatMap((f) =>
    f.exemption
      ? [
          [
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

/**
 * The human report: passing, then erroring, then failing clusters; regions not scanned; a summary.
 * Fitted to `width` when given (every value kept whole; the JSON report has them all too).
 */
export function formatTable(report: AuditReport, options: TableOptions = {}): string {
  const findings = [...report.findings].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  );
  const rules = report.rules.map((r) => `${r.id} ${r.title} (${r.severity})`).join(', ');
  const lines = [wrapParagraph(`eksposure ${report.tool.version} · ${rules}`, options, '  '), ''];

  if (findings.length === 0) {
    lines.push('No EKS clusters found in the scanned regions.');
  } else {
    // With several rules a cluster has a row per rule: the rule is then part of the key.
    const withRule = report.rules.length > 1;
    lines.push(
      renderTable(
        [
          'RESULT',
          'REGION',
          'CLUSTER',
          ...(withRule ? ['RULE'] : []),
          'ENDPOINT ACCESS',
          'PUBLIC CIDRS',
          'STATUS',
        ],
        findings.map((f) => [
          f.status,
          f.region,
          f.clusterName,
          ...(withRule ? [f.ruleId] : []),
          accessCell(f),
          f.endpointPublicAccess ? (f.publicAccessCidrs ?? []).join(',') || '(none: open)' : '-',
          f.clusterStatus ?? '-',
        ]),
        { ...options, keyColumns: withRule ? 4 : 3 },
      ),
    );
  }

  const exempted = exemptionRows(findings);
  if (exempted.length > 0) {
    lines.push('', 'Exemptions (SUPPRESSED findings are not counted as FAIL; expired ones are):');
    lines.push(
      renderTable(['REGION', 'CLUSTER', 'RULE', 'EXEMPTION', 'EXPIRES', 'REASON'], exempted, {
        ...options,
        keyColumns: 3,
      }),
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
        `(${s.regionsSkipped} skipped, ${s.regionsFailed} failed): ${s.fail} FAIL, ${s.pass} PASS, ${s.error} ERROR` +
        `${s.suppressed ? `, ${s.suppressed} SUPPRESSED` : ''}.`,
      options,
    ),
    wrapParagraph(verdict(report, options.failOn ?? 'any'), options),
  );
  return `${lines.join('\n')}\n`;
}
