import { planRemediation } from '../../../src/app/plan-remediation.js';
import { planPorts, planRequest, throughRoles } from '../../support/app-ports.js';
import { parseConfig } from '../../../src/config/config.js';
import { fakeAccount, fakeCaller, openCluster, privateCluster } from '../../support/fake-aws.js';
import { fakeClock } from '../../support/fake-clock.js';

const CALLER = '111111111111';
const PAYMENTS = '222222222222';
const SEARCH = '333333333333';

const ports = (caller: ReturnType<typeof fakeCaller>['caller']) =>
  planPorts(caller, fakeClock({ start: Date.parse('2026-12-01T00:00:00Z') }));

describe('planRemediation: scan, then one plan entry per failing cluster', () => {
  it("plans each open cluster of the caller's account, leaves the private one alone, submits nothing", async () => {
    const own = fakeAccount(CALLER, [
      openCluster('us-east-1', 'open-a'),
      openCluster('eu-west-1', 'open-b'),
      privateCluster('us-east-1', 'quiet'),
    ]);
    const outcome = await planRemediation(ports(fakeCaller(own).caller), planRequest());
    if (outcome.kind !== 'planned') throw new Error(`expected a plan, got ${outcome.kind}`);
    const { plan } = outcome;
    expect(plan.clusters.map((c) => [c.region, c.clusterName, c.action]).sort()).toEqual([
      ['eu-west-1', 'open-b', 'update'],
      ['us-east-1', 'open-a', 'update'],
    ]);
    expect(plan).toMatchObject({
      planId: 'plan-1',
      mode: 'private',
      complete: true,
      createdAt: '2026-12-01T00:00:00.000Z',
      tool: { version: '9.9.9' },
    });
    expect(own.calls('UpdateClusterConfig')).toBe(0);
  });

  it('across accounts, plans each account through its own role while it is open, then closes it', async () => {
    const own = fakeAccount(CALLER, []);
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    const search = fakeAccount(SEARCH, [openCluster('eu-west-1', 'find')]);
    const { caller, opened } = fakeCaller(own, [payments, search]);
    const outcome = await planRemediation(
      ports(caller),
      planRequest({
        scope: throughRoles([PAYMENTS, SEARCH]),
      }),
    );
    if (outcome.kind !== 'planned') throw new Error(`expected a plan, got ${outcome.kind}`);
    expect(outcome.plan.clusters.map((c) => [c.accountId, c.roleArn, c.clusterName])).toEqual(
      expect.arrayContaining([
        [PAYMENTS, `arn:aws:iam::${PAYMENTS}:role/Remediate`, 'pay'],
        [SEARCH, `arn:aws:iam::${SEARCH}:role/Remediate`, 'find'],
      ]),
    );
    expect(opened.map((t) => t.accountId).sort()).toEqual([PAYMENTS, SEARCH]);
    // Each account was scanned, and its clusters' pre-flight facts read, with its own calls.
    for (const account of [payments, search]) {
      expect(account.calls('DescribeRegions')).toBe(1);
      expect(account.calls('ListUpdates')).toBe(1);
      expect(account.calls('DescribeVpcAttribute')).toBe(1);
    }
    expect(own.calls('DescribeRegions') + own.calls('ListUpdates')).toBe(0);
    expect([payments.destroyed(), search.destroyed()]).toEqual([1, 1]);
  });

  it('an account whose role is refused makes the plan incomplete and names it; the others are planned', async () => {
    const payments = fakeAccount(PAYMENTS, [openCluster('us-east-1', 'pay')]);
    const search = fakeAccount(SEARCH, [openCluster('us-east-1', 'find')]);
    const { caller } = fakeCaller(fakeAccount(CALLER, []), [payments, search], [SEARCH]);
    const outcome = await planRemediation(
      ports(caller),
      planRequest({
        scope: throughRoles([PAYMENTS, SEARCH]),
      }),
    );
    if (outcome.kind !== 'planned') throw new Error(`expected a plan, got ${outcome.kind}`);
    expect(outcome.plan.complete).toBe(false);
    expect(outcome.plan.unread).toEqual([
      expect.objectContaining({ accountId: SEARCH, region: null, clusterName: null }),
    ]);
    expect(outcome.plan.clusters.map((c) => c.clusterName)).toEqual(['pay']);
  });

  it('a --cluster name no scanned region has is not found, with the regions that were scanned', async () => {
    const own = fakeAccount(CALLER, [openCluster('us-east-1', 'open-a')]);
    const outcome = await planRemediation(
      ports(fakeCaller(own).caller),
      planRequest({ clusterNames: ['nope'] }),
    );
    expect(outcome).toEqual({ kind: 'not-found', names: ['nope'], regions: ['us-east-1'] });
  });

  it('an exempted failing cluster is planned as skip, with the exemption as its reason', async () => {
    const own = fakeAccount(CALLER, [openCluster('us-east-1', 'accepted')]);
    const config = parseConfig(
      JSON.stringify({
        exemptions: [
          { cluster: 'accepted', reason: 'public demo', expires: '2027-06-30', rules: ['EKS-001'] },
        ],
      }),
    );
    if (!config.ok) throw new Error(config.problem);
    const outcome = await planRemediation(
      ports(fakeCaller(own).caller),
      planRequest({ exemptions: config.config.exemptions }),
    );
    if (outcome.kind !== 'planned') throw new Error(`expected a plan, got ${outcome.kind}`);
    expect(outcome.plan.clusters).toEqual([
      expect.objectContaining({
        clusterName: 'accepted',
        action: 'skip',
        reason: expect.stringContaining('exempt from EKS-001 by exemptions[0]'),
      }),
    ]);
  });

  it('a signal during the scan: nothing is planned from facts cut short', async () => {
    const own = fakeAccount(CALLER, [openCluster('us-east-1', 'open-a')]);
    const controller = new AbortController();
    controller.abort();
    const outcome = await planRemediation(
      ports(fakeCaller(own).caller),
      planRequest({ signal: controller.signal }),
    );
    expect(outcome).toEqual({ kind: 'interrupted' });
  });
});
