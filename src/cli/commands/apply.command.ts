import type { Argv, CommandModule } from 'yargs';
import { parsePlan } from '../../remediation/plan-file.js';
import { confirmAndApply, requireWayToConfirm } from '../apply-flow.js';
import { confirmOption, defaultJournalPath } from '../apply-options.js';
import {
  type ChangeCommandArgs,
  changeCommandOptions,
  readInputFile,
  resolveChangeCommand,
  withAwsSession,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { REMEDIATION_EXIT_CODES_HELP } from '../exit-codes.js';

interface ApplyArgs extends ChangeCommandArgs {
  readonly plan: string;
  readonly yes: boolean;
  readonly journal?: string;
}

export async function apply(deps: CliDeps, args: ApplyArgs): Promise<number> {
  const settings = resolveChangeCommand(args, deps.env);
  const read = parsePlan(readInputFile('plan file', args.plan), args.plan);
  if (!read.ok) throw new CliError(read.message);
  const { plan } = read;
  requireWayToConfirm(deps, args.yes);
  return withAwsSession(deps, settings, args['log-level'], (session) =>
    confirmAndApply(deps, session, plan, {
      ...settings,
      yes: args.yes,
      journalPath: args.journal ?? defaultJournalPath(plan.planId),
    }),
  );
}

export function applyCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'apply <plan>',
    describe:
      'Apply a saved plan: check each cluster again (same ARN, same configuration, the change its mode gives, pre-flight), confirm, submit, watch, verify',
    builder: (yargs: Argv) =>
      yargs
        .positional('plan', {
          type: 'string',
          describe: 'Plan file from eksposure remediate --out',
        })
        .epilogue(REMEDIATION_EXIT_CODES_HELP)
        .options({
          ...confirmOption,
          journal: {
            type: 'string',
            describe: 'The journal to write (default .eksposure/journal-<plan id>.ndjson)',
          },
          ...changeCommandOptions,
        }),
    handler: async (argv) => {
      setExitCode(await apply(deps, argv as unknown as ApplyArgs));
    },
  };
}
