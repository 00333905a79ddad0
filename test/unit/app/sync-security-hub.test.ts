import { syncSecurityHub } from '../../../src/app/sync-security-hub.js';
import { fakeAccount, fakeCaller, silentLogger } from '../../support/fake-aws.js';
import { ACCOUNT_A, ACCOUNT_B, SAMPLE_RULES, sampleReport } from '../../support/sample-report.js';

const clock = { now: () => Date.parse('2026-11-26T08:00:00.000Z'), sleep: () => Promise.resolve() };

/** The sample report, account B reached through a role (account A is the caller's own). */
function reportWithRoleForB() {
  const report = sampleReport();
  return {
    ...report,
    accounts: report.accounts.map((acc) =>
      acc.accountId === ACCOUNT_B
        ? { ...acc, roleArn: 'arn:aws:iam::222222222222:role/Audit' }
        : acc,
    ),
  };
}

describe('syncSecurityHub', () => {
  it("sends each account's findings with that account's own AWS, and says nothing when all went well", async () => {
    const a = fakeAccount(ACCOUNT_A, []);
    const b = fakeAccount(ACCOUNT_B, []);
    // Account B is reached through its role; account A is the caller's own.
    const withRole = reportWithRoleForB();
    const { caller, opened } = fakeCaller(a, [b]);
    const lines: string[] = [];
    const summary = await syncSecurityHub(
      { caller, clock, logger: silentLogger, warn: (line) => lines.push(line) },
      {
        report: withRole,
        context: { rules: SAMPLE_RULES },
        regions: null,
        accountConcurrency: 2,
        signal: new AbortController().signal,
      },
    );
    expect(lines).toEqual([]);
    expect(opened.map((t) => t.accountId)).toEqual([ACCOUNT_B]);
    expect([...(a.securityHub.get('us-east-1')?.keys() ?? [])]).toEqual([
      `eksposure/${ACCOUNT_A}/us-east-1/payments-prod/EKS-001`,
      `eksposure/${ACCOUNT_A}/us-east-1/legacy/EKS-001`,
    ]);
    expect([...(b.securityHub.get('eu-west-1')?.keys() ?? [])]).toEqual([
      `eksposure/${ACCOUNT_B}/eu-west-1/eu-open/EKS-001`,
    ]);
    // The region that could not be read costs no call.
    expect(a.calls('GetFindings')).toBe(1);
    expect(b.destroyed()).toBe(1);
    expect(summary).toMatchObject({ imported: 3, updated: 0, archived: 0, failed: 0 });
    expect(summary.targets.map((t) => [t.accountId, t.region, t.status])).toEqual([
      [ACCOUNT_A, 'ap-south-1', 'skipped'],
      [ACCOUNT_A, 'us-east-1', 'ok'],
      [ACCOUNT_B, 'eu-west-1', 'ok'],
    ]);
  });

  it('an account whose role cannot be assumed is an error on each of its regions, in one line each', async () => {
    const a = fakeAccount(ACCOUNT_A, []);
    const withRole = reportWithRoleForB();
    const { caller } = fakeCaller(a, [], [ACCOUNT_B]);
    const lines: string[] = [];
    const summary = await syncSecurityHub(
      { caller, clock, logger: silentLogger, warn: (line) => lines.push(line) },
      {
        report: withRole,
        context: { rules: SAMPLE_RULES },
        regions: ['eu-west-1'],
        accountConcurrency: 1,
        signal: new AbortController().signal,
      },
    );
    expect(summary.targets).toEqual([
      expect.objectContaining({ accountId: ACCOUNT_B, region: 'eu-west-1', status: 'error' }),
    ]);
    expect(lines).toEqual([
      `Security Hub: could not sync account ${ACCOUNT_B} in eu-west-1 (AccessDenied: not authorized to assume arn:aws:iam::222222222222:role/Audit); nothing there was archived.`,
    ]);
  });
});
