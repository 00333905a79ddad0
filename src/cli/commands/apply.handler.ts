import { parsePlan } from '../../remediation/plan-file.js';
import { confirmAndApply, requireWayToConfirm } from '../apply-flow.js';
import { defaultJournalPath } from '../apply-options.js';
import {
  type ChangeCommandArgs,
  readInputFile,
  resolveChangeCommand,
  withAwsSession,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';

export interface ApplyArgs extends ChangeCommandArgs {
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
