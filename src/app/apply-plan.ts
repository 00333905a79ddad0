import type { Cluster } from '@aws-sdk/client-eks';
import { formatErrorInfo } from '../model/errors.js';
import type { ProbeReport } from '../model/probe.js';
import type { Clock } from '../model/time.js';
import type { AfterApplyCheck } from '../probe/after-apply.js';
import { confirmAfterApply, probedAfterApply } from '../probe/confirm-after-apply.js';
import { applyPlan, type ClusterOutcome, type PlanApplyDeps } from '../remediation/executor.js';
import type { Journal, JournalOpen } from '../remediation/journal.js';
import type { RemediationPlan } from '../remediation/plan.js';
import type { Log, ProgressLine } from './ports.js';
import type { ReachedAccounts } from './reach-accounts.js';

/** Where journals are kept (src/cli/journal-file.ts: a locked file, one JSON line per event). */
export interface JournalStore {
  open(path: string): JournalOpen;
}

/** SIGINT/SIGTERM while changes run: the signal aborts, and the first one's name is kept. */
export interface Interrupt {
  readonly signal: AbortSignal;
  interruptedBy(): string | null;
}

/** The operator's answer to "apply these changes?", or the signal that came instead. */
export type Confirmation =
  | { readonly kind: 'yes' }
  | { readonly kind: 'no' }
  | { readonly kind: 'signal'; readonly signal: string };

/** --probe after the changes: how each changed endpoint is probed from here, and for how long. */
export interface ChangeProbe {
  readonly timeoutMs: number;
  /** --my-ip: where "not reachable" holds from. */
  readonly vantage: string | null;
  /** Endpoints probed at once. */
  readonly concurrency: number;
  /** How long a changed cluster that still answers is probed again. */
  readonly waitMs: number;
  /** How often it is probed again meanwhile. */
  readonly intervalMs: number;
}

/** How updates are watched, and at what pace. */
export interface WatchSettings {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  /** Clusters changed or watched at once. */
  readonly concurrency: number;
}

export interface ChangePorts {
  /** Each account the plan or journal names, already reached. */
  readonly accounts: ReachedAccounts;
  readonly journals: JournalStore;
  readonly clock: Clock;
  readonly logger: Log;
  readonly progress: ProgressLine;
  /** Starts listening for SIGINT/SIGTERM; `onSignal` says what the signal means to the run. */
  watchSignals(onSignal: (name: string) => void): Interrupt;
  /** Probes a cluster's endpoint from this machine, TLS verified against its own CA. */
  probeEndpoint(cluster: Cluster, probe: ChangeProbe, signal: AbortSignal): Promise<ProbeReport>;
  /** The process's peak memory, logged with each run's own figures. */
  peakMemoryKb(): number;
}

export interface ApplyPorts extends ChangePorts {
  /** Asks the operator (or takes --yes) before anything is submitted. */
  confirm(plan: RemediationPlan): Promise<Confirmation>;
}

export interface ApplySettings extends WatchSettings {
  readonly journalPath: string;
  /** --probe: confirm from this machine that each changed endpoint no longer answers. */
  readonly probe: ChangeProbe | null;
}

/** What became of each cluster, and of the run, once the changes were made or watched. */
export interface ChangesMade {
  readonly kind: 'changed';
  readonly outcomes: readonly ClusterOutcome[];
  /** --probe's checks by cluster ARN; null without --probe (or after a signal). */
  readonly probes: ReadonlyMap<string, AfterApplyCheck> | null;
  readonly journalPath: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** SIGINT or SIGTERM when the run was interrupted; null otherwise. */
  readonly interruptedBy: string | null;
}

export type ApplyOutcome =
  /** No cluster in the plan needs a change: nothing was asked or opened. */
  | { readonly kind: 'nothing-to-apply' }
  /** The journal could not be created or locked: nothing was submitted. */
  | { readonly kind: 'journal-refused'; readonly message: string }
  /** The operator did not answer yes: nothing was submitted. */
  | { readonly kind: 'not-confirmed' }
  /** A signal came while the question waited: nothing was submitted. */
  | { readonly kind: 'interrupted-before-confirm'; readonly signal: string }
  | ChangesMade;

/**
 * Opens and locks the journal for the body, and always unlocks it. A journal that cannot be
 * written or is locked by another run is refused before anything is submitted.
 */
export async function withJournal<T>(
  journals: JournalStore,
  path: string,
  body: (journal: Journal) => Promise<T>,
): Promise<T | { readonly kind: 'journal-refused'; readonly message: string }> {
  const opened = journals.open(path);
  if (!opened.ok) return { kind: 'journal-refused', message: opened.message };
  try {
    return await body(opened.journal);
  } finally {
    opened.journal.close();
  }
}

/** The executor's edges: each account's port, the journal, the clock, and progress lines. */
export function executorDeps(ports: ChangePorts, journal: Journal): PlanApplyDeps {
  return {
    accountPort: (account) => ports.accounts.portFor(account),
    journal,
    clock: ports.clock,
    progress: ports.progress,
    logger: ports.logger,
  };
}

/**
 * With --probe, probes the changed clusters of an apply or resume (see confirmAfterApply); null
 * without --probe, and after a signal (nothing new starts then, a probe included).
 */
export async function probeAfterChanges(
  ports: ChangePorts,
  outcomes: readonly ClusterOutcome[],
  probe: ChangeProbe | null,
  signal: AbortSignal,
): Promise<ReadonlyMap<string, AfterApplyCheck> | null> {
  if (probe === null || signal.aborted) return null;
  const count = probedAfterApply(outcomes).length;
  if (count > 0) {
    ports.progress(
      `probing ${count} changed endpoint${count === 1 ? '' : 's'} from ${probe.vantage ?? 'this machine'} (--probe)`,
    );
  }
  return confirmAfterApply(
    outcomes,
    {
      describe: async (outcome, callSignal) => {
        const port = ports.accounts.portFor(outcome);
        if (!port.ok) throw new Error(formatErrorInfo(port.error));
        return port.aws.describeCluster(outcome.region, outcome.clusterName, callSignal);
      },
      probe: (cluster) => ports.probeEndpoint(cluster, probe, signal),
      clock: ports.clock,
      progress: ports.progress,
    },
    {
      vantage: probe.vantage,
      waitMs: probe.waitMs,
      intervalMs: probe.intervalMs,
      concurrency: probe.concurrency,
      signal,
    },
  );
}

/** Confirm, journal, submit, watch, verify, probe: the one path every change goes through. */
export async function confirmAndApply(
  ports: ApplyPorts,
  plan: RemediationPlan,
  settings: ApplySettings,
): Promise<ApplyOutcome> {
  if (plan.summary.update === 0) return { kind: 'nothing-to-apply' };
  return withJournal(ports.journals, settings.journalPath, async (journal) => {
    const answer = await ports.confirm(plan);
    if (answer.kind === 'no') return { kind: 'not-confirmed' };
    if (answer.kind === 'signal')
      return { kind: 'interrupted-before-confirm', signal: answer.signal };
    return applyWithJournal(ports, plan, settings, journal);
  });
}

async function applyWithJournal(
  ports: ApplyPorts,
  plan: RemediationPlan,
  settings: ApplySettings,
  journal: Journal,
): Promise<ChangesMade> {
  ports.progress(`journal: ${journal.path}`);
  const executor = executorDeps(ports, journal);
  const interrupt = ports.watchSignals((name) =>
    ports.progress(
      `${name} received: submitting nothing new; updates already submitted go on in AWS.`,
    ),
  );
  const startedAt = new Date(ports.clock.now());
  const outcomes = await applyPlan(executor, plan, {
    planId: plan.planId,
    mode: plan.mode,
    allowDrift: plan.allowDrift === true,
    timeoutMs: settings.timeoutMs,
    pollIntervalMs: settings.pollIntervalMs,
    concurrency: settings.concurrency,
    signal: interrupt.signal,
  });
  ports.logger.info(
    {
      planId: plan.planId,
      durationMs: ports.clock.now() - startedAt.getTime(),
      maxRssKb: ports.peakMemoryKb(),
    },
    'apply finished',
  );
  return finishChanges(ports, outcomes, { probe: settings.probe, journal, startedAt, interrupt });
}

/** Once the changes are made or watched: --probe's checks, then what the run did. */
export async function finishChanges(
  ports: ChangePorts,
  outcomes: readonly ClusterOutcome[],
  run: {
    readonly probe: ChangeProbe | null;
    readonly journal: Journal;
    readonly startedAt: Date;
    readonly interrupt: Interrupt;
  },
): Promise<ChangesMade> {
  const probes = await probeAfterChanges(ports, outcomes, run.probe, run.interrupt.signal);
  return {
    kind: 'changed',
    outcomes,
    probes,
    journalPath: run.journal.path,
    startedAt: run.startedAt,
    finishedAt: new Date(ports.clock.now()),
    interruptedBy: run.interrupt.interruptedBy(),
  };
}
