/**
 * What apply, remediate --apply, rollback and resume share in the shell: their flags, the ports
 * their use cases take (journal file, terminal, signals, the prober), and how their outcomes are
 * printed and turned into exit codes.
 */
import { readFileSync } from 'node:fs';
import type { Cluster } from '@aws-sdk/client-eks';
import type {
  ApplyOutcome,
  ApplyPorts,
  ChangePorts,
  ChangeProbe,
  ChangesMade,
  Confirmation,
} from '../app/apply-plan.js';
import type { ReachedAccounts } from '../app/reach-accounts.js';
import type { RoleOptions } from '../aws/assume-role.js';
import { createPacingModel } from '../aws/pacing.js';
import { probeClusterEndpoint } from '../probe/probe-clusters.js';
import { clusterLabel } from '../remediation/accounts.js';
import { formatEndpointConfig } from '../remediation/endpoint-config.js';
import type { ClusterOutcome } from '../remediation/executor.js';
import { type JournalEntry, parseJournal, type TornLine } from '../remediation/journal.js';
import type { RemediationPlan } from '../remediation/plan.js';
import { formatApplyReport } from '../report/apply.format.js';
import { buildApplyReport } from '../report/apply-report.js';
import {
  type AccountScope,
  type PaceArgs,
  resolvePace,
  type RoleArgs,
  resolveRoleOptions,
} from './options/account-options.js';
import { parseDuration, parsePollInterval } from './options/apply-options.js';
import {
  type AwsAccess,
  type AwsAccessArgs,
  resolveAwsAccess,
  wholeNumber,
} from './options/aws-options.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';
import {
  applyExitCode,
  EXIT_NOT_ALL_APPLIED,
  exitCodeForSignal,
  planExitCode,
} from './exit-codes.js';
import { openJournal } from './journal-file.js';
import { type ChangeSession, clockOf, interruptible, withChangeSession } from './session.js';

export interface ChangeCommandArgs extends AwsAccessArgs, RoleArgs, PaceArgs {
  readonly timeout: string;
  readonly 'poll-interval': number;
  readonly concurrency: number;
  readonly output: 'text' | 'json';
  readonly 'log-level': string;
}

export interface ChangeCommandSettings {
  readonly access: AwsAccess;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  readonly output: 'text' | 'json';
  /** How each entry's role is assumed again (--external-id, --role-session-name, --role-duration). */
  readonly role: RoleOptions;
  /** --pace: each account's calls; null: off. */
  readonly pacing: AccountScope['pacing'];
}

/** Validates the shared flags, before any file, credential or network is touched. */
export function resolveChangeCommand(
  args: ChangeCommandArgs,
  env: Readonly<Record<string, string | undefined>>,
): ChangeCommandSettings {
  return {
    access: resolveAwsAccess(args, env),
    timeoutMs: parseDuration('timeout', args.timeout),
    pollIntervalMs: parsePollInterval(args['poll-interval']),
    concurrency: wholeNumber('concurrency', args.concurrency, 50),
    output: args.output,
    role: resolveRoleOptions(args),
    pacing: resolvePace(args.pace),
  };
}

/**
 * The AWS session of apply, rollback or resume: every account the plan or journal names reached
 * (its role assumed again, the wrong-account refusal made), closed whatever happens.
 */
export function inChangeSession<T>(
  deps: CliDeps,
  settings: ChangeCommandSettings,
  logLevel: string,
  reach: Parameters<typeof withChangeSession>[4],
  body: (session: ChangeSession) => Promise<T>,
): Promise<T> {
  const { access, concurrency, role } = settings;
  const pacing = settings.pacing ? createPacingModel(settings.pacing) : null;
  const reachSettings = { ...access, concurrency, role, pacing };
  return withChangeSession(deps, reachSettings, access, logLevel, reach, body);
}

/** Reads a file the operator named; a missing or unreadable one is a usage error. */
export function readInputFile(what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

export interface JournalFile {
  readonly entries: readonly JournalEntry[];
  readonly torn: TornLine | undefined;
}

export function readJournalFile(path: string): JournalFile {
  const read = parseJournal(readInputFile('journal', path), path);
  if (!read.ok) throw new CliError(read.message);
  return { entries: read.entries, torn: read.torn };
}

/** One line about a journal line cut short, naming what it can of the cluster it was about. */
export function tornLineWarning(path: string, torn: TornLine): string {
  const cluster = torn.clusterName
    ? `${torn.region ? `${torn.region}/` : ''}${torn.clusterName}`
    : torn.clusterArn;
  const about = cluster
    ? `cluster ${cluster}: its last step is not recorded; check it (eksposure audit${torn.region ? ` --regions ${torn.region}` : ''}) before trusting the journal about it`
    : 'it names no cluster that can be read; check the clusters of this plan by hand';
  return `eksposure: ${path} line ${torn.line} was cut short mid-write; ${about}.\n`;
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

/** What will change, for the confirmation question. */
function describeChanges(plan: RemediationPlan): string {
  const updates = plan.clusters.filter((c) => c.action === 'update');
  const lines = updates.map(
    (c) =>
      `  ${clusterLabel(c)}: ${formatEndpointConfig(c.before)} -> ${formatEndpointConfig(c.after)}`,
  );
  return `About to change ${updates.length} cluster${updates.length === 1 ? '' : 's'} (plan ${plan.planId}, mode ${plan.mode}):\n${lines.join('\n')}\n`;
}

/** --yes, or the question on the terminal; a signal while it waits is an answer too. */
function confirmOnTerminal(deps: CliDeps, yes: boolean) {
  return async (plan: RemediationPlan): Promise<Confirmation> => {
    requireWayToConfirm(deps, yes);
    if (yes) return { kind: 'yes' };
    deps.stderr.write(describeChanges(plan));
    // A signal while the question waits ends the command (nothing was changed), as it does
    // everywhere else: `docker stop` or a SIGTERM must not wait for an answer that never comes.
    const reply = await Promise.race([
      deps.prompt('Type "yes" to apply these changes: ').then((text) => ({ text })),
      deps.untilSignal().then((signal) => ({ signal })),
    ]);
    if ('signal' in reply) return { kind: 'signal', signal: reply.signal };
    return reply.text?.trim().toLowerCase() === 'yes' ? { kind: 'yes' } : { kind: 'no' };
  };
}

/** Probes a changed cluster's endpoint from here, against its own CA. */
function probeChangedEndpoint(deps: CliDeps) {
  return (cluster: Cluster, probe: ChangeProbe, signal: AbortSignal) =>
    probeClusterEndpoint(cluster, {
      timeoutMs: probe.timeoutMs,
      vantage: probe.vantage,
      clock: deps.clock,
      signal,
    });
}

/** The edges the change use cases take, on this process. */
export function changePorts(
  deps: CliDeps,
  session: { readonly accounts: ReachedAccounts; readonly logger: ChangePorts['logger'] },
): ChangePorts {
  return {
    accounts: session.accounts,
    journals: { open: (path) => openJournal(path, deps.clock) },
    clock: clockOf(deps),
    logger: session.logger,
    progress: (line) => deps.stderr.write(`eksposure: ${line}\n`),
    watchSignals: (onSignal) => interruptible(deps, onSignal),
    probeEndpoint: probeChangedEndpoint(deps),
    peakMemoryKb: () => process.resourceUsage().maxRSS,
  };
}

export const applyPorts = (
  deps: CliDeps,
  session: Parameters<typeof changePorts>[1],
  yes: boolean,
): ApplyPorts => ({ ...changePorts(deps, session), confirm: confirmOnTerminal(deps, yes) });

/** What the operator can do next, in words (the executor names the step, the CLI the command). */
function nextStep(outcome: ClusterOutcome, journalPath: string): string | undefined {
  const { next } = outcome;
  if (next === undefined) return undefined;
  switch (next.kind) {
    case 'resume-verifies':
      return 'eksposure resume verifies it';
    case 'resume-finds-out':
      return `eksposure resume --journal ${journalPath} finds out`;
    case 'rollback-can-undo':
      return 'eksposure rollback can put it back';
    case 'watch-update':
      return `watch it with aws eks describe-update --region ${outcome.region} --name ${outcome.clusterName} --update-id ${next.updateId}`;
  }
}

/** The reason a person reads for one cluster: the outcome's, its next step, the journal's note. */
export function reasonOf(outcome: ClusterOutcome, journalPath: string): string {
  const step = nextStep(outcome, journalPath);
  const reason = step === undefined ? outcome.reason : `${outcome.reason}; ${step}.`;
  return outcome.journalNote === undefined ? reason : `${reason} ${outcome.journalNote}`;
}

/** Prints the result, says what is still running in AWS and how to resume watching it. */
export function reportChanges(
  deps: CliDeps,
  plan: Pick<RemediationPlan, 'planId' | 'mode' | 'complete' | 'allowDrift'>,
  run: ChangesMade,
  output: 'text' | 'json',
): number {
  const report = buildApplyReport({
    planId: plan.planId,
    mode: plan.mode,
    allowDrift: plan.allowDrift === true,
    journal: run.journalPath,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    interruptedBy: run.interruptedBy,
    outcomes: run.outcomes,
    probes: run.probes,
    reasonOf: (outcome) => reasonOf(outcome, run.journalPath),
  });
  deps.stdout.write(
    output === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatApplyReport(report, { width: deps.stdout.columns }),
  );
  const inFlight = run.outcomes.filter((o) => o.result === 'in-flight');
  if (inFlight.length > 0) {
    for (const o of inFlight) {
      deps.stderr.write(
        `eksposure: still in flight in AWS: ${clusterLabel(o)} update ${o.updateId ?? '(id unknown: the answer to the submit was lost)'} (it goes on without eksposure)\n`,
      );
    }
    deps.stderr.write(
      `eksposure: resume watching with: eksposure resume --journal ${run.journalPath}\n`,
    );
  }
  return applyExitCode(report, plan);
}

/** The exit code of an apply's outcome, having said what happened. */
export function applyOutcomeExitCode(
  deps: CliDeps,
  plan: RemediationPlan,
  outcome: ApplyOutcome,
  output: 'text' | 'json',
): number {
  switch (outcome.kind) {
    case 'nothing-to-apply':
      deps.stderr.write('eksposure: nothing to apply: no cluster in the plan needs a change.\n');
      return planExitCode(plan);
    case 'journal-refused':
      throw new CliError(outcome.message);
    case 'not-confirmed':
      deps.stderr.write('eksposure: not confirmed; nothing was changed.\n');
      return EXIT_NOT_ALL_APPLIED;
    case 'interrupted-before-confirm':
      throw new CliError(
        `${outcome.signal} received before the question was answered; nothing was changed.`,
        exitCodeForSignal(outcome.signal),
      );
    case 'changed':
      return reportChanges(deps, plan, outcome, output);
  }
}
