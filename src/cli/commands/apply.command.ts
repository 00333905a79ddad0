import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { parsePlan } from '../../remediation/plan-file.js';
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

interface ApplyArgs extends AwsAccessArgs {
  readonly plan: string;
  readonly yes: boolean;
  readonly journal?: string;
  readonly timeout: string;
  readonly 'poll-interval': number;
  readonly concurrency: number;
  readonly output: 'text' | 'json';
  readonly 'log-level': string;
}

/** Reads a file the operator named; a missing or unreadable one is a usage error. */
export function readInputFile(what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** Shared by apply, rollback and resume: updates in parallel under --concurrency. */
export const applyConcurrencyOption = {
  concurrency: { type: 'number', default: 4, describe: 'Clusters changed or watched at once' },
} as const;

export async function apply(deps: CliDeps, args: ApplyArgs): Promise<number> {
  const access = resolveAwsAccess(args, deps.env);
  const timeoutMs = parseDuration('timeout', args.timeout);
  const pollIntervalMs = parsePollInterval(args['poll-interval']);
  const concurrency = wholeNumber('concurrency', args.concurrency, 50);
  const read = parsePlan(readInputFile('plan file', args.plan), args.plan);
  if (!read.ok) throw new CliError(read.message);
  const { plan } = read;
  requireWayToConfirm(deps, args.yes);

  const logger = deps.createLogger(args['log-level']);
  const { clients } = await openAwsSession(deps, access, { maxSockets: concurrency + 2 });
  try {
    return await confirmAndApply(deps, { clients, logger }, plan, {
      yes: args.yes,
      journalPath: args.journal ?? defaultJournalPath(plan.planId),
      timeoutMs,
      pollIntervalMs,
      concurrency,
      output: args.output,
    });
  } finally {
    clients.destroy();
  }
}

export function applyCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'apply <plan>',
    describe:
      'Apply a saved plan: re-check each cluster against its fingerprint, confirm, submit, watch, verify',
    builder: (yargs: Argv) =>
      yargs
        .positional('plan', {
          type: 'string',
          describe: 'Plan file from eksposure remediate --out',
        })
        .epilogue(REMEDIATION_EXIT_CODES_HELP)
        .options({
          ...awsAccessOptions,
          ...confirmOption,
          journal: {
            type: 'string',
            describe: 'The journal to write (default .eksposure/journal-<plan id>.ndjson)',
          },
          ...applyConcurrencyOption,
          ...watchOptions,
        }),
    handler: async (argv) => {
      setExitCode(await apply(deps, argv as unknown as ApplyArgs));
    },
  };
}
