import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { clusterLabel } from '../remediation/accounts.js';
import { formatEndpointConfig } from '../remediation/endpoint-config.js';
import { applyPlan, type ClusterOutcome, type PlanApplyDeps } from '../remediation/executor.js';
import { type Journal, openJournal } from '../remediation/journal.js';
import type { RemediationPlan } from '../remediation/plan.js';
import { formatApplyReport } from '../report/apply.formatter.js';
import { exitCodeForSignal } from '../report/audit-report.js';
import {
  applyExitCode,
  buildApplyReport,
  EXIT_NOT_ALL_APPLIED,
  planExitCode,
} from '../report/apply-report.js';
import type { AfterApplyCheck } from '../probe/after-apply.js';
import type { ChangeProbe } from './apply-probe-options.js';
import { probeAfterApply } from './apply-probe.js';
import type { AccountSessions } from './change-accounts.js';
import { logFinished } from './aws-session.js';
import type { WatchSettings } from './change-command.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';

export interface ApplySettings extends WatchSettings {
  readonly yes: boolean;
  readonly journalPath: string;
  /** --probe: confirm from this machine that each changed endpoint no longer answers. */
  readonly probe: ChangeProbe | null;
}

/** Where changes are made: each account the plan or journal names, reached before anything is submitted. */
export interface ApplySession {
  readonly accounts: AccountSessions;
  readonly logger: Logger;
}

/** The executor's edges: each account's EKS clients, the journal, the clock, and progress lines on stderr. */
export function executorDeps(
  deps: CliDeps,
  session: ApplySession,
  journal: Journal,
): PlanApplyDeps {
  return {
    accountPort: (account) => session.accounts.portFor(account),
    journal,
    now: () => deps.clock().getTime(),
    sleep: deps.sleep,
    progress: (line) => deps.stderr.write(`eksposure: ${line}\n`),
    logger: session.logger,
  };
}

/**
 * Opens and locks the journal for the body, and always unlocks it. A journal that cannot be
 * written or is locked by another run is bad input: one line, exit 2, before anything is submitted.
 */
export async function withJournal<T>(
  deps: CliDeps,
  path: string,
  body: (journal: Journal) => Promise<T>,
): Promise<T> {
  const opened = openJournal(path, deps.clock);
  if (!opened.ok) throw new CliError(opened.message);
  try {
    return await body(opened.journal);
  } finally {
    opened.journal.close();
  }
}

/** SIGINT/SIGTERM abort the signal; the name of the first one is kept for the exit code. */
export function interruptible(deps: CliDeps, onSignal: (name: string) => void) {
  const controller = new AbortController();
  // Every AWS call and every probe request in flight listens to this one signal: hundreds at once
  // are expected, not a leak, and Node's warning about them would only alarm the reader.
  setMaxListeners(0, controller.signal);
  let interruptedBy: string | null = null;
  void deps.untilSignal().then((name) => {
    interruptedBy = name;
    onSignal(name);
    controller.abort();
  });
  return { signal: controller.signal, interruptedBy: () => interruptedBy };
}

/** What will change, for the confirmation question. */
function describeChanges(plan: RemediationPlan): string {
  const updates = plan.clusters.filter((c) => c.action === 'update');
  const lines = updates.map(
    (c) =>
      `  ${clusterLabel(c)}: ${formatEndpointConfig(c.before)} -> ${formatEndpointConfig(c.after)}`,
  );
  return `About to change ${updates.length} cluster${updates.length === 1 ? '' : 's'} (plan ${plan.planId}, mode ${plan.mode}):\n${lines.join('\n')}\n`;
}

/**
 * Called before anything is read from AWS: without --yes there must be a terminal to ask on, so
 * an unattended run fails at once instead of after a scan.
 */
export function requireWayToConfirm(deps: CliDeps, yes: boolean): void {
  if (yes || (deps.stdinIsTTY && deps.stderr.isTTY)) return;
  throw new CliError(
    'refusing to change clusters without confirmation: there is no terminal to ask on. Review the plan (eksposure remediate --out plan.json), then rerun with --yes.',
  );
}

/** Asks on a terminal; returns false when the person does not answer yes. */
async function confirmed(deps: CliDeps, plan: RemediationPlan, yes: boolean): Promise<boolean> {
  requireWayToConfirm(deps, yes);
  if (yes) return true;
  deps.stderr.write(describeChanges(plan));
  // A signal while the question waits ends the command (nothing was changed), as it does
  // everywhere else: `docker stop` or a SIGTERM must not wait for an answer that never comes.
  const reply = await Promise.race([
    deps.prompt('Type "yes" to apply these changes: ').then((text) => ({ text })),
    deps.untilSignal().then((signal) => ({ signal })),
  ]);
  if ('signal' in reply) {
    throw new CliError(
      `${reply.signal} received before the question was answered; nothing was changed.`,
      exitCodeForSignal(reply.signal),
    );
  }
  return reply.text?.trim().toLowerCase() === 'yes';
}

/** Prints the result, says what is still running in AWS and how to resume watching it. */
export function reportOutcomes(
  deps: CliDeps,
  plan: Pick<RemediationPlan, 'planId' | 'mode' | 'complete'>,
  outcomes: readonly ClusterOutcome[],
  run: {
    journal: Journal;
    startedAt: Date;
    interruptedBy: string | null;
    output: 'text' | 'json';
    probes?: ReadonlyMap<string, AfterApplyCheck> | null;
  },
): number {
  const report = buildApplyReport({
    planId: plan.planId,
    mode: plan.mode,
    journal: run.journal.path,
    startedAt: run.startedAt,
    finishedAt: deps.clock(),
    interruptedBy: run.interruptedBy,
    outcomes,
    probes: run.probes ?? null,
  });
  deps.stdout.write(
    run.output === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatApplyReport(report, { width: deps.stdout.columns }),
  );
  const inFlight = outcomes.filter((o) => o.result === 'in-flight');
  if (inFlight.length > 0) {
    for (const o of inFlight) {
      deps.stderr.write(
        `eksposure: still in flight in AWS: ${clusterLabel(o)} update ${o.updateId ?? '(id unknown: the answer to the submit was lost)'} (it goes on without eksposure)\n`,
      );
    }
    deps.stderr.write(
      `eksposure: resume watching with: eksposure resume --journal ${run.journal.path}\n`,
    );
  }
  return applyExitCode(report, plan);
}

/** Confirm, journal, submit, watch, verify, report: the one path every change goes through. */
export async function confirmAndApply(
  deps: CliDeps,
  session: ApplySession,
  plan: RemediationPlan,
  settings: ApplySettings,
): Promise<number> {
  if (plan.summary.update === 0) {
    deps.stderr.write('eksposure: nothing to apply: no cluster in the plan needs a change.\n');
    return planExitCode(plan);
  }
  return withJournal(deps, settings.journalPath, async (journal) => {
    if (!(await confirmed(deps, plan, settings.yes))) {
      deps.stderr.write('eksposure: not confirmed; nothing was changed.\n');
      return EXIT_NOT_ALL_APPLIED;
    }
    return applyWithJournal(deps, session, plan, settings, journal);
  });
}

async function applyWithJournal(
  deps: CliDeps,
  session: ApplySession,
  plan: RemediationPlan,
  settings: ApplySettings,
  journal: Journal,
): Promise<number> {
  deps.stderr.write(`eksposure: journal: ${journal.path}\n`);
  const executor = executorDeps(deps, session, journal);
  const interrupt = interruptible(deps, (name) =>
    executor.progress(
      `${name} received: submitting nothing new; updates already submitted go on in AWS.`,
    ),
  );
  const startedAt = deps.clock();
  const outcomes = await applyPlan(executor, plan, {
    planId: plan.planId,
    mode: plan.mode,
    timeoutMs: settings.timeoutMs,
    pollIntervalMs: settings.pollIntervalMs,
    concurrency: settings.concurrency,
    signal: interrupt.signal,
  });
  logFinished(session.logger, 'apply finished', {
    planId: plan.planId,
    durationMs: deps.clock().getTime() - startedAt.getTime(),
  });
  const probes = await probeAfterApply(deps, session, outcomes, settings.probe, interrupt.signal);
  return reportOutcomes(deps, plan, outcomes, {
    journal,
    startedAt,
    interruptedBy: interrupt.interruptedBy(),
    output: settings.output,
    probes,
  });
}
