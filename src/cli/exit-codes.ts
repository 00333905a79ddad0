import type { RemediationPlan } from '../remediation/plan.js';
import type { ApplyReport } from '../report/apply-report.js';
import { type AuditVerdict, auditVerdict, type FailOn } from '../report/fail-on.js';
import type { AuditReport } from '../model/findings.js';

/**
 * Every exit code eksposure gives, and the outcome each stands for: the commands' use cases return
 * outcomes (a report, a refusal, an interruption) and these functions turn them into numbers.
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INCOMPLETE = 3;

/** 128 + the signal's number, as a shell reports a process ended by it. */
const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export function exitCodeForSignal(name: string): number {
  return SIGNAL_EXIT_CODES[name] ?? 130;
}

const AUDIT_EXIT_CODES: Readonly<Record<AuditVerdict, number>> = {
  passing: EXIT_OK,
  failing: EXIT_FINDINGS,
  incomplete: EXIT_INCOMPLETE,
};

/**
 * audit and merge: 3 when incomplete, 1 for a FAIL at the --fail-on level (with --fail-on-new, a
 * new one only), else 0.
 */
export function exitCodeFor(
  report: AuditReport,
  failOn: FailOn = 'any',
  failOnNew = false,
): number {
  return AUDIT_EXIT_CODES[auditVerdict(report, failOn, failOnNew)];
}

/** Why a command refused to go on: bad input (exit 2), or AWS could not be read (exit 3). */
export type Refusal = 'bad-input' | 'unreadable';

export const exitCodeForRefusal = (refusal: Refusal): number =>
  refusal === 'bad-input' ? EXIT_USAGE : EXIT_INCOMPLETE;

/** Exit codes of remediate, apply, rollback and resume, beyond the audit's 0 to 3. */
export const EXIT_NOT_ALL_APPLIED = 1;

export const EXIT_STILL_IN_FLIGHT = 4;

/**
 * A signal outranks everything; then updates left running in AWS; then an incomplete scan
 * (clusters may be missing from the plan); then anything not applied and verified, or (--probe)
 * a changed endpoint that still answers from here.
 */
export function applyExitCode(
  report: ApplyReport,
  plan: Pick<RemediationPlan, 'complete'>,
): number {
  if (report.interruptedBy) return exitCodeForSignal(report.interruptedBy);
  if (report.summary.inFlight > 0) return EXIT_STILL_IN_FLIGHT;
  if (!plan.complete) return EXIT_INCOMPLETE;
  const stillAnswering = report.summary.probe?.stillAnswering ?? 0;
  return report.complete && stillAnswering === 0 ? 0 : EXIT_NOT_ALL_APPLIED;
}

/** Dry run: 3 when the scan was incomplete, 1 when a failing cluster cannot be changed, else 0. */
export function planExitCode(plan: RemediationPlan): number {
  if (!plan.complete) return EXIT_INCOMPLETE;
  return plan.summary.blocked > 0 ? EXIT_NOT_ALL_APPLIED : 0;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  every cluster was evaluated, and none FAILs at the --fail-on level
  1  a cluster FAILs a rule run (EKS-001 by default) at the --fail-on level (SUPPRESSED never counts);
     with --fail-on-new, only a FAIL that is new since --baseline (not FAIL in it)
  2  bad usage or input (flags, region names, only regions not enabled, credentials, an organization
     the credentials cannot list, a --baseline that is not a 2.x audit report); nothing was scanned
  3  the scan is incomplete (an account, region or cluster could not be read; with --probe, an
     endpoint whose name did not resolve), whatever else was found
  130  interrupted (SIGINT; 143 for SIGTERM): the scan stopped, no report; nothing was changed
A reader that closes the output early (| head) does not change the exit code.`;

const INTERRUPTED = `  130  SIGINT (143: SIGTERM): nothing new was submitted; the journal names what is in flight`;

export const REMEDIATION_EXIT_CODES_HELP = `Exit codes:
  0    dry run: every failing cluster can be changed; --apply: every change applied and verified
  1    dry run: a cluster is blocked; --apply: one failed, was refused or skipped, or you said no;
       --probe: a changed endpoint still answers from here
  2    bad usage or input (flags, CIDRs, --out or --journal path, credentials); nothing was changed
  3    the scan is incomplete (an account, region or cluster could not be read)
  4    --apply: an update was still running in AWS at --timeout, or its answer was lost; eksposure resume
       watches it
${INTERRUPTED}`;

export const APPLY_EXIT_CODES_HELP = `Exit codes:
  0    every change in the plan was applied and verified
  1    a cluster failed, was refused (changed since the plan) or skipped, or you said no;
       --probe: a changed endpoint still answers from here
  2    bad usage or input (flags, plan file, journal path, credentials); nothing was changed
  3    the plan was made from an incomplete scan: clusters may be missing from it
  4    an update was still running in AWS at --timeout, or its answer was lost; eksposure resume
       watches it
${INTERRUPTED}`;

export const ROLLBACK_EXIT_CODES_HELP = `Exit codes:
  0    every cluster the journal shows changed was put back and verified
  1    nothing to roll back; a cluster was not put back (failed, changed since, or you said no); or
       the journal names a cluster it cannot settle (not seen to its end, or a torn line): resume first
  2    bad usage or input (flags, journal file, credentials); nothing was changed
  3    a cluster to put back could not be read
  4    an update was still running in AWS at --timeout; eksposure resume --journal <new journal>
${INTERRUPTED}`;

export const RESUME_EXIT_CODES_HELP = `Exit codes:
  0    every update in flight ended and was verified, or none was in flight
  1    an update failed or did not verify; or, with none in flight, one may not have been submitted;
       --probe: a changed endpoint still answers from here
  2    bad usage or input (flags, journal file, credentials); nothing was changed
  3    updates were watched, but the journal cannot tell whether another one was submitted
  4    an update was still running at --timeout; run eksposure resume again
  130  SIGINT (143: SIGTERM): the updates keep running in AWS; run eksposure resume again`;

export const MERGE_EXIT_CODES_HELP = `Exit codes (those one run over every account would give):
  0  every cluster was evaluated and none FAILs at the --fail-on level
  1  a cluster FAILs a rule the shards ran, at the --fail-on level (SUPPRESSED never counts);
     with --fail-on-new, only a FAIL that is new since --baseline
  2  a file (or --baseline) is not a 2.x audit report, or the files are not the shards of one run;
     nothing printed
  3  incomplete: a shard has no report, or an account, region or cluster could not be read`;
