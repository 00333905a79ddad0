import pLimit from 'p-limit';
import {
  type ApplyDeps,
  type ClusterOutcome,
  settleSubmit,
  unreachableAccount,
  targetOfEntry,
  watchUpdate,
} from '../remediation/executor.js';
import {
  type JournalEntry,
  type TornLine,
  unconfirmedSubmits,
  updatesStillInFlight,
} from '../remediation/journal.js';
import type { PlanMode } from '../remediation/plan.js';
import {
  type ChangePorts,
  type ChangeProbe,
  type ChangesMade,
  executorDeps,
  finishChanges,
  type WatchSettings,
  withJournal,
} from './apply-plan.js';

/** What a journal leaves open: updates that may still run, and submits whose answer never came. */
export interface OpenInJournal {
  readonly running: readonly JournalEntry[];
  readonly unconfirmed: readonly JournalEntry[];
}

/** Pure: the entries resume watches or settles; the accounts to reach are theirs. */
export function openInJournal(entries: readonly JournalEntry[]): OpenInJournal {
  return { running: updatesStillInFlight(entries), unconfirmed: unconfirmedSubmits(entries) };
}

export interface ResumeRequest extends WatchSettings {
  readonly journalPath: string;
  readonly open: OpenInJournal;
  /** A last line cut short mid-write: the journal may not account for every cluster. */
  readonly torn: TornLine | undefined;
  readonly probe: ChangeProbe | null;
}

export type ResumeOutcome =
  | { readonly kind: 'nothing-open' }
  | { readonly kind: 'journal-refused'; readonly message: string }
  | (ChangesMade & {
      /** The plan the entries belong to, as the apply report names it. */
      readonly plan: {
        readonly planId: string;
        readonly mode: PlanMode;
        /** Its journal lines say the plan allowed drift (--allow-drift). */
        readonly allowDrift: boolean;
        readonly complete: boolean;
      };
    });

/**
 * Finishes what a journal left open, submitting nothing: watches the updates still running to
 * their end, and asks AWS what became of submits whose answer the journal never got.
 */
export async function resumeJournal(
  ports: ChangePorts,
  request: ResumeRequest,
): Promise<ResumeOutcome> {
  const { running, unconfirmed } = request.open;
  const first = running[0] ?? unconfirmed[0];
  if (!first) return { kind: 'nothing-open' };
  return withJournal(ports.journals, request.journalPath, async (journal) => {
    const executor = executorDeps(ports, journal);
    const interrupt = ports.watchSignals((name) =>
      ports.progress(`${name} received: stopped watching.`),
    );
    const options = (entry: JournalEntry) => ({
      timeoutMs: request.timeoutMs,
      pollIntervalMs: request.pollIntervalMs,
      planId: entry.planId,
      mode: entry.mode as PlanMode,
      allowDrift: entry.allowDrift === true,
      signal: interrupt.signal,
    });
    const startedAt = new Date(ports.clock.now());
    const limit = pLimit(request.concurrency);
    /** The entry's account, reached with its role; an unreachable one leaves the update unwatched. */
    const inAccount = (
      entry: JournalEntry,
      body: (account: ApplyDeps) => Promise<ClusterOutcome>,
    ): Promise<ClusterOutcome> => {
      const port = executor.accountPort(entry);
      if (!port.ok) {
        return Promise.resolve(
          unreachableAccount(targetOfEntry(entry), port.error, 'in-flight', entry.updateId),
        );
      }
      return limit(() => body({ ...executor, aws: port.aws }));
    };
    const outcomes = await Promise.all([
      ...running.map((entry) =>
        inAccount(entry, (account) =>
          watchUpdate(
            account,
            options(entry),
            targetOfEntry(entry),
            entry.updateId ?? '',
            ports.clock.now() + request.timeoutMs,
          ),
        ),
      ),
      ...unconfirmed.map((entry) =>
        inAccount(entry, (account) =>
          settleSubmit(
            account,
            options(entry),
            targetOfEntry(entry),
            new Date(entry.at),
            undefined,
          ),
        ),
      ),
    ]);
    const run = { probe: request.probe, journal, startedAt, interrupt };
    return {
      ...(await finishChanges(ports, outcomes, run)),
      plan: {
        planId: first.planId,
        mode: first.mode as PlanMode,
        allowDrift: first.allowDrift === true,
        complete: !request.torn,
      },
    };
  });
}
