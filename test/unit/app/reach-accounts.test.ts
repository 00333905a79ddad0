import { reachAccounts } from '../../../src/app/reach-accounts.js';
import { fakeAccount, fakeCaller } from '../../support/fake-aws.js';

const CALLER = '111111111111';
const PLANNED = '222222222222';
const OTHER = '333333333333';
const role = (account: string) => `arn:aws:iam::${account}:role/Remediate`;
const source = { what: 'the plan plan.json', orElse: 'plan again with them' };

describe('reachAccounts: every account a plan names, before anything is submitted', () => {
  it("refuses a plan made with the caller's own credentials in another account", async () => {
    const own = fakeAccount(CALLER, []);
    const outcome = await reachAccounts(
      fakeCaller(own).caller,
      'us-east-1',
      [{ accountId: PLANNED, roleArn: null }],
      source,
    );
    expect(outcome).toEqual({
      kind: 'refused',
      refusal: 'bad-input',
      message: `the plan plan.json changes clusters of account ${PLANNED} with the caller's own credentials, but these credentials act in account ${CALLER}; use credentials of account ${PLANNED} (--profile or AWS_PROFILE), or plan again with them. Nothing was changed.`,
    });
    expect(own.calls('GetCallerIdentity')).toBe(1);
  });

  it('refuses when STS cannot say which account the credentials act in', async () => {
    const own = fakeAccount(CALLER, []);
    own.aws.callerAccount = () =>
      Promise.resolve({ ok: false, error: { code: 'ExpiredToken', message: 'expired' } });
    const outcome = await reachAccounts(
      fakeCaller(own).caller,
      'us-east-1',
      [{ accountId: CALLER, roleArn: null }],
      source,
    );
    expect(outcome).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('could not tell which account these credentials act in'),
    });
  });

  it('assumes each role once, leaves a refused role unreachable, and closes only what it opened', async () => {
    const own = fakeAccount(CALLER, []);
    const planned = fakeAccount(PLANNED, []);
    const other = fakeAccount(OTHER, []);
    const { caller, opened } = fakeCaller(own, [planned, other], [OTHER]);
    const refs = [
      { accountId: PLANNED, roleArn: role(PLANNED) },
      { accountId: PLANNED, roleArn: role(PLANNED) },
      { accountId: OTHER, roleArn: role(OTHER) },
      { accountId: CALLER, roleArn: null },
    ];
    const outcome = await reachAccounts(caller, 'us-east-1', refs, source);
    if (outcome.kind !== 'reached') throw new Error(outcome.message);
    expect(opened.map((t) => t.accountId).sort()).toEqual([PLANNED, OTHER]);
    expect(outcome.accounts.portFor(refs[0]!)).toEqual({ ok: true, aws: planned.aws });
    expect(outcome.accounts.portFor(refs[2]!)).toMatchObject({
      ok: false,
      error: { code: 'AccessDenied' },
    });
    expect(outcome.accounts.portFor(refs[3]!)).toEqual({ ok: true, aws: own.aws });
    outcome.accounts.destroy();
    expect([planned.destroyed(), own.destroyed()]).toEqual([1, 0]);
  });
});
