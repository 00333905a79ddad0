import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { planRollback } from '../../remediation/gather-plan.js';
import { rollbackCandidates } from '../../remediation/journal.js';
import { assemblePlan } from '../../remediation/planner.js';
import { formatPlan } from '../../report/plan.formatter.js';
import { toolVersion } from '../../version.js';
import { confirmAndApply, requireWayToConfirm } from '../apply-flow.js';
import { confirmOption, defaultJournalPath } from '../apply-options.js';
import {
  type ChangeCommandArgs,
  changeCommandOptions,
  readJournalFile,
  resolveChangeCommand,
  withAwsSession,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { ROLLBACK_EXAMPLES, withHelp } from '../help-examples.js';
import { ROLLBACK_EXIT_CODES_HELP } from '../exit-codes.js';

interface RollbackArgs extends ChangeCommandArgs {
  readonly journal: string;
  readonly 'new-journal'?: string;
  readonly yes: boolean;
}

export async function rollback(deps: CliDeps, args: RollbackArgs): Promise<number> {
  const settings = resolveChangeCommand(args, deps.env);
  const candidates = rollbackCandidates(readJournalFile(args.journal));
  requireWayToConfirm(deps, args.yes);
  if (candidates.length === 0) {
    throw new CliError(
      `${args.journal} shows no cluster that was changed and verified, so there is nothing to roll back.`,
      1,
    );
  }
  return withAwsSession(deps, settings, args['log-level'], async (session) => {
    const planned = await planRollback(
      session.clients,
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
    });
  });
}

export function rollbackCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'rollback',
    describe:
      'Put back the configuration before, for each cluster a journal shows changed and verified',
    builder: (yargs: Argv) =>
      withHelp(yargs, ROLLBACK_EXAMPLES, ROLLBACK_EXIT_CODES_HELP).options({
        journal: {
          type: 'string',
          demandOption: true,
          describe: 'The journal of the apply to undo',
        },
        'new-journal': {
          type: 'string',
          describe:
            "The rollback's own journal (default .eksposure/journal-<rollback plan id>.ndjson)",
        },
        ...confirmOption,
        ...changeCommandOptions,
      }),
    handler: async (argv) => {
      setExitCode(await rollback(deps, argv as unknown as RollbackArgs));
    },
  };
}
