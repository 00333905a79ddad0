import type { AfterApplyCheck } from '../probe/after-apply.js';
import type { ClusterOutcome } from '../remediation/executor.js';
import type { PlanMode, RemediationPlan } from '../remediation/plan.js';
import { EXIT_INCOMPLETE, exitCodeForSignal } from './audit-report.js';

/** Bump the major version on any change a consumer could notice; schemas/apply-report.schema.json mirrors this. */
export const APPLY_REPORT_SCHEMA_VERSION = '2.1.0';

export interface ApplyReport {
  readonly kind: 'eksposure-apply-report';
  readonly schemaVersion: string;
  readonly planId: string;
  readonly mode: PlanMode;
  readonly journal: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** SIGINT or SIGTERM when the run was interrupted; null otherwise. */
  readonly interruptedBy: string | null;
  /** True only when every planned change was applied and verified. */
  readonly complete: boolean;
  readonly summary: {
    readonly verified: number;
    readonly failed: number;
    readonly skipped: number;
    readonly inFlight: number;
    /** Since 2.1.0: what --probe saw after the changes; null without --probe. */
    readonly probe: ProbeSummary | null;
  };
  readonly clusters: readonly AppliedCluster[];
}

/** A cluster's outcome and, since 2.1.0, what --probe saw of it afterwards (null: not probed). */
export interface AppliedCluster extends ClusterOutcome {
  readonly probe: AfterApplyCheck | null;
}

export interface ProbeSummary {
  readonly confirmed: number;
  /** Still answering from here where the configuration says it should not: exit 1. */
  readonly stillAnswering: number;
  readonly notJudged: number;
}

function probeSummary(checks: ReadonlyMap<string, AfterApplyCheck>): ProbeSummary {
  const all = [...checks.values()];
  return {
    confirmed: all.filter((c) => c.confirmed === true).length,
    stillAnswering: all.filter((c) => c.confirmed === false).length,
    notJudged: all.filter((c) => c.confirmed === null).length,
  };
}

/** Exit codes of remediate, apply, rollback and resume, beyond the audit's 0 to 3. */
export const EXIT_NOT_ALL_APPLIED = 1;
export const EXIT_STILL_IN_FLIGHT = 4;

export function buildApplyReport(input: {
  planId: string;
  mode: PlanMode;
  journal: string | null;
  startedAt: Date;
  finishedAt: Date;
  interruptedBy: string | null;
  outcomes: readonly ClusterOutcome[];
  /** --probe's checks by cluster ARN; null without --probe. */
  probes?: ReadonlyMap<string, AfterApplyCheck> | null;
}): ApplyReport {
  const probes = input.probes ?? null;
  const count = (result: string) => input.outcomes.filter((o) => o.result === result).length;
  const summary = {
    verified: count('verified'),
    failed: count('failed'),
    skipped: count('skipped'),
    inFlight: count('in-flight'),
    probe: probes && probeSummary(probes),
  };
  return {
    kind: 'eksposure-apply-report',
    schemaVersion: APPLY_REPORT_SCHEMA_VERSION,
    planId: input.planId,
    mode: input.mode,
    journal: input.journal,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    interruptedBy: input.interruptedBy,
    complete:
      input.interruptedBy === null &&
      input.outcomes.every((o) => o.result === 'verified' || o.satisfied),
    summary,
    clusters: input.outcomes.map((o) => ({ ...o, probe: probes?.get(o.arn) ?? null })),
  };
}

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
