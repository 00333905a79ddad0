import { resolve } from 'node:path';
import { planRollback } from '../../remediation/gather-plan.js';
import {
  type JournalEntry,
  rollbackCandidates,
  unconfirmedSubmits,
  updatesStillInFlight,
} from '../../remediation/journal.js';
import { EXIT_NOT_ALL_APPLIED } from '../../report/apply-report.js';
import { assemblePlan } from '../../remediation/planner.js';
import { formatPlan } from '../../report/plan.formatter.js';
import { toolVersion } from '../../version.js';
import { confirmAndApply, requireWayToConfirm } from '../apply-flow.js';
import { defaultJournalPath } from '../apply-options.js';
import {
  type ChangeCommandArgs,
  readJournalFile,
  resolveChangeCommand,
  tornLineWarning,
  withAwsSession,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';

export interface RollbackArgs extends ChangeCommandArgs {
  readonly journal: string;
  readonly 'new-journal'?: string;
  readonly yes: boolean;
}

/** One line per cluster whose update the journal did not see to its end: resume first. */
function unsettledWarning(path: string, entry: JournalEntry): string {
  const update = entry.updateId ? `update ${entry.updateId}` : 'a submitted update';
  return `eksposure: ${entry.region}/${entry.clusterName}: ${update} was not seen to its end (journal says ${entry.status}); run eksposure resume --journal ${path} first, then roll back.\n`;
}

export async function rollback(deps: CliDeps, args: RollbackArgs): Promise<number> {
  const settings = resolveChangeCommand(args, deps.env);
  const { entries, torn } = readJournalFile(args.journal);
  const candidates = rollbackCandidates(entries);
  const unsettled = [...unconfirmedSubmits(entries), ...updatesStillInFlight(entries)];
  requireWayToConfirm(deps, args.yes);
  for (const entry of unsettled) deps.stderr.write(unsettledWarning(args.journal, entry));
  if (torn) deps.stderr.write(tornLineWarning(args.journal, torn));
  const settled = unsettled.length === 0 && !torn;
  if (candidates.length === 0) {
    throw new CliError(
      settled
        ? `${args.journal} shows no cluster that was changed, so there is nothing to roll back.`
        : `nothing can be rolled back yet: the journal does not account for every cluster (above); settle them first.`,
      EXIT_NOT_ALL_APPLIED,
    );
  }
  const reach = { refs: candidates, source: { what: `the journal ${args.journal}` } };
  const code = await withAwsSession(deps, settings, args['log-level'], reach, async (session) => {
    const planned = await planRollback(
      (account) => session.accounts.clientsFor(account),
      candidates,
      undefined,
      settings.concurrency,
    );
    const plan = assemblePlan(
      {
        planId: deps.newId(),
        createdAt: deps.clock(),
        toolVersion,
        mode: 'rollback',
        allowCidrs: null,
        operatorIp: null,
        sourceJournal: resolve(args.journal),
        unread: planned.unread,
      },
      planned.clusters,
    );
    if (settings.output === 'text')
      deps.stdout.write(formatPlan(plan, true, { width: deps.stdout.columns }));
    return confirmAndApply(deps, session, plan, {
      ...settings,
      yes: args.yes,
      journalPath: args['new-journal'] ?? defaultJournalPath(plan.planId),
      // Putting an endpoint back opens it again: there is nothing for a probe to confirm.
      probe: null,
    });
  });
  // The clusters the journal cannot account for were not rolled back: never a clean success.
  return code === 0 && !settled ? EXIT_NOT_ALL_APPLIED : code;
}
