import pLimit from 'p-limit';
import {
  type ApplyDeps,
  type ClusterOutcome,
  settleSubmit,
  unreachableAccount,
  type UpdateTarget,
  watchUpdate,
} from '../../remediation/executor.js';
import {
  type JournalEntry,
  unconfirmedSubmits,
  updatesStillInFlight,
} from '../../remediation/journal.js';
import type { PlanMode } from '../../remediation/plan.js';
import { executorDeps, interruptible, reportOutcomes, withJournal } from '../apply-flow.js';
import { probeAfterApply } from '../apply-probe.js';
import { type ChangeProbeArgs, resolveChangeProbe } from '../apply-probe-options.js';
import {
  type ChangeCommandArgs,
  readJournalFile,
  resolveChangeCommand,
  tornLineWarning,
  withAwsSession,
} from '../change-command.js';
import type { CliDeps } from '../deps.js';

export interface ResumeArgs extends ChangeCommandArgs, ChangeProbeArgs {
  readonly journal: string;
}

const targetOf = (entry: JournalEntry): UpdateTarget => ({
  accountId: entry.accountId,
  roleArn: entry.roleArn,
  region: entry.region,
  clusterName: entry.clusterName,
  arn: entry.clusterArn,
  before: entry.before,
  requested: entry.requested,
});

/**
 * Finishes what a journal left open, submitting nothing: watches the updates still running to
 * their end, and asks AWS what became of submits whose answer the journal never got.
 */
export async function resume(deps: CliDeps, args: ResumeArgs): Promise<number> {
  const settings = resolveChangeCommand(args, deps.env);
  const probe = resolveChangeProbe(args, [
    'probe-timeout',
    'probe-wait',
    'probe-concurrency',
    'my-ip',
  ]);
  const { entries, torn } = readJournalFile(args.journal);
  if (torn) deps.stderr.write(tornLineWarning(args.journal, torn));
  const running = updatesStillInFlight(entries);
  const unconfirmed = unconfirmedSubmits(entries);
  const first = running[0] ?? unconfirmed[0];
  if (!first) {
    deps.stderr.write(
      `eksposure: ${args.journal} shows no update still in flight; nothing to watch.\n`,
    );
    return torn ? 1 : 0;
  }
  const reach = {
    refs: [...running, ...unconfirmed],
    source: { what: `the journal ${args.journal}` },
  };
  return withAwsSession(deps, settings, args['log-level'], reach, (session) =>
    withJournal(deps, args.journal, async (journal) => {
      const executor = executorDeps(deps, session, journal);
      const interrupt = interruptible(deps, (name) =>
        executor.progress(`${name} received: stopped watching.`),
      );
      const options = (entry: JournalEntry) => ({
        ...settings,
        planId: entry.planId,
        mode: entry.mode as PlanMode,
        signal: interrupt.signal,
      });
      const startedAt = deps.clock();
      const limit = pLimit(settings.concurrency);
      /** The entry's account, reached with its role; an unreachable one leaves the update unwatched. */
      const inAccount = (
        entry: JournalEntry,
        body: (account: ApplyDeps) => Promise<ClusterOutcome>,
      ): Promise<ClusterOutcome> => {
        const port = executor.accountPort(entry);
        if (!port.ok) {
          return Promise.resolve(
            unreachableAccount(targetOf(entry), port.error, 'in-flight', entry.updateId),
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
              targetOf(entry),
              entry.updateId ?? '',
              deps.clock().getTime() + settings.timeoutMs,
            ),
          ),
        ),
        ...unconfirmed.map((entry) =>
          inAccount(entry, (account) =>
            settleSubmit(account, options(entry), targetOf(entry), new Date(entry.at), undefined),
          ),
        ),
      ]);
      const plan = { planId: first.planId, mode: first.mode as PlanMode, complete: !torn };
      const probes = await probeAfterApply(deps, session, outcomes, probe, interrupt.signal);
      return reportOutcomes(deps, plan, outcomes, {
        journal,
        startedAt,
        interruptedBy: interrupt.interruptedBy(),
        output: settings.output,
        probes,
      });
    }),
  );
}
