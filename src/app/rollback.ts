import { setMaxListeners } from 'node:events';
import {
  type JournalEntry,
  type TornLine,
  rollbackCandidates,
  unconfirmedSubmits,
  updatesStillInFlight,
} from '../remediation/journal.js';
import type { RemediationPlan } from '../remediation/plan.js';
import { planRollback } from '../remediation/plan-rollback.js';
import { assemblePlan } from '../remediation/planner.js';
import {
  type ApplyOutcome,
  type ApplyPorts,
  type ApplySettings,
  confirmAndApply,
} from './apply-plan.js';

/** What a journal says can be rolled back, and what it cannot account for. */
export interface RollbackScope {
  /** Clusters changed (and verified, or Successful but not verified): put back. */
  readonly candidates: readonly JournalEntry[];
  /** Updates the journal did not see to their end: resume first. */
  readonly unsettled: readonly JournalEntry[];
  /** False when a cluster is unsettled or the last line was cut short. */
  readonly settled: boolean;
}

/** Pure: what a rollback of these journal entries covers. */
export function rollbackScope(
  entries: readonly JournalEntry[],
  torn: TornLine | undefined,
): RollbackScope {
  const unsettled = [...unconfirmedSubmits(entries), ...updatesStillInFlight(entries)];
  return {
    candidates: rollbackCandidates(entries),
    unsettled,
    settled: unsettled.length === 0 && !torn,
  };
}

export interface RollbackRequest extends Omit<ApplySettings, 'journalPath' | 'probe'> {
  /** The journal undone, as the plan records it (an absolute path). */
  readonly sourceJournal: string;
  readonly candidates: readonly JournalEntry[];
  /** --new-journal, or the default for the rollback plan's id. */
  readonly journalPath: (planId: string) => string;
  readonly planId: string;
  readonly toolVersion: string;
}

export interface RollbackPorts extends ApplyPorts {
  /** Shown once the plan is made, before the question (text output). */
  showPlan(plan: RemediationPlan): void;
}

/**
 * Plans each changed cluster back to its configuration before (read again now, in its own
 * account), then applies that plan like any other: confirm, journal, submit, watch, verify.
 */
export async function rollBack(
  ports: RollbackPorts,
  request: RollbackRequest,
): Promise<{ readonly plan: RemediationPlan; readonly outcome: ApplyOutcome }> {
  // Nothing interrupts the reading (a signal before the question ends the command): every call
  // of the plan shares this signal, hundreds of listeners at once on a cluster with many updates.
  const reading = new AbortController();
  setMaxListeners(0, reading.signal);
  const planned = await planRollback(
    (account) => ports.accounts.portFor(account),
    request.candidates,
    undefined,
    request.concurrency,
    reading.signal,
  );
  const plan = assemblePlan(
    {
      planId: request.planId,
      createdAt: new Date(ports.clock.now()),
      toolVersion: request.toolVersion,
      mode: 'rollback',
      allowCidrs: null,
      operatorIp: null,
      sourceJournal: request.sourceJournal,
      unread: planned.unread,
    },
    planned.clusters,
  );
  ports.showPlan(plan);
  const outcome = await confirmAndApply(ports, plan, {
    ...request,
    journalPath: request.journalPath(plan.planId),
    // Putting an endpoint back opens it again: there is nothing for a probe to confirm.
    probe: null,
  });
  return { plan, outcome };
}
