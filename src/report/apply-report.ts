import type { AfterApplyCheck } from '../probe/after-apply.js';
import type { ClusterOutcome } from '../remediation/executor.js';
import type { PlanMode } from '../remediation/plan.js';

/** Bump the major version on any change a consumer could notice; schemas/apply-report.schema.json mirrors this. */
export const APPLY_REPORT_SCHEMA_VERSION = '2.2.0';

export interface ApplyReport {
  readonly kind: 'eksposure-apply-report';
  readonly schemaVersion: string;
  readonly planId: string;
  readonly mode: PlanMode;
  /** Since 2.2.0: the plan was made with --allow-drift (clusters managed as code changed anyway). */
  readonly allowDrift: boolean;
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

export function buildApplyReport(input: {
  planId: string;
  mode: PlanMode;
  allowDrift: boolean;
  journal: string | null;
  startedAt: Date;
  finishedAt: Date;
  interruptedBy: string | null;
  outcomes: readonly ClusterOutcome[];
  /** --probe's checks by cluster ARN; null without --probe. */
  probes?: ReadonlyMap<string, AfterApplyCheck> | null;
  /** The reason a person reads for an outcome, its next step (if any) in words. */
  reasonOf: (outcome: ClusterOutcome) => string;
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
    allowDrift: input.allowDrift,
    journal: input.journal,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    interruptedBy: input.interruptedBy,
    complete:
      input.interruptedBy === null &&
      input.outcomes.every((o) => o.result === 'verified' || o.satisfied),
    summary,
    clusters: input.outcomes.map(({ next: _next, journalNote: _note, ...o }) => ({
      ...o,
      reason: input.reasonOf({ ...o, next: _next, journalNote: _note }),
      probe: probes?.get(o.arn) ?? null,
    })),
  };
}
