import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Fixture, FixtureError, parseFixture } from '../../../src/emulator/fixture.js';
import { buildState, callerOf, DEFAULT_ACCOUNT_ID } from '../../../src/emulator/state.js';
import { REPO_ROOT } from '../../support/cli.js';

const A = '111111111111';
const B = '222222222222';
const two = (extra: Record<string, unknown> = {}) => ({
  accounts: { [A]: { regions: { 'us-east-1': {} } }, [B]: {} },
  ...extra,
});

describe('the multi-account fixture form', () => {
  it.each([
    [{ accounts: {} }, 'accounts: must be an object with at least one account'],
    [two({ regions: { r: {} } }), 'regions: goes inside each of accounts when accounts is given'],
    [two({ accountId: '333333333333' }), 'accountId: must be one of accounts'],
    [{ accounts: { '42': {} } }, 'accounts.42: must be 12 digits'],
    [{ accounts: { [A]: { state: 'GONE' } } }, `accounts.${A}.state: must be one of`],
    [
      { accounts: { [A]: { regions: { r: { clusters: [{ name: 'a b' }] } } } } },
      `accounts.${A}.regions.r.clusters[0].name`,
    ],
    [
      two({ accessKeys: { AKIAKNOWN00000000001: '333333333333' } }),
      'accessKeys.AKIAKNOWN00000000001: must name one of the accounts',
    ],
    [two({ accessKeys: { 'not a key': A } }), 'accessKeys.not a key: must be an access key id'],
    [
      two({ roles: { Audit: { maxSessionDuration: 60 } } }),
      'roles.Audit.maxSessionDuration: must be whole seconds from 3600 to 43200',
    ],
    [two({ roles: { Audit: { externalId: 'x' } } }), 'roles.Audit.externalId'],
    [two({ roles: { Audit: { trustedAccounts: ['me'] } } }), 'roles.Audit.trustedAccounts'],
    [
      two({ organization: { managementAccountId: '333333333333' } }),
      'organization.managementAccountId: must be one of accounts',
    ],
    [two({ organization: { managementAccountId: A, id: 'org-1' } }), 'organization.id'],
    [
      two({
        organization: { managementAccountId: A, organizationalUnits: { 'ou-1': { name: 'x' } } },
      }),
      'organization.organizationalUnits.ou-1: must be named',
    ],
    [
      two({
        organization: {
          managementAccountId: A,
          organizationalUnits: { 'ou-abcd-12345678': { name: 'x', parent: 'ou-abcd-99999999' } },
        },
      }),
      'organization.organizationalUnits.ou-abcd-12345678.parent',
    ],
    [
      {
        accounts: { [A]: { parent: 'ou-abcd-12345678' } },
        organization: { managementAccountId: A },
      },
      `accounts.${A}.parent: must be the root or an OU`,
    ],
    [
      two({ organization: { managementAccountId: A, pageSize: 0 } }),
      'organization.pageSize: must be a whole number from 1',
    ],
    [
      two({ throttling: { s3: { capacity: 1, refillPerSecond: 1 } } }),
      'throttling.s3: must be one of eks, ec2, sts, organizations, securityhub',
    ],
    [
      two({ throttling: { ec2: { capacity: 0, refillPerSecond: 1 } } }),
      'throttling.ec2: must be {',
    ],
    [two({ faults: [{ account: 7 }] }), 'faults[0].account: must be a string'],
  ])('names the path of the first problem (%#)', (fixture, message) => {
    expect(() => parseFixture(fixture)).toThrow(FixtureError);
    expect(() => parseFixture(fixture)).toThrow(message);
  });

  it('keeps every fixture file in fixtures/ loading', () => {
    const dir = join(REPO_ROOT, 'fixtures');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')))
      expect(() => parseFixture(JSON.parse(readFileSync(join(dir, file), 'utf8')))).not.toThrow();
  });

  it('maps static keys to their account, and any other key to the default account', () => {
    const state = buildState(
      parseFixture(two({ accountId: B, accessKeys: { AKIAKNOWN00000000001: A } })),
    );
    expect(callerOf(state, 'AKIAKNOWN00000000001').accountId).toBe(A);
    expect(callerOf(state, 'AKIASOMEONEELSE00001').accountId).toBe(B);
    expect(callerOf(state, undefined).accountId).toBe(B);
    expect(state.regions).toBe(state.accounts.get(B)?.regions);
  });

  it('makes the first account the default when accountId is left out', () => {
    expect(buildState(parseFixture(two())).accountId).toBe(A);
  });

  it('reads the single-account form as one account, outside any organization', () => {
    const fixture: Fixture = { regions: { 'us-east-1': { clusters: [{ name: 'a' }] } } };
    const state = buildState(parseFixture(fixture));
    expect([...state.accounts.keys()]).toEqual([DEFAULT_ACCOUNT_ID]);
    expect(state.accounts.get(DEFAULT_ACCOUNT_ID)?.inOrganization).toBe(false);
    expect(state.regions.get('us-east-1')?.clusters.get('a')?.arn).toBe(
      `arn:aws:eks:us-east-1:${DEFAULT_ACCOUNT_ID}:cluster/a`,
    );
  });

  it("gives every account the fixture's roles, an account's own winning on a name", () => {
    const state = buildState(
      parseFixture(
        two({
          roles: { Audit: {}, Ops: {} },
          accounts: { [A]: { roles: { Audit: { externalId: 'abc-123' } } }, [B]: {} },
        }),
      ),
    );
    expect(state.accounts.get(A)?.roles.get('Audit')?.externalId).toBe('abc-123');
    expect(state.accounts.get(B)?.roles.get('Audit')).toMatchObject({
      arn: `arn:aws:iam::${B}:role/Audit`,
      maxSessionDuration: 3600,
    });
    expect([...(state.accounts.get(A)?.roles.keys() ?? [])]).toEqual(['Audit', 'Ops']);
  });
});
