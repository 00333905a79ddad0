import { parsePlan, serializePlan } from '../../../src/remediation/plan-file.js';
import { assemblePlan, changeFor, planCluster } from '../../../src/remediation/planner.js';
import { ACCOUNT, cluster, ok, REGION, vpcDns } from '../../support/preflight.js';

const plan = assemblePlan(
  {
    planId: '7d4f8a8e-0000-4000-8000-000000000001',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    toolVersion: '0.1.0',
    mode: 'private',
    allowCidrs: null,
    operatorIp: null,
    sourceJournal: null,
    unread: [],
  },
  [
    planCluster(
      {
        account: ACCOUNT,
        region: REGION,
        cluster: cluster(),
        updatesInProgress: ok([]),
        vpcDns: vpcDns(true, true),
      },
      { change: changeFor({ mode: 'private' }), updateReason: 'EKS-001 fails' },
      undefined,
    ),
  ],
);
const text = serializePlan(plan);

interface Editable {
  schemaVersion: string;
  mode: string;
  allowCidrs: unknown;
  clusters: {
    accountId: string;
    roleArn: string | null;
    arn: string;
    action: string;
    region: string;
    before: { endpointPublicAccess: boolean };
    change: { endpointPrivateAccess: boolean };
  }[];
}

const edited = (edit: (p: Editable) => void) => {
  const copy = JSON.parse(text) as Editable;
  edit(copy);
  return JSON.stringify(copy);
};

describe('saved plans', () => {
  it('round-trip', () => {
    expect(parsePlan(text, 'plan.json')).toEqual({ ok: true, plan });
  });

  it.each([
    ['not JSON', text.slice(0, 40), 'not valid JSON'],
    ['another document', JSON.stringify({ kind: 'eksposure-audit-report' }), '"kind"'],
    ['a future major version', edited((p) => (p.schemaVersion = '3.0.0')), 'schemaVersion "3.0.0"'],
    [
      'a plan of an older eksposure, which named no account',
      edited((p) => (p.schemaVersion = '1.1.0')),
      'schemaVersion 1.1.0 is a plan of an older eksposure',
    ],
    [
      "an account that is not the cluster ARN's",
      edited((p) => (p.clusters[0]!.accountId = '999999999999')),
      'clusters[0] has accountId 999999999999, but its cluster ARN is in account 123456789012',
    ],
    [
      "a role in another account than the cluster's",
      edited((p) => (p.clusters[0]!.roleArn = 'arn:aws:iam::999999999999:role/Audit')),
      'which is not in its account 123456789012',
    ],
    [
      'clusters of two accounts without a role',
      edited((p) => {
        const other = JSON.parse(JSON.stringify(p.clusters[0])) as Editable['clusters'][number];
        other.accountId = '999999999999';
        other.arn = other.arn.replace('123456789012', '999999999999');
        p.clusters.push(other);
      }),
      'clusters of accounts 123456789012 and 999999999999 have no role',
    ],
    [
      'an edited "before"',
      edited((p) => (p.clusters[0]!.before.endpointPublicAccess = false)),
      'fingerprint',
    ],
    [
      'an edited change',
      edited((p) => (p.clusters[0]!.change.endpointPrivateAccess = false)),
      'does not lead to its "after"',
    ],
    ['an unknown action', edited((p) => (p.clusters[0]!.action = 'force')), 'action'],
    ['a bad region', edited((p) => (p.clusters[0]!.region = 'mars-1')), 'region'],
    [
      'an allowlist that opens the whole internet',
      edited((p) => {
        p.mode = 'allowlist';
        p.allowCidrs = ['203.0.113.0/24', '0.0.0.0/0'];
      }),
      'whole internet',
    ],
    [
      'an allowlist that is not a list of CIDRs',
      edited((p) => {
        p.mode = 'allowlist';
        p.allowCidrs = 'everyone';
      }),
      '"allowCidrs" is not a list of CIDRs',
    ],
  ])('refuses %s in one line naming the file and the fix', (_what, body, expected) => {
    const read = parsePlan(body, 'plan.json');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toContain(expected);
    expect(read.message).toMatch(
      /^plan\.json is not a usable plan: .*eksposure remediate --out plan\.json\.$/,
    );
    expect(read.message).not.toContain('\n');
  });
});
