import { confirmAndApply } from '../../app/apply-plan.js';
import { parsePlan } from '../../remediation/plan-file.js';
import { defaultJournalPath } from '../options/apply-options.js';
import {
  type ChangeProbeArgs,
  probeSettings,
  resolveChangeProbe,
} from '../options/apply-probe-options.js';
import {
  applyOutcomeExitCode,
  applyPorts,
  type ChangeCommandArgs,
  inChangeSession,
  readInputFile,
  requireWayToConfirm,
  resolveChangeCommand,
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
  return inChangeSession(deps, settings, args['log-level'], reach, async (session) => {
    const outcome = await confirmAndApply(applyPorts(deps, session, args.yes), plan, {
      ...settings,
      journalPath: args.journal ?? defaultJournalPath(plan.planId),
      probe: probeSettings(probe),
    });
    return applyOutcomeExitCode(deps, plan, outcome, settings.output);
  });
}
