import pLimit from 'p-limit';
import type { Argv, CommandModule } from 'yargs';
import { type ClusterOutcome, watchUpdate } from '../../remediation/executor.js';
import {
  latestByCluster,
  openJournal,
  parseJournal,
  updatesStillInFlight,
} from '../../remediation/journal.js';
import type { PlanMode } from '../../remediation/plan.js';
import { interruptible, reportOutcomes } from '../apply-flow.js';
import { parseDuration, parsePollInterval, watchOptions } from '../apply-options.js';
import {
  type AwsAccessArgs,
  awsAccessOptions,
  resolveAwsAccess,
  wholeNumber,
} from '../aws-options.js';
import { openAwsSession } from '../aws-session.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { REMEDIATION_EXIT_CODES_HELP } from '../exit-codes.js';
import { applyConcurrencyOption, readInputFile } from './apply.command.js';

interface ResumeArgs extends AwsAccessArgs {
  readonly journal: string;
  readonly timeout: string;
  readonly 'poll-interval': number;
  readonly concurrency: number;
  readonly output: 'text' | 'json';
  readonly 'log-level': string;
}

/** Watches, to their end, the updates a journal shows still running; submits nothing. */
export async function resume(deps: CliDeps, args: ResumeArgs): Promise<number> {
  const access = resolveAwsAccess(args, deps.env);
  const timeoutMs = parseDuration('timeout', args.timeout);
  const pollIntervalMs = parsePollInterval(args['poll-interval']);
  const concurrency = wholeNumber('concurrency', args.concurrency, 50);
  const read = parseJournal(readInputFile('journal', args.journal), args.journal);
  if (!read.ok) throw new CliError(read.message);
  const unconfirmed = latestByCluster(read.entries).filter((e) => e.status === 'Submitting');
  for (const e of unconfirmed) {
    deps.stderr.write(
      `eksposure: ${e.region}/${e.clusterName}: the journal does not say whether EKS received the update; run eksposure apply on plan ${e.planId} again (its idempotency token cannot submit twice).\n`,
    );
  }
  const running = updatesStillInFlight(read.entries);
  if (running.length === 0) {
    deps.stderr.write(
      `eksposure: ${args.journal} shows no update still in flight; nothing to watch.\n`,
    );
    return unconfirmed.length > 0 ? 1 : 0;
  }
  const first = running[0];
  const planId = first?.planId ?? '';
  const mode = (first?.mode ?? 'private') as PlanMode;

  const logger = deps.createLogger(args['log-level']);
  const { clients } = await openAwsSession(deps, access, { maxSockets: concurrency + 2 });
  const journal = openJournal(args.journal, deps.clock);
  const progress = (line: string) => deps.stderr.write(`eksposure: ${line}\n`);
  const interrupt = interruptible(deps, (name) => progress(`${name} received: stopped watching.`));
  const startedAt = deps.clock();
  try {
    const limit = pLimit(concurrency);
    const outcomes: ClusterOutcome[] = await Promise.all(
      running.map((entry) =>
        limit(() =>
          watchUpdate(
            {
              eks: (region) => clients.eks(region),
              journal,
              now: () => deps.clock().getTime(),
              sleep: deps.sleep,
              progress,
              logger,
            },
            {
              planId: entry.planId,
              mode: entry.mode as PlanMode,
              timeoutMs,
              pollIntervalMs,
              signal: interrupt.signal,
            },
            {
              region: entry.region,
              clusterName: entry.clusterName,
              arn: entry.clusterArn,
              before: entry.before,
              requested: entry.requested,
            },
            entry.updateId ?? '',
            deps.clock().getTime() + timeoutMs,
          ),
        ),
      ),
    );
    return reportOutcomes(deps, { planId, mode, complete: unconfirmed.length === 0 }, outcomes, {
      journal,
      startedAt,
      interruptedBy: interrupt.interruptedBy(),
      output: args.output,
    });
  } finally {
    clients.destroy();
  }
}

export function resumeCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'resume',
    describe: 'Watch the updates a journal shows still in flight to their end, and verify them',
    builder: (yargs: Argv) =>
      yargs.epilogue(REMEDIATION_EXIT_CODES_HELP).options({
        journal: {
          type: 'string',
          demandOption: true,
          describe: 'The journal of an interrupted or timed-out apply',
        },
        ...awsAccessOptions,
        ...applyConcurrencyOption,
        ...watchOptions,
      }),
    handler: async (argv) => {
      setExitCode(await resume(deps, argv as unknown as ResumeArgs));
    },
  };
}
