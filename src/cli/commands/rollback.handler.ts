import { resolve } from 'node:path';
import { rollBack, rollbackScope } from '../../app/rollback.js';
import type { JournalEntry } from '../../remediation/journal.js';
import { formatPlan } from '../../report/plan.format.js';
import { defaultJournalPath } from '../options/apply-options.js';
import {
  applyOutcomeExitCode,
  applyPorts,
  type ChangeCommandArgs,
  inChangeSession,
  readJournalFile,
  requireWayToConfirm,
  resolveChangeCommand,
  tornLineWarning,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { EXIT_NOT_ALL_APPLIED } from '../exit-codes.js';
import { toolVersion } from '../version.js';

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
  const scope = rollbackScope(entries, torn);
  requireWayToConfirm(deps, args.yes);
  for (const entry of scope.unsettled) deps.stderr.write(unsettledWarning(args.journal, entry));
  if (torn) deps.stderr.write(tornLineWarning(args.journal, torn));
  if (scope.candidates.length === 0) {
    throw new CliError(
      scope.settled
        ? `${args.journal} shows no cluster that was changed, so there is nothing to roll back.`
        : `nothing can be rolled back yet: the journal does not account for every cluster (above); settle them first.`,
      EXIT_NOT_ALL_APPLIED,
    );
  }
  const reach = { refs: scope.candidates, source: { what: `the journal ${args.journal}` } };
  const code = await inChangeSession(deps, settings, args['log-level'], reach, async (session) => {
    const { plan, outcome } = await rollBack(
      {
        ...applyPorts(deps, session, args.yes),
        showPlan: (p) => {
          if (settings.output === 'text')
            deps.stdout.write(formatPlan(p, true, { width: deps.stdout.columns }));
        },
      },
      {
        ...settings,
        sourceJournal: resolve(args.journal),
        candidates: scope.candidates,
        journalPath: (planId) => args['new-journal'] ?? defaultJournalPath(planId),
        planId: deps.newId(),
        toolVersion,
      },
    );
    return applyOutcomeExitCode(deps, plan, outcome, settings.output);
  });
  // The clusters the journal cannot account for were not rolled back: never a clean success.
  return code === 0 && !scope.settled ? EXIT_NOT_ALL_APPLIED : code;
}
