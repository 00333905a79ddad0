import type { AsffFinding } from '../../../src/model/security-hub.js';
import {
  chunked,
  decideSync,
  nothingToSync,
  planSecurityHubTargets,
  securityHubIncomplete,
  summarizeSecurityHub,
  type SecurityHubTargetPlan,
} from '../../../src/report/security-hub-sync.js';
import { ACCOUNT_A, ACCOUNT_B, SAMPLE_RULES, sampleReport } from '../../support/sample-report.js';

const context = { rules: SAMPLE_RULES };
const NOW = '2026-11-26T08:00:00.000Z';

const idOf = (account: string, region: string, cluster: string, rule = 'EKS-001') =>
  `eksposure/${account}/${region}/${cluster}/${rule}`;

function planFor(account: string, region: string): SecurityHubTargetPlan {
  const plan = planSecurityHubTargets(sampleReport(), context, null).find(
    (p) => p.accountId === account && p.region === region,
  );
  if (!plan) throw new Error(`no plan for ${account} ${region}`);
  return plan;
}

/** An earlier finding of ours, as GetFindings would answer it. */
function earlier(cluster: string, extra: Partial<AsffFinding> = {}): AsffFinding {
  return {
    Id: idOf(ACCOUNT_A, 'us-east-1', cluster),
    ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT_A}:product/${ACCOUNT_A}/default`,
    GeneratorId: 'eksposure/EKS-001',
    AwsAccountId: ACCOUNT_A,
    CreatedAt: '2026-01-01T00:00:00.000Z',
    FirstObservedAt: '2026-01-01T00:00:00.000Z',
    UpdatedAt: '2026-01-01T00:00:00.000Z',
    RecordState: 'ACTIVE',
    Resources: [{ Region: 'us-east-1' }],
    ...extra,
  };
}

const summary = (decision: ReturnType<typeof decideSync>) =>
  decision.map((d) => `${d.kind} ${d.asff.Id.split('/')[3]} ${String(d.asff.RecordState)}`);

describe('planSecurityHubTargets', () => {
  it('one target per scanned account and region, sorted; FAIL active, PASS and SUPPRESSED resolved, ERROR unread', () => {
    const plans = planSecurityHubTargets(sampleReport(), context, null);
    expect(plans.map((p) => `${p.accountId} ${p.region}`)).toEqual([
      `${ACCOUNT_A} ap-south-1`,
      `${ACCOUNT_A} us-east-1`,
      `${ACCOUNT_B} eu-west-1`,
    ]);
    const east = planFor(ACCOUNT_A, 'us-east-1');
    expect(east.active.map((f) => f.Id)).toEqual([
      idOf(ACCOUNT_A, 'us-east-1', 'payments-prod'),
      idOf(ACCOUNT_A, 'us-east-1', 'legacy'),
    ]);
    expect(east.resolved.map((f) => [f.Id.split('/')[3], f.RecordState])).toEqual([
      ['billing', 'ARCHIVED'],
      ['sandbox-demo', 'ARCHIVED'],
    ]);
    expect([...east.unread]).toEqual([idOf(ACCOUNT_A, 'us-east-1', 'broken')]);
    expect(east.archiveSkipped).toBeNull();
    expect(east.query).toEqual({
      accountId: ACCOUNT_A,
      region: 'us-east-1',
      productArn: `arn:aws:securityhub:us-east-1:${ACCOUNT_A}:product/${ACCOUNT_A}/default`,
      generatorIds: ['eksposure/EKS-001'],
    });
  });

  it('a region that could not be read archives nothing, and with nothing to send needs no call', () => {
    const denied = planFor(ACCOUNT_A, 'ap-south-1');
    expect(denied.archiveSkipped).toContain('AccessDeniedException');
    expect(nothingToSync(denied)).toBe(true);
    expect(nothingToSync(planFor(ACCOUNT_A, 'us-east-1'))).toBe(false);
  });

  it('--security-hub-regions keeps only the regions named', () => {
    const plans = planSecurityHubTargets(sampleReport(), context, ['eu-west-1']);
    expect(plans.map((p) => p.region)).toEqual(['eu-west-1']);
  });

  it('an account that could not be scanned gets nothing', () => {
    const report = sampleReport();
    const failed = {
      ...report,
      accounts: report.accounts.map((a) =>
        a.accountId === ACCOUNT_B ? { ...a, status: 'error' as const } : a,
      ),
    };
    expect(planSecurityHubTargets(failed, context, null).map((p) => p.accountId)).not.toContain(
      ACCOUNT_B,
    );
  });
});

describe('decideSync', () => {
  const plan = planFor(ACCOUNT_A, 'us-east-1');

  it('imports every FAIL when Security Hub holds nothing, and archives nothing', () => {
    expect(summary(decideSync(plan, [], NOW))).toEqual([
      'imported payments-prod ACTIVE',
      'imported legacy ACTIVE',
    ]);
  });

  it('updates in place, keeping when it was first seen; archives the passing, the exempted and the gone', () => {
    const decision = decideSync(
      plan,
      [earlier('payments-prod'), earlier('billing'), earlier('sandbox-demo'), earlier('deleted')],
      NOW,
    );
    expect(summary(decision)).toEqual([
      'updated payments-prod ACTIVE',
      'imported legacy ACTIVE',
      'archived billing ARCHIVED',
      'archived sandbox-demo ARCHIVED',
      'archived deleted ARCHIVED',
    ]);
    const [updated] = decision;
    expect(updated?.asff.CreatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(updated?.asff.FirstObservedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(updated?.asff.UpdatedAt).toBe(sampleReport().finishedAt);
    // The fresh finding of a cluster that passes now says so.
    expect(decision[2]?.asff.Compliance).toEqual({ Status: 'PASSED' });
    // A cluster gone: the earlier finding, as it was, archived now.
    expect(decision[4]?.asff).toEqual({
      ...earlier('deleted'),
      RecordState: 'ARCHIVED',
      UpdatedAt: NOW,
    });
  });

  it('never touches a cluster that could not be read, nor a finding of another rule, product, account or region', () => {
    const answered = [
      earlier('broken'),
      earlier('x-rule', { GeneratorId: 'eksposure/EKS-002' }),
      earlier('x-product', { ProductArn: 'arn:aws:securityhub:us-east-1::product/other/other' }),
      earlier('x-account', { AwsAccountId: ACCOUNT_B }),
      earlier('x-region', { Resources: [{ Region: 'eu-west-1' }] }),
      earlier('x-archived', { RecordState: 'ARCHIVED' }),
    ];
    expect(summary(decideSync(plan, answered, NOW))).toEqual([
      'imported payments-prod ACTIVE',
      'imported legacy ACTIVE',
    ]);
  });

  it('archives nothing in a region that was not read completely, but still sends its FAILs', () => {
    const partial = { ...plan, archiveSkipped: 'the region could not be read completely' };
    expect(summary(decideSync(partial, [earlier('deleted'), earlier('billing')], NOW))).toEqual([
      'imported payments-prod ACTIVE',
      'imported legacy ACTIVE',
    ]);
  });
});

describe('summaries', () => {
  it('chunks of at most 100', () => {
    expect(chunked([...Array(201).keys()], 100).map((c) => c.length)).toEqual([100, 100, 1]);
  });

  it('adds the targets up; a failed finding, an error or a region without Security Hub is incomplete', () => {
    const target = {
      accountId: ACCOUNT_A,
      region: 'us-east-1',
      status: 'ok' as const,
      imported: 2,
      updated: 1,
      archived: 1,
      failed: 0,
      archiveSkipped: null,
      error: null,
      failedFindings: [],
    };
    const ok = summarizeSecurityHub(null, [target, { ...target, region: 'eu-west-1' }]);
    expect(ok).toMatchObject({ imported: 4, updated: 2, archived: 2, failed: 0 });
    expect(securityHubIncomplete(ok)).toBe(false);
    const refused = summarizeSecurityHub(
      ['us-east-1'],
      [{ ...target, failed: 1, failedFindings: [{ id: 'x', code: 'InvalidInput', message: 'm' }] }],
    );
    expect(refused.failedFindings).toEqual([
      { accountId: ACCOUNT_A, region: 'us-east-1', id: 'x', code: 'InvalidInput', message: 'm' },
    ]);
    expect(securityHubIncomplete(refused)).toBe(true);
    expect(
      securityHubIncomplete(summarizeSecurityHub(null, [{ ...target, status: 'not-enabled' }])),
    ).toBe(true);
  });
});
