import type { Cluster, Update } from '@aws-sdk/client-eks';
import { pino } from 'pino';
import type { ChangePort } from '../../../src/remediation/change-port.js';
import { applyPlan, type PlanApplyDeps } from '../../../src/remediation/executor.js';
import type { Journal, JournalEntry, JournalWrite } from '../../../src/remediation/journal.js';
import type { RemediationPlan } from '../../../src/remediation/plan.js';
import { assemblePlan, planRemediationCluster } from '../../../src/remediation/planner.js';
import { fakeClock } from '../../support/fake-clock.js';
import { ACCOUNT, cluster, ok, REGION, vpcDns } from '../../support/preflight.js';

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
    /** Another account's cluster. */
    arn?: string;
  } = {},
) {
  const own = behave.arn ? { arn: behave.arn } : {};
  let current = cluster(own);
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
        ...own,
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
    listUpdatesInProgress: () => Promise.resolve([]),
    describeVpcDns: (_r, vpcId) =>
      Promise.resolve({ vpcId, enableDnsSupport: true, enableDnsHostnames: true }),
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
      {
        account: ACCOUNT,
        region: REGION,
        cluster: cluster(),
        updatesInProgress: ok([]),
        vpcDns: vpcDns(true, true),
      },
      { mode: 'private' },
      undefined,
      { onManaged: 'block', declared: [] },
    ),
  ],
);

function run(port: ChangePort, journal: Journal, signal = new AbortController().signal) {
  return runPlan(plan, () => ({ ok: true, aws: port }), journal, signal).then(
    ({ outcomes: [outcome], progress }) => ({ outcome, progress }),
  );
}

function runPlan(
  applied: RemediationPlan,
  accountPort: PlanApplyDeps['accountPort'],
  journal: Journal,
  signal = new AbortController().signal,
) {
  const progress: string[] = [];
  const deps: PlanApplyDeps = {
    accountPort,
    journal,
    // Time moves only when the executor waits on it: the 200 ms deadlines pass at once.
    clock: fakeClock({ start: Date.now(), autoAdvance: true }),
    progress: (line) => void progress.push(line),
    logger: pino({ level: 'silent' }),
  };
  const options = {
    planId: applied.planId,
    mode: applied.mode,
    timeoutMs: 200,
    pollIntervalMs: 5,
    concurrency: 1,
    signal,
  };
  return applyPlan(deps, applied, options).then((outcomes) => ({ outcomes, progress }));
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

describe('the executor across accounts', () => {
  const OTHER = '222222222222';
  const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/SecurityAudit`;
  const THIRD = '333333333333';
  const THIRD_ROLE = `arn:aws:iam::${THIRD}:role/SecurityAudit`;
  const arnIn = (account: string) => `arn:aws:eks:${REGION}:${account}:cluster/payments`;
  const entryIn = (accountId: string, roleArn: string) =>
    planRemediationCluster(
      {
        account: { accountId, roleArn },
        region: REGION,
        cluster: cluster({ arn: arnIn(accountId) }),
        updatesInProgress: ok([]),
        vpcDns: vpcDns(true, true),
      },
      { mode: 'private' },
      undefined,
      { onManaged: 'block', declared: [] },
    );
  const twoAccounts = assemblePlan(
    { ...plan, createdAt: new Date(), toolVersion: 'test', unread: [] },
    [entryIn(OTHER, OTHER_ROLE), entryIn(THIRD, THIRD_ROLE)],
  );

  it("each cluster is changed through its own account's port, and its journal lines name the account and role", async () => {
    const other = fakeEks({ arn: arnIn(OTHER) });
    const third = fakeEks({ arn: arnIn(THIRD) });
    const journal = memoryJournal();
    const { outcomes, progress } = await runPlan(
      twoAccounts,
      (account) => ({ ok: true, aws: account.accountId === OTHER ? other.port : third.port }),
      journal.journal,
    );
    expect(outcomes.map((o) => [o.accountId, o.roleArn, o.result])).toEqual([
      [OTHER, OTHER_ROLE, 'verified'],
      [THIRD, THIRD_ROLE, 'verified'],
    ]);
    expect(other.updates()).toHaveLength(1);
    expect(third.updates()).toHaveLength(1);
    expect(new Set(journal.lines.map((l) => `${l.accountId} ${l.roleArn}`))).toEqual(
      new Set([`${OTHER} ${OTHER_ROLE}`, `${THIRD} ${THIRD_ROLE}`]),
    );
    expect(progress).toContain(`${OTHER}/${REGION}/payments: submitted update u-1 (InProgress)`);
  });

  it('an account whose role cannot be assumed fails its clusters, submits nothing there, and the other account goes on', async () => {
    const third = fakeEks({ arn: arnIn(THIRD) });
    const journal = memoryJournal();
    const denied = { code: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole' };
    const { outcomes } = await runPlan(
      twoAccounts,
      (account) =>
        account.accountId === OTHER ? { ok: false, error: denied } : { ok: true, aws: third.port },
      journal.journal,
    );
    expect(outcomes[0]).toMatchObject({
      accountId: OTHER,
      result: 'failed',
      updateId: null,
      errors: [denied],
      reason: expect.stringContaining(`account ${OTHER} (role ${OTHER_ROLE}) could not be reached`),
    });
    expect(outcomes[1]).toMatchObject({ accountId: THIRD, result: 'verified' });
    expect(journal.lines.every((l) => l.accountId === THIRD)).toBe(true);
  });

  it("refuses a cluster whose described ARN is another account's, submitting nothing", async () => {
    const wrong = fakeEks({ arn: arnIn(THIRD) });
    const { outcomes } = await runPlan(
      twoAccounts,
      () => ({ ok: true, aws: wrong.port }),
      memoryJournal().journal,
    );
    expect(outcomes[0]).toMatchObject({
      result: 'skipped',
      errors: [expect.objectContaining({ code: 'ClusterArnMismatch' })],
    });
    expect(outcomes[1]).toMatchObject({ result: 'verified' });
    expect(wrong.updates()).toHaveLength(1);
  });
});
