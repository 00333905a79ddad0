import { openInJournal, resumeJournal } from '../../../src/app/resume.js';
import { JOURNAL_SCHEMA_VERSION, type JournalEntry } from '../../../src/remediation/journal.js';
import { applyPorts } from '../../support/app-ports.js';
import { fakeAccount, openCluster } from '../../support/fake-aws.js';

const PAYMENTS = '222222222222';
const SEARCH = '333333333333';
const GONE = '444444444444';
const role = (account: string) => `arn:aws:iam::${account}:role/Remediate`;

const open = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};
const toPrivate = { endpointPublicAccess: false, endpointPrivateAccess: true };

/** A journal line of plan-1 about `name` in `account`'s us-east-1. */
const line = (
  account: string,
  name: string,
  status: JournalEntry['status'],
  updateId: string | null,
): JournalEntry => ({
  schemaVersion: JOURNAL_SCHEMA_VERSION,
  at: '2026-12-01T00:00:00.000Z',
  planId: 'plan-1',
  mode: 'private',
  accountId: account,
  roleArn: role(account),
  region: 'us-east-1',
  clusterName: name,
  clusterArn: `arn:aws:eks:us-east-1:${account}:cluster/${name}`,
  before: open,
  requested: toPrivate,
  updateId,
  status,
  errors: [],
});

const request = (entries: JournalEntry[]) => ({
  journalPath: '/journal.ndjson',
  open: openInJournal(entries),
  torn: undefined,
  probe: null,
  timeoutMs: 30 * 60_000,
  pollIntervalMs: 5_000,
  concurrency: 4,
});

describe('resumeJournal: each open line settled in its own account, nothing submitted', () => {
  it('watches an update still running, settles a lost submit, and says which account it cannot reach', async () => {
    // payments: an update the journal saw start; search: a submit whose answer never came, which
    // EKS did start; gone: an account whose role can no longer be assumed.
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    const search = fakeAccount(SEARCH, [openCluster('us-east-1', 'find')]);
    const running = await payments.aws.submitEndpointUpdate(
      'us-east-1',
      'pay',
      toPrivate,
      't',
      new AbortController().signal,
    );
    await search.aws.submitEndpointUpdate(
      'us-east-1',
      'find',
      toPrivate,
      't',
      new AbortController().signal,
    );
    const entries = [
      line(PAYMENTS, 'pay', 'Submitting', null),
      line(PAYMENTS, 'pay', 'InProgress', running.id ?? ''),
      line(SEARCH, 'find', 'Submitting', null),
      line(GONE, 'lost', 'WatchStopped', 'u-9'),
    ];
    const run = applyPorts([payments, search]);
    const outcome = await resumeJournal(run.ports, request(entries));
    if (outcome.kind !== 'changed') throw new Error(`expected changes, got ${outcome.kind}`);
    const byName = new Map(outcome.outcomes.map((o) => [o.clusterName, o]));
    expect(byName.get('pay')).toMatchObject({ accountId: PAYMENTS, result: 'verified' });
    expect(byName.get('find')).toMatchObject({ accountId: SEARCH, result: 'verified' });
    expect(byName.get('lost')).toMatchObject({
      accountId: GONE,
      result: 'in-flight',
      updateId: 'u-9',
      reason: expect.stringContaining(`account ${GONE} (role ${role(GONE)}) could not be reached`),
    });
    // Resume submits nothing: the only submits are the two the test made above.
    expect(payments.calls('UpdateClusterConfig') + search.calls('UpdateClusterConfig')).toBe(2);
    expect(search.calls('ListUpdates')).toBeGreaterThan(0);
    expect(outcome.plan).toEqual({
      planId: 'plan-1',
      mode: 'private',
      allowDrift: false,
      complete: true,
    });
  });

  it('keeps --allow-drift on what it writes, when the plan it resumes allowed drift', async () => {
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    const running = await payments.aws.submitEndpointUpdate(
      'us-east-1',
      'pay',
      toPrivate,
      't',
      new AbortController().signal,
    );
    const drift = (entry: JournalEntry): JournalEntry => ({ ...entry, allowDrift: true });
    const entries = [
      drift(line(PAYMENTS, 'pay', 'Submitting', null)),
      drift(line(PAYMENTS, 'pay', 'InProgress', running.id ?? '')),
    ];
    const run = applyPorts([payments]);
    const outcome = await resumeJournal(run.ports, request(entries));
    if (outcome.kind !== 'changed') throw new Error(`expected changes, got ${outcome.kind}`);
    expect(outcome.plan.allowDrift).toBe(true);
    const written = run.journals.lines('/journal.ndjson');
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((e) => e.allowDrift === true)).toBe(true);
  });

  it('a journal with nothing open leaves AWS alone', async () => {
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    const run = applyPorts([payments]);
    const done = [line(PAYMENTS, 'pay', 'Verified', 'u-1')];
    expect(await resumeJournal(run.ports, request(done))).toEqual({ kind: 'nothing-open' });
    expect(payments.calls('DescribeCluster') + payments.calls('DescribeUpdate')).toBe(0);
  });
});
