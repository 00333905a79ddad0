import {
  failedRegions,
  findingAccounts,
  regionAccount,
  exemptionOf,
  managerEvidence,
} from './report-view.js';
import { type AuditReport } from '../../model/findings.js';

export const CSV_COLUMNS = [
  'accountId',
  'region',
  'clusterName',
  'ruleId',
  'status',
  'severity',
  'arn',
  'clusterStatus',
  'endpointPublicAccess',
  'endpointPrivateAccess',
  'publicAccessCidrs',
  'accessMode',
  'accessDescription',
  'message',
  'errorCode',
  'errorMessage',
  'exemptionReason',
  'exemptionExpires',
  'exemptionExpired',
  'probeVerdict',
  'probeGitVersion',
  'probeVantage',
  'managedBy',
  'managedByEvidence',
  'change',
] as const;

type Row = Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>;

/**
 * A text a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading ',
 * as OWASP's CSV injection advice says: an exemption reason or an AWS error message is not ours.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string | number | boolean | null): string {
  const raw = value === null ? '' : String(value);
  const text = typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One row per account, cluster and rule, with the report's fields; a region that could not be
 * read gets a row per rule with an empty cluster, so its missing clusters are not silent. CIDRs
 * are separated by spaces inside their field. CRLF line ends, as RFC 4180 says.
 */
export function formatCsv(report: AuditReport): string {
  const findingAccount = findingAccounts(report);
  const rows: Row[] = report.findings.map((f) => {
    const exemption = exemptionOf(f);
    return {
      accountId: findingAccount(f),
      region: f.region,
      clusterName: f.clusterName,
      ruleId: f.ruleId,
      status: f.status,
      severity: f.severity,
      arn: f.arn,
      clusterStatus: f.clusterStatus,
      endpointPublicAccess: f.endpointPublicAccess,
      endpointPrivateAccess: f.endpointPrivateAccess,
      publicAccessCidrs: f.publicAccessCidrs?.join(' ') ?? null,
      accessMode: f.accessMode,
      accessDescription: f.accessDescription,
      message: f.message,
      errorCode: f.error?.code ?? null,
      errorMessage: f.error?.message ?? null,
      exemptionReason: exemption?.reason ?? null,
      exemptionExpires: exemption?.expires ?? null,
      exemptionExpired: exemption?.expired ?? null,
      probeVerdict: f.probe?.verdict ?? null,
      probeGitVersion: f.probe?.gitVersion ?? null,
      probeVantage: f.probe?.vantage ?? null,
      managedBy: f.managedBy?.tool ?? null,
      managedByEvidence: managerEvidence(f),
      change: f.change ?? null,
    };
  });
  for (const region of failedRegions(report)) {
    for (const rule of report.rules) {
      rows.push({
        ...Object.fromEntries(CSV_COLUMNS.map((c) => [c, null])),
        accountId: regionAccount(report, region),
        region: region.region,
        clusterName: '',
        ruleId: rule.id,
        status: 'ERROR',
        severity: rule.severity,
        message: 'The region could not be listed: its clusters were not evaluated.',
        errorCode: region.error?.code ?? null,
        errorMessage: region.error?.message ?? null,
      } as Row);
    }
  }
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((row) => CSV_COLUMNS.map((c) => field(row[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
