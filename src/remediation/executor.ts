import type { Update } from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { type ErrorInfo, formatErrorInfo, toErrorInfo } from '../model/errors.js';
import {
  decideSubmit,
  findSubmittedUpdate,
  type PlanIntent,
  submitWasRefused,
  updateErrors,
  verifyProblems,
} from './apply-decisions.js';
import { clusterLabel, describeAccount } from './accounts.js';
import type { AccountPort, ChangePort } from './change-port.js';
import { gatherFacts } from './facts.js';
import {
  applyChange,
  endpointConfigOf,
  formatEndpointConfig,
  sameEndpointConfig,
} from './endpoint-config.js';
import type { Journal, JournalEntry, JournalStatus, JournalWrite } from './journal.js';
import type { ClusterPlan, PlanMode, RemediationPlan } from './plan.js';
import { clientRequestToken, type ClusterFacts } from './planner.js';
import { type WaitOptions, waitForUpdate } from './wait-for-update.js';
import { beforeDeadline, type Clock } from '../model/time.js';
import { type AccountRef } from '../model/accounts.js';
import { type EndpointChange, type EndpointConfig } from '../model/endpoint.js';

/** verified: changed and confirmed. in-flight: still running (or maybe running) in AWS when eksposure stopped watching. */
export type ClusterResult = 'verified' | 'failed' | 'skipped' | 'in-flight';

/** accountId and roleArn: where the change was made, and with which role (null: the caller's own credentials). */
export interface ClusterOutcome extends AccountRef {
  readonly region: string;
  readonly clusterName: string;
  readonly arn: string;
  readonly result: ClusterResult;
  readonly reason: string;
  /** Skipped because the cluster is already as requested: as good as verified. */
  readonly satisfied: boolean;
  /** null when nothing was submitted, or when a submit's answer was lost and AWS could not be asked. */
  readonly updateId: string | null;
  readonly before: EndpointConfig;
  readonly requested: EndpointChange;
  readonly errors: readonly ErrorInfo[];
  /**
   * What the operator can do next, when the reason stops short of it (the CLI says it in words,
   * with the command to run); absent when the reason is the whole story.
   */
  readonly next?: NextStep;
  /** Set when the journal could not record every step of this cluster: which write failed. */
  readonly journalNote?: string;
}

/** A step the executor cannot take itself, for the CLI to name. */
export type NextStep =
  /** An update ended Successful, but was not verified: resume verifies it. */
  | { readonly kind: 'resume-verifies' }
  /** Whether an update was started is unknown: resume asks EKS. */
  | { readonly kind: 'resume-finds-out' }
  /** The update changed the cluster, but not as planned: rollback puts it back. */
  | { readonly kind: 'rollback-can-undo' }
  /** An update runs in AWS that the journal could not record: watch it by hand. */
  | { readonly kind: 'watch-update'; readonly updateId: string };

/** The executor's edges for one account: its change port (clients with that account's credentials). */
export interface ApplyDeps {
  readonly aws: ChangePort;
  readonly journal: Journal;
  readonly clock: Clock;
  /** One human line per event, for stderr. */
  readonly progress: (line: string) => void;
  readonly logger: Logger;
}

/** A plan's edges: a change port per account and role, made once per account by the caller. */
export interface PlanApplyDeps extends Omit<ApplyDeps, 'aws'> {
  readonly accountPort: (account: AccountRef) => AccountPort;
}

export interface ApplyOptions {
  readonly planId: string;
  readonly mode: PlanMode;
  /** The plan was made with --allow-drift: recorded on each journal line. */
  readonly allowDrift?: boolean;
  /** Per update, from its submission. */
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  /** Clusters changed at once. */
  readonly concurrency: number;
  /** Aborted on SIGINT/SIGTERM: nothing new is submitted, calls in flight are abandoned, watching stops. */
  readonly signal: AbortSignal;
}

type WatchOptions = Omit<ApplyOptions, 'concurrency'>;

/** What is being changed on one cluster, and in which account with which role, as the journal records it. */
export interface UpdateTarget extends AccountRef {
  readonly region: string;
  readonly clusterName: string;
  readonly arn: string;
  readonly before: EndpointConfig;
  readonly requested: EndpointChange;
}

const MAX_POLL_INTERVAL_MS = 30_000;
/** How many times a cluster busy with another update is waited for before giving up on it. */
const MAX_BUSY_WAITS = 3;

const targetOf = (entry: ClusterPlan): UpdateTarget => ({
  accountId: entry.accountId,
  roleArn: entry.roleArn,
  region: entry.region,
  clusterName: entry.clusterName,
  arn: entry.arn,
  before: entry.before,
  requested: entry.change,
});

/** The update a journal line is about (resume watches it, or asks EKS what became of it). */
export const targetOfEntry = (entry: JournalEntry): UpdateTarget => ({
  accountId: entry.accountId,
  roleArn: entry.roleArn,
  region: entry.region,
  clusterName: entry.clusterName,
  arn: entry.clusterArn,
  before: entry.before,
  requested: entry.requested,
});

const labelOf = clusterLabel;

/** How every update (ours, or another one a busy cluster is running) is polled. */
const pollOptions = (options: WatchOptions, deadline: number): WaitOptions => ({
  deadline,
  firstIntervalMs: options.pollIntervalMs,
  maxIntervalMs: MAX_POLL_INTERVAL_MS,
  signal: options.signal,
});

type Step = Omit<ClusterOutcome, keyof UpdateTarget>;
const outcome = (
  target: UpdateTarget,
  result: ClusterResult,
  reason: string,
  extra: Partial<Step> = {},
): ClusterOutcome => ({
  ...target,
  result,
  reason,
  satisfied: false,
  updateId: null,
  errors: [],
  ...extra,
});

/** One cluster's journal lines; a line that cannot be written is logged and remembered, never thrown. */
interface Recorder {
  write(
    status: JournalStatus,
    updateId: string | null,
    errors?: readonly ErrorInfo[],
  ): JournalWrite;
  /** The first write that failed, if any. */
  failure(): ErrorInfo | undefined;
}

function recorderFor(
  deps: ApplyDeps,
  options: Pick<ApplyOptions, 'planId' | 'mode' | 'allowDrift'>,
  target: UpdateTarget,
): Recorder {
  let failed: ErrorInfo | undefined;
  return {
    write: (status, updateId, errors = []) => {
      const written = deps.journal.record({
        planId: options.planId,
        mode: options.mode,
        ...(options.allowDrift === true ? { allowDrift: true } : {}),
        accountId: target.accountId,
        roleArn: target.roleArn,
        region: target.region,
        clusterName: target.clusterName,
        clusterArn: target.arn,
        before: target.before,
        requested: target.requested,
        updateId,
        status,
        errors: errors.map((e) => ({ code: e.code, message: e.message })),
      });
      if (!written.ok) {
        failed ??= written.error;
        deps.logger.error(
          { err: written.error, cluster: target.arn, status, journal: deps.journal.path },
          'journal line not written',
        );
      }
      return written;
    },
    failure: () => failed,
  };
}

/** Appended to a result whose journal lines could not all be written. */
function withJournalNote(result: ClusterOutcome, journal: Recorder, path: string): ClusterOutcome {
  const failed = journal.failure();
  if (!failed) return result;
  return {
    ...result,
    journalNote: `The journal ${path} could not record all of it (${formatErrorInfo(failed)}).`,
    errors: [...result.errors, failed],
  };
}

/**
 * Confirms a Successful update did what was asked: the cluster's configuration is the requested
 * one and, when fixing EKS-001, the rule now passes.
 */
async function verifyCluster(
  deps: ApplyDeps,
  options: WatchOptions,
  target: UpdateTarget,
  journal: Recorder,
  updateId: string | null,
): Promise<ClusterOutcome> {
  const wanted = applyChange(target.before, target.requested);
  let problems: string | undefined;
  try {
    const cluster = await beforeDeadline(
      deps.clock,
      options.signal,
      deps.clock.now() + options.timeoutMs,
      (s) => deps.aws.describeCluster(target.region, target.clusterName, s),
    );
    problems = verifyProblems(options.mode, wanted, cluster, target.arn);
  } catch (error) {
    const info = toErrorInfo(error);
    if (options.signal.aborted) {
      // The journal's last line stays Successful: resume verifies it.
      return outcome(
        target,
        'in-flight',
        `update ${updateId ?? '(unknown)'} ended Successful, but eksposure was interrupted before verifying it`,
        { updateId, errors: [info], next: { kind: 'resume-verifies' } },
      );
    }
    journal.write('VerificationFailed', updateId, [info]);
    return outcome(
      target,
      'failed',
      `update ended Successful but the cluster could not be read back: ${formatErrorInfo(info)}.`,
      { updateId, errors: [info] },
    );
  }
  if (problems) {
    const info = { code: 'VerificationFailed', message: problems };
    journal.write('VerificationFailed', updateId, [info]);
    return outcome(target, 'failed', `update ended Successful but ${problems}`, {
      updateId,
      errors: [info],
      next: { kind: 'rollback-can-undo' },
    });
  }
  journal.write('Verified', updateId);
  const note = options.mode === 'rollback' ? 'restored' : 'EKS-001 passes';
  return outcome(
    target,
    'verified',
    `changed and verified: ${formatEndpointConfig(wanted)}; ${note}.`,
    { updateId },
  );
}

async function watchWith(
  deps: ApplyDeps,
  options: WatchOptions,
  target: UpdateTarget,
  journal: Recorder,
  updateId: string,
  deadline: number,
): Promise<ClusterOutcome> {
  const label = labelOf(target);
  const waited = await waitForUpdate(
    {
      describe: (signal) =>
        deps.aws.describeUpdate(target.region, target.clusterName, updateId, signal),
      clock: deps.clock,
      onStatus: (update) => {
        const status = update.status ?? 'InProgress';
        deps.progress(`${label}: update ${updateId} is ${status}`);
        if (status !== 'InProgress') journal.write(status, updateId, updateErrors(update));
      },
    },
    pollOptions(options, deadline),
  );
  if (waited.kind === 'ended') {
    const status = waited.update.status;
    if (status === 'Successful') return verifyCluster(deps, options, target, journal, updateId);
    const errors = updateErrors(waited.update);
    const why = errors.length ? `: ${errors.map(formatErrorInfo).join('; ')}` : '';
    return outcome(
      target,
      'failed',
      `update ${updateId} ended ${status ?? 'unknown'}${why}; the configuration was not changed.`,
      { updateId, errors },
    );
  }
  const errors = waited.kind === 'unreadable' ? [waited.error] : [];
  journal.write('WatchStopped', updateId, errors);
  let why: string;
  if (waited.kind === 'interrupted') why = 'eksposure was interrupted';
  else if (waited.kind === 'unreadable')
    why = `its state could not be read before the deadline (${formatErrorInfo(waited.error)})`;
  else why = `it outlasted --timeout (${Math.round(options.timeoutMs / 1000)} s)`;
  const state = waited.kind === 'unreadable' ? 'state unknown, still in flight' : 'still running';
  return outcome(
    target,
    'in-flight',
    `update ${updateId}: ${state} in AWS; stopped watching because ${why}.`,
    { updateId, errors },
  );
}

/** Watches a submitted update to its end (or the deadline, or a signal), then verifies the cluster. */
export async function watchUpdate(
  deps: ApplyDeps,
  options: WatchOptions,
  target: UpdateTarget,
  updateId: string,
  deadline: number,
): Promise<ClusterOutcome> {
  const journal = recorderFor(deps, options, target);
  const result = await watchWith(deps, options, target, journal, updateId, deadline);
  return withJournalNote(result, journal, deps.journal.path);
}

type SubmitLookup =
  | { readonly kind: 'found'; readonly update: Update }
  | { readonly kind: 'absent'; readonly current: EndpointConfig }
  | { readonly kind: 'unknown'; readonly error: ErrorInfo };

/** Asks EKS what became of a submit whose answer never arrived: its updates, then the cluster. */
async function lookForSubmit(
  aws: ChangePort,
  target: UpdateTarget,
  submittedAt: Date,
  signal: AbortSignal,
): Promise<SubmitLookup> {
  try {
    const cluster = await aws.describeCluster(target.region, target.clusterName, signal);
    if (cluster.arn !== target.arn) {
      const message = `the cluster these credentials reach is ${cluster.arn ?? '(no ARN)'}, not ${target.arn}`;
      return { kind: 'unknown', error: { code: 'ClusterArnMismatch', message } };
    }
    const ids = await aws.listUpdateIds(target.region, target.clusterName, signal);
    const updates = await Promise.all(
      ids.map((id) => aws.describeUpdate(target.region, target.clusterName, id, signal)),
    );
    const update = findSubmittedUpdate(updates, target.requested, submittedAt);
    if (update?.id) return { kind: 'found', update };
    // Read before the list: an update started since would be listed, so this is not stale.
    return { kind: 'absent', current: endpointConfigOf(cluster) };
  } catch (error) {
    return { kind: 'unknown', error: toErrorInfo(error) };
  }
}

/**
 * A submit whose answer was lost (network, timeout, a body cut short, a crash before the journal
 * heard back): find the update in EKS and watch it, or establish that EKS never started one.
 * Used by apply right after the loss and by resume for journal lines left at Submitting.
 */
export async function settleSubmit(
  deps: ApplyDeps,
  options: WatchOptions,
  target: UpdateTarget,
  submittedAt: Date,
  lost: ErrorInfo | undefined,
): Promise<ClusterOutcome> {
  const journal = recorderFor(deps, options, target);
  const result = await settleWith(deps, options, target, journal, submittedAt, lost);
  return withJournalNote(result, journal, deps.journal.path);
}

async function settleWith(
  deps: ApplyDeps,
  options: WatchOptions,
  target: UpdateTarget,
  journal: Recorder,
  submittedAt: Date,
  lost: ErrorInfo | undefined,
): Promise<ClusterOutcome> {
  const label = labelOf(target);
  const what = lost
    ? `the answer to UpdateClusterConfig was lost (${formatErrorInfo(lost)})`
    : 'the journal does not say whether EKS received the update';
  const lostErrors = lost ? [lost] : [];
  const findOut: NextStep = { kind: 'resume-finds-out' };
  if (options.signal.aborted) {
    return outcome(
      target,
      'in-flight',
      `${what} and eksposure was interrupted before asking EKS: the update may be running`,
      { errors: lostErrors, next: findOut },
    );
  }
  deps.progress(`${label}: ${what}; asking EKS whether the update started`);
  const deadline = deps.clock.now() + options.timeoutMs;
  const found = await beforeDeadline(deps.clock, options.signal, deadline, (s) =>
    lookForSubmit(deps.aws, target, submittedAt, s),
  );
  if (found.kind === 'unknown') {
    return outcome(
      target,
      'in-flight',
      `${what} and EKS could not be asked (${formatErrorInfo(found.error)}): the update may be running`,
      { errors: [...lostErrors, found.error], next: findOut },
    );
  }
  if (found.kind === 'found') {
    const updateId = found.update.id ?? '';
    journal.write('InProgress', updateId, lostErrors);
    deps.progress(`${label}: EKS did start update ${updateId}; watching it`);
    return watchWith(deps, options, target, journal, updateId, deadline);
  }
  if (sameEndpointConfig(found.current, applyChange(target.before, target.requested))) {
    return verifyCluster(deps, options, target, journal, null);
  }
  const notStarted = {
    code: 'UpdateNotStarted',
    message: 'EKS lists no such update and the cluster is unchanged',
  };
  journal.write('SubmitFailed', null, [...lostErrors, notStarted]);
  return outcome(
    target,
    'failed',
    `${what}, and EKS lists no such update and the cluster is unchanged: nothing was changed; apply the plan again.`,
    { errors: [...lostErrors, notStarted] },
  );
}

const BUSY_UPDATE = /update ([0-9A-Za-z-]+) in progress/;

/** The update a busy cluster runs: named in EKS's message, or found with ListUpdates. */
async function busyUpdateId(
  deps: ApplyDeps,
  target: UpdateTarget,
  error: ErrorInfo,
  signal: AbortSignal,
): Promise<string | undefined> {
  const named = BUSY_UPDATE.exec(error.message)?.[1];
  if (named) return named;
  try {
    const ids = await deps.aws.listUpdateIds(target.region, target.clusterName, signal);
    const updates = await Promise.all(
      ids.map((id) => deps.aws.describeUpdate(target.region, target.clusterName, id, signal)),
    );
    return updates.find((u) => u.status === 'InProgress')?.id;
  } catch (lookup) {
    deps.logger.warn(
      { err: toErrorInfo(lookup), cluster: target.arn },
      'could not find the update a busy cluster runs',
    );
    return undefined;
  }
}

/** Waits for another update to end; false when it was still running when eksposure stopped waiting. */
async function waitOut(
  deps: ApplyDeps,
  options: WatchOptions,
  target: UpdateTarget,
  busyId: string | undefined,
): Promise<boolean> {
  deps.progress(
    `${labelOf(target)}: busy with update ${busyId ?? '(unknown)'}; waiting for it to end, then deciding again`,
  );
  if (!busyId) {
    await deps.clock.sleep(options.pollIntervalMs, options.signal);
    return true;
  }
  const waited = await waitForUpdate(
    {
      describe: (signal) =>
        deps.aws.describeUpdate(target.region, target.clusterName, busyId, signal),
      clock: deps.clock,
      onStatus: () => undefined,
    },
    pollOptions(options, deps.clock.now() + options.timeoutMs),
  );
  return waited.kind === 'ended';
}

/**
 * One cluster: describe again and gather fresh facts, decide (refuse, already done, wait for
 * another update, or submit), submit with the plan's idempotency token, watch, verify. The signal
 * is checked after every await before the submit.
 */
async function applyCluster(
  deps: ApplyDeps,
  options: ApplyOptions,
  intent: PlanIntent,
  entry: ClusterPlan,
): Promise<ClusterOutcome> {
  const target = targetOf(entry);
  const journal = recorderFor(deps, options, target);
  const label = labelOf(target);
  const { signal } = options;
  const interrupted = () =>
    outcome(target, 'skipped', 'not submitted: eksposure was interrupted first.');
  for (let attempt = 0; ; attempt += 1) {
    if (signal.aborted) return interrupted();
    let facts: ClusterFacts;
    try {
      const cluster = await deps.aws.describeCluster(entry.region, entry.clusterName, signal);
      if (signal.aborted) return interrupted();
      facts = await gatherFacts(deps.aws, entry, entry.region, cluster, entry.change, signal);
    } catch (error) {
      if (signal.aborted) return interrupted();
      const info = toErrorInfo(error);
      return outcome(
        target,
        'failed',
        `could not describe the cluster before submitting: ${formatErrorInfo(info)}; nothing submitted.`,
        { errors: [info] },
      );
    }
    if (signal.aborted) return interrupted();
    const decision = decideSubmit(entry, intent, facts);
    if (decision.kind === 'already-done') {
      return outcome(
        target,
        'skipped',
        'already at the planned configuration (applied before?); nothing submitted.',
        { satisfied: true },
      );
    }
    if (decision.kind === 'refuse') {
      deps.progress(`${label}: ${decision.reason}`);
      return outcome(target, 'skipped', decision.reason, {
        errors: [{ code: decision.code, message: decision.reason }],
      });
    }
    if (decision.kind === 'wait-busy') {
      if (attempt >= MAX_BUSY_WAITS || !(await waitOut(deps, options, target, decision.updateId))) {
        return outcome(
          target,
          'skipped',
          `not submitted: the cluster was still busy with update ${decision.updateId} when eksposure stopped waiting.`,
        );
      }
      continue;
    }
    const announced = journal.write('Submitting', null);
    if (!announced.ok) {
      return outcome(
        target,
        'failed',
        `the journal ${deps.journal.path} could not be written (${formatErrorInfo(announced.error)}); nothing submitted.`,
        { errors: [announced.error] },
      );
    }
    const submittedAt = new Date(deps.clock.now());
    let update: Update;
    try {
      update = await deps.aws.submitEndpointUpdate(
        entry.region,
        entry.clusterName,
        entry.change,
        clientRequestToken(options.planId, entry.arn),
        signal,
      );
    } catch (error) {
      const info = toErrorInfo(error);
      if (!submitWasRefused(error)) {
        const settled = await settleWith(deps, options, target, journal, submittedAt, info);
        return withJournalNote(settled, journal, deps.journal.path);
      }
      journal.write('SubmitFailed', null, [info]);
      if (info.code === 'ResourceInUseException' && attempt < MAX_BUSY_WAITS) {
        const busyId = await busyUpdateId(deps, target, info, signal);
        if (!(await waitOut(deps, options, target, busyId))) {
          return outcome(
            target,
            'skipped',
            `not submitted: the cluster was still busy with update ${busyId ?? '(unknown)'} when eksposure stopped waiting.`,
            { errors: [info] },
          );
        }
        continue;
      }
      deps.progress(`${label}: EKS refused the update: ${formatErrorInfo(info)}`);
      return outcome(target, 'failed', `UpdateClusterConfig failed: ${formatErrorInfo(info)}.`, {
        errors: [info],
      });
    }
    const updateId = update.id ?? '';
    const accepted = journal.write('InProgress', updateId);
    if (!accepted.ok) {
      return outcome(
        target,
        'in-flight',
        `update ${updateId} runs in AWS, but the journal ${deps.journal.path} could not record it (${formatErrorInfo(accepted.error)}), so eksposure stopped there`,
        { updateId, errors: [accepted.error], next: { kind: 'watch-update', updateId } },
      );
    }
    deps.progress(`${label}: submitted update ${updateId} (${update.status ?? 'InProgress'})`);
    const result = await watchWith(
      deps,
      options,
      target,
      journal,
      updateId,
      deps.clock.now() + options.timeoutMs,
    );
    return withJournalNote(result, journal, deps.journal.path);
  }
}

/**
 * A cluster whose account cannot be reached (its role could not be assumed now): nothing is
 * submitted, or, for an update already running, it cannot be watched.
 */
export function unreachableAccount(
  target: UpdateTarget,
  error: ErrorInfo,
  result: 'failed' | 'in-flight',
  updateId: string | null = null,
): ClusterOutcome {
  const why = `${describeAccount(target)} could not be reached: ${formatErrorInfo(error)}`;
  const reason =
    result === 'failed'
      ? `not submitted: ${why}; fix the role or its trust policy, then apply the plan again.`
      : `${why}; the update may still be running in AWS: fix the role, then resume again.`;
  return outcome(target, result, reason, { updateId, errors: [error] });
}

function notSubmitted(entry: ClusterPlan): ClusterOutcome {
  const target = targetOf(entry);
  return entry.action === 'skip'
    ? outcome(target, 'skipped', entry.reason, { satisfied: true })
    : outcome(target, 'skipped', `never submitted: ${entry.reason}`);
}

/**
 * Applies every `update` entry of the plan, `concurrency` clusters at a time, each with its
 * account's port. Never throws per cluster; an account that cannot be reached fails its clusters
 * and the other accounts go on.
 */
export async function applyPlan(
  deps: PlanApplyDeps,
  plan: RemediationPlan,
  options: ApplyOptions,
): Promise<ClusterOutcome[]> {
  const limit = pLimit(options.concurrency);
  const intent: PlanIntent = {
    mode: plan.mode,
    allowCidrs: plan.allowCidrs,
    operatorIp: plan.operatorIp,
    allowDrift: plan.allowDrift ?? false,
  };
  const applyEntry = (entry: ClusterPlan) => {
    const port = deps.accountPort(entry);
    if (!port.ok) return Promise.resolve(unreachableAccount(targetOf(entry), port.error, 'failed'));
    return limit(() =>
      applyCluster({ ...deps, aws: port.aws }, options, intent, entry).catch((error: unknown) => {
        const info = toErrorInfo(error);
        deps.logger.error({ err: info, cluster: entry.arn }, 'apply failed unexpectedly');
        return outcome(
          targetOf(entry),
          'failed',
          `internal error: ${formatErrorInfo(info)}; check the journal and the cluster before retrying.`,
          { errors: [info] },
        );
      }),
    );
  };
  return Promise.all(
    plan.clusters.map((entry) =>
      entry.action === 'update' ? applyEntry(entry) : Promise.resolve(notSubmitted(entry)),
    ),
  );
}
