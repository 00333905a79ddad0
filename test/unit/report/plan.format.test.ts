import { assemblePlan, planRemediationCluster } from '../../../src/remediation/planner.js';
import { formatPlan } from '../../../src/report/plan.format.js';
import { cluster, ok, REGION, vpcDns } from '../../support/preflight.js';

const MEMBER = '222222222222';
const ROLE = `arn:aws:iam::${MEMBER}:role/Remediator`;

describe('the plan for a person, across accounts', () => {
  it('names each cluster reached through a role with its account, and an account that could not be read as a whole', () => {
    const plan = assemblePlan(
      {
        planId: '0b7f3c1e-0000-4000-8000-000000000001',
        createdAt: new Date('2026-11-25T12:00:00Z'),
        toolVersion: 'test',
        mode: 'private',
        allowCidrs: null,
        operatorIp: null,
        sourceJournal: null,
        unread: [
          {
            accountId: '555555555555',
            region: null,
            clusterName: null,
            error: { code: 'AccessDenied', message: 'could not assume the role' },
          },
        ],
      },
      [
        planRemediationCluster(
          {
            account: { accountId: MEMBER, roleArn: ROLE },
            region: REGION,
            cluster: cluster({ arn: `arn:aws:eks:${REGION}:${MEMBER}:cluster/payments` }),
            updatesInProgress: ok([]),
            vpcDns: vpcDns(true, true),
          },
          { mode: 'private' },
          undefined,
          { onManaged: 'block', declared: [] },
        ),
      ],
    );
    const text = formatPlan(plan, false);
    expect(text).toContain(`UPDATE  ${MEMBER}/${REGION}/payments\n`);
    expect(text).toContain(
      'UNREAD  555555555555 (whole account)\n  could not be read: AccessDenied: could not assume the role',
    );
  });
});
