import { openInJournal, resumeJournal } from '../../app/resume.js';
import {
  type ChangeProbeArgs,
  probeSettings,
  resolveChangeProbe,
} from '../options/apply-probe-options.js';
import {
  type ChangeCommandArgs,
  changePorts,
  inChangeSession,
  readJournalFile,
  reportChanges,
  resolveChangeCommand,
  tornLineWarning,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';

export interface ResumeArgs extends ChangeCommandArgs, ChangeProbeArgs {
  readonly journal: string;
}

/**
 * Finishes what a journal left open, submitting nothing: watches the updates still running to
 * their end, and asks AWS what became of submits whose answer the journal never got.
 */
export async function resume(deps: CliDeps, args: ResumeArgs): Promise<number> {
  const settings = resolveChangeCommand(args, deps.env);
  const probe = resolveChangeProbe(args, [
    'probe-timeout',
    'probe-wait',
    'probe-concurrency',
    'my-ip',
  ]);
  const { entries, torn } = readJournalFile(args.journal);
  if (torn) deps.stderr.write(tornLineWarning(args.journal, torn));
  const open = openInJournal(entries);
  if (open.running.length === 0 && open.unconfirmed.length === 0) {
    deps.stderr.write(
      `eksposure: ${args.journal} shows no update still in flight; nothing to watch.\n`,
    );
    return torn ? 1 : 0;
  }
  const reach = {
    refs: [...open.running, ...open.unconfirmed],
    source: { what: `the journal ${args.journal}` },
  };
  return inChangeSession(deps, settings, args['log-level'], reach, async (session) => {
    const outcome = await resumeJournal(changePorts(deps, session), {
      ...settings,
      journalPath: args.journal,
      open,
      torn,
      probe: probeSettings(probe),
    });
    if (outcome.kind === 'journal-refused') throw new CliError(outcome.message);
    if (outcome.kind === 'nothing-open') return 0;
    return reportChanges(deps, outcome.plan, outcome, settings.output);
  });
}
