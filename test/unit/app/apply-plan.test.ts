import { confirmAndApply } from '../../../src/app/apply-plan.js';
import { planRemediation } from '../../../src/app/plan-remediation.js';
import type { RemediationPlan } from '../../../src/remediation/plan.js';
import {
  applyPorts,
  memoryJournals,
  planPorts,
  planRequest,
  throughRoles,
} from '../../support/app-ports.js';
import { type FakeAccount, fakeAccount, fakeCaller, openCluster } from '../../support/fake-aws.js';

const CALLER = '111111111111';
const PAYMENTS = '222222222222';
const SEARCH = '333333333333';
const ROLE = (account: string) => `arn:aws:iam::${account}:role/Remediate`;

/** The plan remediate makes for open clusters in two accounts, each reached through its role. */
async function planAcross(accounts: readonly FakeAccount[]): Promise<RemediationPlan> {
  const { caller } = fakeCaller(fakeAccount(CALLER, []), accounts);
  const outcome = await planRemediation(
    planPorts(caller),
    planRequest({ scope: throughRoles(accounts.map((a) => a.accountId)) }),
  );
  if (outcome.kind !== 'planned') throw new Error(`expected a plan, got ${outcome.kind}`);
  return outcome.plan;
}

const settings = {
  journalPath: '/journal.ndjson',
  timeoutMs: 30 * 60_000,
  pollIntervalMs: 5_000,
  concurrency: 4,
  probe: null,
};

describe('confirmAndApply across accounts', () => {
  it("changes each cluster through its own account's port, verifies it, and journals account and role", async () => {
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    const search = fakeAccount(SEARCH, [openCluster('eu-west-1', 'find')]);
    const plan = await planAcross([payments, search]);
    const run = applyPorts([payments, search]);
    const outcome = await confirmAndApply(run.ports, plan, settings);
    if (outcome.kind !== 'changed') throw new Error(`expected changes, got ${outcome.kind}`);
    expect(outcome.outcomes.map((o) => [o.accountId, o.clusterName, o.result]).sort()).toEqual([
      [PAYMENTS, 'pay', 'verified'],
      [SEARCH, 'find', 'verified'],
    ]);
    expect(payments.clusters[0]?.endpointPublicAccess).toBe(false);
    expect(search.clusters[0]?.endpointPublicAccess).toBe(false);
    expect([payments.calls('UpdateClusterConfig'), search.calls('UpdateClusterConfig')]).toEqual([
      1, 1,
    ]);
    const lines = run.journals.lines('/journal.ndjson');
    expect(new Set(lines.map((l) => `${l.accountId} ${l.roleArn}`))).toEqual(
      new Set([`${PAYMENTS} ${ROLE(PAYMENTS)}`, `${SEARCH} ${ROLE(SEARCH)}`]),
    );
    expect(lines.filter((l) => l.status === 'Verified')).toHaveLength(2);
    expect(run.journals.closed).toEqual(['/journal.ndjson']);
    expect(run.progress[0]).toBe('journal: /journal.ndjson');
    expect(outcome.interruptedBy).toBeNull();
  });

  it('an account that cannot be reached fails its clusters, and the other account is still changed', async () => {
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    const search = fakeAccount(SEARCH, [openCluster('eu-west-1', 'find')]);
    const plan = await planAcross([payments, search]);
    // Only payments' role can be assumed now.
    const outcome = await confirmAndApply(applyPorts([payments]).ports, plan, settings);
    if (outcome.kind !== 'changed') throw new Error(`expected changes, got ${outcome.kind}`);
    expect(outcome.outcomes.map((o) => [o.accountId, o.result]).sort()).toEqual([
      [PAYMENTS, 'verified'],
      [SEARCH, 'failed'],
    ]);
    expect(search.calls('UpdateClusterConfig')).toBe(0);
  });
});

describe('confirmAndApply: nothing is submitted unless every step before says yes', () => {
  const onePlan = async () => {
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    return { payments, plan: await planAcross([payments]) };
  };

  it('not confirmed: nothing submitted, and the journal is released', async () => {
    const { payments, plan } = await onePlan();
    const run = applyPorts([payments], { answer: { kind: 'no' } });
    expect(await confirmAndApply(run.ports, plan, settings)).toEqual({ kind: 'not-confirmed' });
    expect(payments.calls('UpdateClusterConfig')).toBe(0);
    expect(run.journals.closed).toEqual(['/journal.ndjson']);
  });

  it('a signal while the question waits: nothing submitted, the signal named', async () => {
    const { payments, plan } = await onePlan();
    const run = applyPorts([payments], { answer: { kind: 'signal', signal: 'SIGTERM' } });
    expect(await confirmAndApply(run.ports, plan, settings)).toEqual({
      kind: 'interrupted-before-confirm',
      signal: 'SIGTERM',
    });
    expect(payments.calls('UpdateClusterConfig')).toBe(0);
  });

  it('a journal that cannot be opened: refused before the question is even asked', async () => {
    const { payments, plan } = await onePlan();
    const run = applyPorts([payments], { journals: memoryJournals('the journal is locked') });
    expect(await confirmAndApply(run.ports, plan, settings)).toEqual({
      kind: 'journal-refused',
      message: 'the journal is locked',
    });
    expect(run.asked).toEqual([]);
    expect(payments.calls('UpdateClusterConfig')).toBe(0);
  });

  it('a plan with nothing to change opens no journal and asks nothing', async () => {
    const { payments, plan } = await onePlan();
    const nothing = { ...plan, summary: { ...plan.summary, update: 0 }, clusters: [] };
    const run = applyPorts([payments]);
    expect(await confirmAndApply(run.ports, nothing, settings)).toEqual({
      kind: 'nothing-to-apply',
    });
    expect(run.asked).toEqual([]);
    expect(run.journals.closed).toEqual([]);
  });

  it('a signal once changes run: nothing new is submitted, and the run says which signal', async () => {
    const payments = fakeAccount(PAYMENTS, [
      openCluster('us-east-1', 'first'),
      openCluster('us-east-1', 'second'),
    ]);
    const plan = await planAcross([payments]);
    const run = applyPorts([payments]);
    // The signal comes as the first cluster is described, before anything is submitted.
    const describe = payments.aws.describeCluster;
    payments.aws.describeCluster = (...args) => {
      run.signals.send('SIGINT');
      return describe(...args);
    };
    const outcome = await confirmAndApply(run.ports, plan, { ...settings, concurrency: 1 });
    if (outcome.kind !== 'changed') throw new Error(`expected changes, got ${outcome.kind}`);
    expect(outcome.interruptedBy).toBe('SIGINT');
    expect(outcome.outcomes.map((o) => o.result)).toEqual(['skipped', 'skipped']);
    expect(payments.calls('UpdateClusterConfig')).toBe(0);
    expect(run.progress).toContain(
      'SIGINT received: submitting nothing new; updates already submitted go on in AWS.',
    );
  });
});
