import pLimit from 'p-limit';
import type { Argv, CommandModule } from 'yargs';
import { watchUpdate } from '../../remediation/executor.js';
import {
  type JournalEntry,
  latestByCluster,
  openJournal,
  updatesStillInFlight,
} from '../../remediation/journal.js';
import type { PlanMode } from '../../remediation/plan.js';
import { executorDeps, interruptible, reportOutcomes } from '../apply-flow.js';
import {
  type ChangeCommandArgs,
  changeCommandOptions,
  readJournalFile,
  resolveChangeCommand,
  withAwsSession,
} from '../change-command.js';
import type { CliDeps } from '../deps.js';
import { RESUME_EXAMPLES, withHelp } from '../help-examples.js';
import { RESUME_EXIT_CODES_HELP } from '../exit-codes.js';

interface ResumeArgs extends ChangeCommandArgs {
  readonly journal: string;
}

const targetOf = (entry: JournalEntry) => ({
  region: entry.region,
  clusterName: entry.clusterName,
  arn: entry.clusterArn,
  before: entry.before,
  requested: entry.requested,
});

/** Watches, to their end, the updates a journal shows still running; submits nothing. */
export async function resume(deps: CliDeps, args: ResumeArgs): Promise<number> {
  const settings = resolveChangeCommand(args, deps.env);
  const entries = readJournalFile(args.journal);
  const unconfirmed = latestByCluster(entries).filter((e) => e.status === 'Submitting');
  for (const e of unconfirmed) {
    deps.stderr.write(
      `eksposure: ${e.region}/${e.clusterName}: the journal does not say whether EKS received the update; run eksposure apply on plan ${e.planId} again (its idempotency token cannot submit twice).\n`,
    );
  }
  const running = updatesStillInFlight(entries);
  const first = running[0];
  if (!first) {
    deps.stderr.write(
      `eksposure: ${args.journal} shows no update still in flight; nothing to watch.\n`,
    );
    return unconfirmed.length > 0 ? 1 : 0;
  }
  return withAwsSession(deps, settings, args['log-level'], async (session) => {
    const journal = openJournal(args.journal, deps.clock);
    const executor = executorDeps(deps, session, journal);
    const interrupt = interruptible(deps, (name) =>
      executor.progress(`${name} received: stopped watching.`),
    );
    const startedAt = deps.clock();
    const limit = pLimit(settings.concurrency);
    const outcomes = await Promise.all(
      running.map((entry) =>
        limit(() =>
          watchUpdate(
            executor,
            {
              ...settings,
              planId: entry.planId,
              mode: entry.mode as PlanMode,
              signal: interrupt.signal,
            },
            targetOf(entry),
            entry.updateId ?? '',
            deps.clock().getTime() + settings.timeoutMs,
          ),
        ),
      ),
    );
    const plan = {
      planId: first.planId,
      mode: first.mode as PlanMode,
      complete: unconfirmed.length === 0,
    };
    return reportOutcomes(deps, plan, outcomes, {
      journal,
      startedAt,
      interruptedBy: interrupt.interruptedBy(),
      output: settings.output,
    });
  });
}

export function resumeCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'resume',
    describe: 'Watch the updates a journal shows still in flight to their end, and verify them',
    builder: (yargs: Argv) =>
      withHelp(yargs, RESUME_EXAMPLES, RESUME_EXIT_CODES_HELP).options({
        journal: {
          type: 'string',
          demandOption: true,
          describe: 'The journal of an interrupted or timed-out apply',
        },
        ...changeCommandOptions,
      }),
    handler: async (argv) => {
      setExitCode(await resume(deps, argv as unknown as ResumeArgs));
    },
  };
}
