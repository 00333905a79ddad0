import type { EKSClient, Update } from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { type AwsErrorInfo, formatErrorInfo, toErrorInfo } from '../aws/errors.js';
import {
  describeCluster,
  describeUpdate,
  listUpdatesInProgress,
  submitEndpointUpdate,
} from '../aws/updates.js';
import { check as eks001 } from '../rules/eks-001-endpoint-public-access.js';
import {
  applyChange,
  type EndpointChange,
  type EndpointConfig,
  endpointConfigOf,
  fingerprintOf,
  formatEndpointConfig,
  sameEndpointConfig,
} from './endpoint-config.js';
import type { Journal, JournalStatus } from './journal.js';
import type { ClusterPlan, PlanMode, RemediationPlan } from './plan.js';
import { clientRequestToken } from './planner.js';
import { type WaitOptions, waitForUpdate } from './wait-for-update.js';

/** verified: changed and confirmed. in-flight: still running in AWS when eksposure stopped watching. */
export type ClusterResult = 'verified' | 'failed' | 'skipped' | 'in-flight';

export interface ClusterOutcome {
  readonly region: string;
  readonly clusterName: string;
  readonly arn: string;
  readonly result: ClusterResult;
  readonly reason: string;
  /** Skipped because the cluster is already as requested: as good as verified. */
  readonly satisfied: boolean;
  readonly updateId: string | null;
  readonly before: EndpointConfig;
  readonly requested: EndpointChange;
  readonly errors: readonly AwsErrorInfo[];
}

export interface ApplyDeps {
  eks(region: string): EKSClient;
  readonly journal: Journal;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** One human line per event, for stderr. */
  readonly progress: (line: string) => void;
  readonly logger: Logger;
}

export interface ApplyOptions {
  readonly planId: string;
  readonly mode: PlanMode;
  /** Per update, from its submission. */
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  /** Clusters changed at once. */
  readonly concurrency: number;
  /** Aborted on SIGINT/SIGTERM: nothing new is submitted, watching stops. */
  readonly signal: AbortSignal;
}

/** What is being changed on one cluster, as the journal records it. */
export interface UpdateTarget {
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
  region: entry.region,
  clusterName: entry.clusterName,
  arn: entry.arn,
  before: entry.before,
  requested: entry.change,
});

/** How every update (ours, or another one a busy cluster is running) is polled. */
const pollOptions = (
  options: Pick<ApplyOptions, 'pollIntervalMs' | 'signal'>,
  deadline: number,
): WaitOptions => ({
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

const updateErrors = (update: Update): AwsErrorInfo[] =>
  (update.errors ?? []).map((e) => ({
    code: e.errorCode ?? 'Unknown',
    message: e.errorMessage ?? 'no message',
  }));

function record(
  deps: ApplyDeps,
  options: Pick<ApplyOptions, 'planId' | 'mode'>,
  target: UpdateTarget,
  status: JournalStatus,
  updateId: string | null,
  errors: readonly AwsErrorInfo[] = [],
) {
  deps.journal.record({
    planId: options.planId,
    mode: options.mode,
    region: target.region,
    clusterName: target.clusterName,
    clusterArn: target.arn,
    before: target.before,
    requested: target.requested,
    updateId,
    status,
    errors: errors.map((e) => ({ code: e.code, message: e.message })),
  });
}

/**
 * Confirms a Successful update did what was asked: the cluster's configuration is the requested
 * one and, when fixing EKS-001, the rule now passes.
 */
export async function verifyCluster(
  deps: ApplyDeps,
  options: Pick<ApplyOptions, 'planId' | 'mode'>,
  target: UpdateTarget,
  updateId: string | null,
): Promise<ClusterOutcome> {
  const wanted = applyChange(target.before, target.requested);
  let now: EndpointConfig;
  let rule: string;
  try {
    const cluster = await describeCluster(deps.eks(target.region), target.clusterName);
    now = endpointConfigOf(cluster);
    rule = eks001(cluster).status;
  } catch (error) {
    const info = toErrorInfo(error);
    record(deps, options, target, 'VerificationFailed', updateId, [info]);
    return outcome(
      target,
      'failed',
      `update ended Successful but the cluster could not be read back: ${formatErrorInfo(info)}.`,
      { updateId, errors: [info] },
    );
  }
  const problems: string[] = [];
  if (!sameEndpointConfig(now, wanted)) {
    problems.push(
      `configuration is ${formatEndpointConfig(now)}, not ${formatEndpointConfig(wanted)}`,
    );
  }
  if (options.mode !== 'rollback' && rule !== 'PASS') problems.push('EKS-001 still fails');
  if (problems.length > 0) {
    const info = { code: 'VerificationFailed', message: problems.join('; ') };
    record(deps, options, target, 'VerificationFailed', updateId, [info]);
    return outcome(target, 'failed', `update ended Successful but ${info.message}.`, {
      updateId,
      errors: [info],
    });
  }
  record(deps, options, target, 'Verified', updateId);
  const note = options.mode === 'rollback' ? 'restored' : 'EKS-001 passes';
  return outcome(
    target,
    'verified',
    `changed and verified: ${formatEndpointConfig(now)}; ${note}.`,
    { updateId },
  );
}

/** Watches a submitted update to its end (or the deadline, or a signal), then verifies the cluster. */
export async function watchUpdate(
  deps: ApplyDeps,
  options: Omit<ApplyOptions, 'concurrency'>,
  target: UpdateTarget,
  updateId: string,
  deadline: number,
): Promise<ClusterOutcome> {
  const label = `${target.region}/${target.clusterName}`;
  const eks = deps.eks(target.region);
  const waited = await waitForUpdate(
    {
      describe: () => describeUpdate(eks, target.clusterName, updateId),
      now: deps.now,
      sleep: deps.sleep,
      onStatus: (update) => {
        const status = update.status ?? 'InProgress';
        deps.progress(`${label}: update ${updateId} is ${status}`);
        if (status !== 'InProgress')
          record(deps, options, target, status, updateId, updateErrors(update));
      },
    },
    pollOptions(options, deadline),
  );
  if (waited.kind === 'ended') {
    const status = waited.update.status;
    if (status === 'Successful') return verifyCluster(deps, options, target, updateId);
    const errors = updateErrors(waited.update);
    const why = errors.length ? `: ${errors.map(formatErrorInfo).join('; ')}` : '';
    return outcome(
      target,
      'failed',
      `update ${updateId} ended ${status ?? 'unknown'}${why}; the configuration was not changed.`,
      { updateId, errors },
    );
  }
  record(
    deps,
    options,
    target,
    'WatchStopped',
    updateId,
    waited.kind === 'unreadable' ? [waited.error] : [],
  );
  let why: string;
  if (waited.kind === 'unreadable')
    why = `DescribeUpdate kept failing (${formatErrorInfo(waited.error)})`;
  else if (waited.kind === 'interrupted') why = 'eksposure was interrupted';
  else why = `it outlasted --timeout (${Math.round(options.timeoutMs / 1000)} s)`;
  return outcome(
    target,
    'in-flight',
    `update ${updateId} is still running in AWS; stopped watching because ${why}.`,
    { updateId },
  );
}

const BUSY_UPDATE = /update ([0-9A-Za-z-]+) in progress/;

async function inFlightUpdateId(eks: EKSClient, clusterName: string, error: AwsErrorInfo) {
  const named = BUSY_UPDATE.exec(error.message)?.[1];
  if (named) return named;
  const ids = await listUpdatesInProgress(eks, clusterName).catch(() => []);
  return ids[0];
}

/**
 * One cluster: describe again, refuse on drift, submit with the plan's idempotency token, wait
 * out another update in flight (then decide again), watch ours, verify.
 */
async function applyCluster(
  deps: ApplyDeps,
  options: ApplyOptions,
  entry: ClusterPlan,
): Promise<ClusterOutcome> {
  const target = targetOf(entry);
  const label = `${entry.region}/${entry.clusterName}`;
  const eks = deps.eks(entry.region);
  const deadline = () => deps.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    if (options.signal.aborted)
      return outcome(target, 'skipped', 'not submitted: eksposure was interrupted first.');
    let current: EndpointConfig;
    try {
      current = endpointConfigOf(await describeCluster(eks, entry.clusterName));
    } catch (error) {
      const info = toErrorInfo(error);
      return outcome(
        target,
        'failed',
        `could not describe the cluster before submitting: ${formatErrorInfo(info)}; nothing submitted.`,
        { errors: [info] },
      );
    }
    if (sameEndpointConfig(current, entry.after)) {
      return outcome(
        target,
        'skipped',
        'already at the planned configuration (applied before?); nothing submitted.',
        { satisfied: true },
      );
    }
    if (fingerprintOf(current) !== entry.fingerprint) {
      return outcome(
        target,
        'skipped',
        `refused: the endpoint configuration changed since the plan (now ${formatEndpointConfig(current)}, planned from ${formatEndpointConfig(entry.before)}); plan again.`,
      );
    }
    record(deps, options, target, 'Submitting', null);
    let update: Update;
    try {
      update = await submitEndpointUpdate(
        eks,
        entry.clusterName,
        entry.change,
        clientRequestToken(options.planId, entry.arn),
      );
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === 'ResourceInUseException' && attempt < MAX_BUSY_WAITS) {
        const busyId = await inFlightUpdateId(eks, entry.clusterName, info);
        record(deps, options, target, 'SubmitFailed', null, [info]);
        deps.progress(
          `${label}: busy with update ${busyId ?? '(unknown)'}; waiting for it to end, then deciding again`,
        );
        if (busyId) {
          const waited = await waitForUpdate(
            {
              describe: () => describeUpdate(eks, entry.clusterName, busyId),
              now: deps.now,
              sleep: deps.sleep,
              onStatus: () => undefined,
            },
            pollOptions(options, deadline()),
          );
          if (waited.kind !== 'ended') {
            return outcome(
              target,
              'skipped',
              `not submitted: the cluster was still busy with update ${busyId} when eksposure stopped waiting.`,
              { errors: [info] },
            );
          }
        } else {
          await deps.sleep(options.pollIntervalMs, options.signal);
        }
        continue;
      }
      record(deps, options, target, 'SubmitFailed', null, [info]);
      deps.progress(`${label}: EKS refused the update: ${formatErrorInfo(info)}`);
      return outcome(target, 'failed', `UpdateClusterConfig failed: ${formatErrorInfo(info)}.`, {
        errors: [info],
      });
    }
    const updateId = update.id ?? '';
    record(deps, options, target, 'InProgress', updateId);
    deps.progress(`${label}: submitted update ${updateId} (${update.status ?? 'InProgress'})`);
    return watchUpdate(deps, options, target, updateId, deadline());
  }
}

function notSubmitted(entry: ClusterPlan): ClusterOutcome {
  const target = targetOf(entry);
  return entry.action === 'skip'
    ? outcome(target, 'skipped', entry.reason, { satisfied: true })
    : outcome(target, 'skipped', `never submitted: ${entry.reason}`);
}

/** Applies every `update` entry of the plan, `concurrency` clusters at a time. Never throws per cluster. */
export async function applyPlan(
  deps: ApplyDeps,
  plan: RemediationPlan,
  options: ApplyOptions,
): Promise<ClusterOutcome[]> {
  const limit = pLimit(options.concurrency);
  return Promise.all(
    plan.clusters.map((entry) =>
      entry.action === 'update'
        ? limit(() =>
            applyCluster(deps, options, entry).catch((error: unknown) => {
              const info = toErrorInfo(error);
              deps.logger.error({ err: info, cluster: entry.arn }, 'apply failed unexpectedly');
              return outcome(
                targetOf(entry),
                'failed',
                `internal error: ${formatErrorInfo(info)}; check the journal and the cluster before retrying.`,
                { errors: [info] },
              );
            }),
          )
        : Promise.resolve(notSubmitted(entry)),
    ),
  );
}
