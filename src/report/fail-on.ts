import { type AuditReport, type Severity, SEVERITY_RANK } from '../model/findings.js';

/** --fail-on: the lowest severity of a FAIL that exits 1; `any` (the default) is every FAIL, `never` none. */
export type FailOn = Severity | 'any' | 'never';
export const FAIL_ON_CHOICES = ['critical', 'high', 'medium', 'low', 'never'] as const;

/** Pure: whether a FAIL of this severity turns the exit code to 1 under --fail-on. */
export function failsBuild(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return failOn === 'any' || SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

/**
 * What a report says as a whole: `incomplete` (an account, region or cluster could not be read),
 * `failing` (a FAIL at the --fail-on level), or `passing`. An incomplete scan outranks FAIL: the
 * report cannot be trusted as complete. SUPPRESSED findings never count. With `failOnNew`
 * (--fail-on-new, after --baseline) only a FAIL marked `new` counts: one not FAIL in the baseline.
 */
export type AuditVerdict = 'passing' | 'failing' | 'incomplete';

export function auditVerdict(
  report: AuditReport,
  failOn: FailOn = 'any',
  failOnNew = false,
): AuditVerdict {
  if (!report.complete) return 'incomplete';
  const failing =
    failOn === 'any' && !failOnNew
      ? report.summary.fail > 0
      : report.findings.some(
          (f) =>
            f.status === 'FAIL' &&
            (!failOnNew || f.change === 'new') &&
            failsBuild(f.severity, failOn),
        );
  return failing ? 'failing' : 'passing';
}
