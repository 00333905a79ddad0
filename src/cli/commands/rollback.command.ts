import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { planRollback } from '../../remediation/gather-plan.js';
import { parseJournal, rollbackCandidates } from '../../remediation/journal.js';
import { assemblePlan } from '../../remediation/planner.js';
import { formatPlan } from '../../report/plan.formatter.js';
import { toolVersion } from '../../version.js';
import { confirmAndApply, requireWayToConfirm } from '../apply-flow.js';
import {
  confirmOption,
  defaultJournalPath,
  parseDuration,
  parsePollInterval,
  watchOptions,
} from '../apply-options.js';
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

interface RollbackArgs extends AwsAccessArgs {
  readonly journal: string;
  readonly 'new-journal'?: string;
  readonly yes: boolean;
  readonly timeout: string;
  readonly 'poll-interval': number;
  readonly concurrency: number;
  readonly output: 'text' | 'json';
  readonly 'log-level': string;
}

export async function rollback(deps: CliDeps, args: RollbackArgs): Promise<number> {
  const access = resolveAwsAccess(args, deps.env);
  const timeoutMs = parseDuration('timeout', args.timeout);
  const pollIntervalMs = parsePollInterval(args['poll-interval']);
  const concurrency = wholeNumber('concurrency', args.concurrency, 50);
  const read = parseJournal(readInputFile('journal', args.journal), args.journal);
  if (!read.ok) throw new CliError(read.message);
  const candidates = rollbackCandidates(read.entries);
  requireWayToConfirm(deps, args.yes);

  if (candidates.length === 0) {
    throw new CliError(
      `${args.journal} shows no cluster that was changed and verified, so there is nothing to roll back.`,
      1,
    );
  }

  const logger = deps.createLogger(args['log-level']);
  const { clients } = await openAwsSession(deps, access, { maxSockets: concurrency + 2 });
  try {
    const planned = await planRollback(clients, candidates, undefined, concurrency);
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
    if (args.output === 'text') deps.stdout.write(formatPlan(plan, true));
    return await confirmAndApply(deps, { clients, logger }, plan, {
      yes: args.yes,
      journalPath: args['new-journal'] ?? defaultJournalPath(plan.planId),
      timeoutMs,
      pollIntervalMs,
      concurrency,
      output: args.output,
    });
  } finally {
    clients.destroy();
  }
}

export function rollbackCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'rollback',
    describe:
      'Put back the configuration before, for each cluster a journal shows changed and verified',
    builder: (yargs: Argv) =>
      yargs.epilogue(REMEDIATION_EXIT_CODES_HELP).options({
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
        ...awsAccessOptions,
        ...confirmOption,
        ...applyConcurrencyOption,
        ...watchOptions,
      }),
    handler: async (argv) => {
      setExitCode(await rollback(deps, argv as unknown as RollbackArgs));
    },
  };
}
