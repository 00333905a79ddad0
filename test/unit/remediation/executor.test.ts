import type { Cluster, Update } from '@aws-sdk/client-eks';
import { pino } from 'pino';
import type { ChangePort } from '../../../src/remediation/change-port.js';
import { applyPlan, type ApplyDeps } from '../../../src/remediation/executor.js';
import type { Journal, JournalEntry, JournalWrite } from '../../../src/remediation/journal.js';
import { assemblePlan, planRemediationCluster } from '../../../src/remediation/planner.js';
import { cluster, ok, REGION, vpcDns } from '../../support/preflight.js';

type Recorded = Omit<JournalEntry, 'schemaVersion' | 'at'>;

/** A journal in memory whose writes start failing (a full disk) after `writable` lines. */
function memoryJournal(writable = Infinity) {
  const lines: Recorded[] = [];
  const journal: Journal = {
    path: '/journal.ndjson',
    record: (entry): JournalWrite => {
      if (lines.length >= writable)
        return { ok: false, error: { code: 'ENOSPC', message: 'no space left on device' } };
      lines.push(entry);
      return { ok: true };
    },
    close: () => undefined,
  };
  return { journal, statuses: () => lines.map((l) => l.status), lines };
}

const abortable = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    const stop = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop);
  });

/**
 * One cluster in one region, as EKS would keep it: a submit starts an update that ends
 * Successful at once and changes the configuration. Each call can be told to misbehave.
 */
function fakeEks(
  behave: {
    describeCluster?: (signal: AbortSignal) => Promise<Cluster> | undefined;
    describeUpdate?: (signal: AbortSignal) => Promise<Update> | undefined;
    /** The submit takes effect, then its answer is lost. */
    loseSubmitAnswer?: boolean;
  } = {},
) {
  let current = cluster();
  const updates: Update[] = [];
  const port: ChangePort = {
    describeCluster: (_r, _n, signal) =>
      behave.describeCluster?.(signal) ?? Promise.resolve(current),
    describeUpdate: (_r, _n, id, signal) =>
      behave.describeUpdate?.(signal) ??
      Promise.resolve(updates.find((u) => u.id === id) ?? Promise.reject(new Error('no update'))),
    listUpdateIds: () => Promise.resolve(updates.map((u) => u.id ?? '')),
    submitEndpointUpdate: (_r, _n, change) => {
      const update: Update = {
        id: `u-${updates.length + 1}`,
        type: 'EndpointAccessUpdate',
        status: 'Successful',
        createdAt: new Date(),
        params: [
          { type: 'EndpointPublicAccess', value: String(change.endpointPublicAccess) },
          { type: 'EndpointPrivateAccess', value: String(change.endpointPrivateAccess) },
        ],
      };
      updates.push(update);
      current = cluster({
        resourcesVpcConfig: {
          ...current.resourcesVpcConfig,
          endpointPublicAccess: change.endpointPublicAccess,
          endpointPrivateAccess: change.endpointPrivateAccess,
        },
      });
      return behave.loseSubmitAnswer
        ? Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
        : Promise.resolve({ ...update, status: 'InProgress' });
    },
    gatherFacts: (region, c) =>
      Promise.resolve({
        region,
        cluster: c,
        updatesInProgress: ok([]),
        vpcDns: vpcDns(true, true),
      }),
  };
  return { port, updates: () => updates };
}

const plan = assemblePlan(
  {
    planId: '5f0e7c1e-0000-4000-8000-000000000001',
    createdAt: new Date(),
    toolVersion: 'test',
    mode: 'private',
    allowCidrs: null,
    operatorIp: null,
    sourceJournal: null,
    unread: [],
  },
  [
    planRemediationCluster(
      { region: REGION, cluster: cluster(), updatesInProgress: ok([]), vpcDns: vpcDns(true, true) },
      { mode: 'private' },
      undefined,
    ),
  ],
);

function run(port: ChangePort, journal: Journal, signal = new AbortController().signal) {
  const progress: string[] = [];
  const deps: ApplyDeps = {
    aws: port,
    journal,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5))),
    progress: (line) => void progress.push(line),
    logger: pino({ level: 'silent' }),
  };
  const options = {
    planId: plan.planId,
    mode: plan.mode,
    timeoutMs: 200,
    pollIntervalMs: 5,
    concurrency: 1,
    signal,
  };
  return applyPlan(deps, plan, options).then(([outcome]) => ({ outcome, progress }));
}

describe('the executor, with a fake EKS and journal', () => {
  it('changes and verifies a cluster, journalling each step', async () => {
    const eks = fakeEks();
    const journal = memoryJournal();
    const { outcome } = await run(eks.port, journal.journal);
    expect(outcome).toMatchObject({ result: 'verified', updateId: 'u-1' });
    expect(journal.statuses()).toEqual(['Submitting', 'InProgress', 'Successful', 'Verified']);
  });

  it('disk full after the Submitting line: the update runs in AWS, so it is in flight and named', async () => {
    const eks = fakeEks();
    const journal = memoryJournal(1);
    const { outcome } = await run(eks.port, journal.journal);
    expect(eks.updates()).toHaveLength(1);
    expect(outcome).toMatchObject({
      result: 'in-flight',
      updateId: 'u-1',
      reason: expect.stringContaining('could not record it (ENOSPC: no space left on device)'),
    });
  });

  it('a journal that cannot take the Submitting line: nothing is submitted', async () => {
    const eks = fakeEks();
    const { outcome } = await run(eks.port, memoryJournal(0).journal);
    expect(eks.updates()).toHaveLength(0);
    expect(outcome).toMatchObject({
      result: 'failed',
      reason: expect.stringContaining('nothing submitted'),
    });
  });

  it('a signal while the cluster is described just before the submit: nothing is submitted', async () => {
    const interrupt = new AbortController();
    const eks = fakeEks({
      describeCluster: () => {
        interrupt.abort();
        return Promise.resolve(cluster());
      },
    });
    const { outcome } = await run(eks.port, memoryJournal().journal, interrupt.signal);
    expect(eks.updates()).toHaveLength(0);
    expect(outcome).toMatchObject({
      result: 'skipped',
      reason: expect.stringContaining('interrupted'),
    });
  });

  it('a lost submit answer: the update EKS started is found, journalled and verified', async () => {
    const eks = fakeEks({ loseSubmitAnswer: true });
    const journal = memoryJournal();
    const { outcome, progress } = await run(eks.port, journal.journal);
    expect(progress).toContain(
      `${REGION}/payments: the answer to UpdateClusterConfig was lost (ECONNRESET: socket hang up); asking EKS whether the update started`,
    );
    expect(outcome).toMatchObject({ result: 'verified', updateId: 'u-1' });
    expect(journal.lines.find((l) => l.status === 'InProgress')?.updateId).toBe('u-1');
  });

  it('a DescribeUpdate that never answers is abandoned at the deadline: state unknown, in flight', async () => {
    const eks = fakeEks({ describeUpdate: abortable });
    const journal = memoryJournal();
    const { outcome } = await run(eks.port, journal.journal);
    expect(outcome).toMatchObject({
      result: 'in-flight',
      updateId: 'u-1',
      reason: expect.stringContaining('state unknown, still in flight'),
    });
    expect(journal.statuses().at(-1)).toBe('WatchStopped');
  });
});
