import { parsePlan } from '../../remediation/plan-file.js';
import { confirmAndApply, requireWayToConfirm } from '../apply-flow.js';
import { defaultJournalPath } from '../apply-options.js';
import { type ChangeProbeArgs, resolveChangeProbe } from '../apply-probe-options.js';
import {
  type ChangeCommandArgs,
  readInputFile,
  resolveChangeCommand,
  withAwsSession,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';

export interface ApplyArgs extends ChangeCommandArgs, ChangeProbeArgs {
  readonly plan: string;
  readonly yes: boolean;
  readonly journal?: string;
}

export async function apply(deps: CliDeps, args: ApplyArgs): Promise<number> {
  const settings = resolveChangeCommand(args, deps.env);
  const probe = resolveChangeProbe(args, [
    'probe-timeout',
    'probe-wait',
    'probe-concurrency',
    'my-ip',
  ]);
  const read = parsePlan(readInputFile('plan file', args.plan), args.plan);
  if (!read.ok) throw new CliError(read.message);
  const { plan } = read;
  requireWayToConfirm(deps, args.yes);
  const reach = {
    refs: plan.clusters.filter((c) => c.action === 'update'),
    source: {
      what: `the plan ${args.plan}`,
      orElse: 'plan again with them (eksposure remediate --out FILE)',
    },
  };
  return withAwsSession(deps, settings, args['log-level'], reach, (session) =>
    confirmAndApply(deps, session, plan, {
      ...settings,
      yes: args.yes,
      journalPath: args.journal ?? defaultJournalPath(plan.planId),
      probe,
    }),
  );
}
