/**
 * Our emulator's STS and Organizations next to moto's (moto 5, checked by hand before writing
 * this), through the same clients. Where both serve a call the answers must have the same shape;
 * where moto is laxer than AWS, the test pins what each does, so a change on either side shows.
 *
 * What moto does:
 * - STS maps keys to accounts as we do: a key AssumeRole handed out acts in the role's account,
 *   any other key in 123456789012. GetCallerIdentity for an unknown key says user/moto.
 * - AssumeRole accepts any role ARN (roles need not exist), any DurationSeconds (99999 too), and
 *   never checks ExternalId; it answers PackedPolicySize 6 without a session policy, and an
 *   Expiration with microseconds.
 * - Organizations' ListAccounts answers an empty list (not AccessDeniedException or
 *   AWSOrganizationsNotInUseException) to an account that is not the management account, and
 *   takes MaxResults above 20. Its management account's JoinedMethod is CREATED.
 * Without moto_server on PATH the suite is skipped, and says so.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { isolatedAwsEnv, runCli } from '../support/cli.js';
import { parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';
import { failure } from '../support/sdk.js';
import { type MotoServer, onPath, startMotoServer } from '../support/moto-server.js';
import { signedJsonCall, signedQueryCall, xmlText } from '../support/signed-request.js';

const MANAGEMENT = '123456789012'; // moto's default account, and the one unknown keys act in
const MEMBER = '210987654321';
const KEY = 'AKIAEXAMPLEKEY000001';

const fixture: Fixture = {
  accounts: {
    [MANAGEMENT]: { name: 'master', regions: { 'us-east-1': {} } },
    [MEMBER]: { name: 'member', regions: { 'us-east-1': {} } },
  },
  roles: { Audit: {} },
  organization: { managementAccountId: MANAGEMENT },
};

const missing = onPath('moto_server') ? undefined : 'moto_server not found on PATH';
if (missing) {
  // eslint-disable-next-line no-console
  console.warn(`${missing}: skipping the moto STS and Organizations comparison`);
}
const describeWithMoto = missing ? describe.skip : describe;

describeWithMoto('STS and Organizations: our emulator next to moto', () => {
  let moto: MotoServer;
  let emulator: RunningEmulator;
  const clients: STSClient[] = [];
  const endpoints = () => ({ ours: emulator.url, moto: moto.endpoint });

  const organizations = (endpoint: string, operation: string, input = {}, accessKeyId = KEY) =>
    signedJsonCall({
      endpoint,
      service: 'organizations',
      region: 'us-east-1',
      target: `AWSOrganizationsV20161128.${operation}`,
      input,
      accessKeyId,
    });

  const sts = (endpoint: string, accessKeyId = KEY, sessionToken?: string) => {
    const client = new STSClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId, secretAccessKey: 'x', ...(sessionToken ? { sessionToken } : {}) },
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };

  const assume = (endpoint: string, roleArn: string, extra = {}) =>
    sts(endpoint).send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'cmp', ...extra }),
    );

  async function callerAccount(endpoint: string, accessKeyId: string, sessionToken?: string) {
    const answer = await signedQueryCall(
      { endpoint, service: 'sts', region: 'us-east-1', accessKeyId, sessionToken },
      { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    );
    return xmlText(answer.xml, 'Account');
  }

  const keysOf = (value: unknown) => Object.keys(value as object).sort();

  beforeAll(async () => {
    [moto, emulator] = await Promise.all([startMotoServer(), startEmulator({ fixture })]);
    await organizations(moto.endpoint, 'CreateOrganization', { FeatureSet: 'ALL' });
    await organizations(moto.endpoint, 'CreateAccount', {
      Email: 'member@example.com',
      AccountName: 'member',
    });
  }, 30_000);

  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await Promise.all([moto?.stop(), emulator?.close()]);
  });

  it('AssumeRole: same answer shape, and the keys act in the role account on both', async () => {
    for (const [server, endpoint] of Object.entries(endpoints())) {
      const answer = await assume(endpoint, `arn:aws:iam::${MEMBER}:role/Audit`);
      expect({ server, credentials: keysOf(answer.Credentials) }).toEqual({
        server,
        credentials: ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken'],
      });
      expect(keysOf(answer.AssumedRoleUser)).toEqual(['Arn', 'AssumedRoleId']);
      expect(answer.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/Audit/cmp`);
      const { AccessKeyId, SessionToken } = answer.Credentials ?? {};
      expect(await callerAccount(endpoint, AccessKeyId ?? '', SessionToken)).toBe(MEMBER);
      expect(await callerAccount(endpoint, 'AKIANOBODYKNOWS00001')).toBe(MANAGEMENT);
    }
  });

  it('AssumeRole: moto takes what AWS refuses, we refuse it', async () => {
    const { ours, moto: lax } = endpoints();
    const ghost = `arn:aws:iam::${MEMBER}:role/NoSuchRole`;
    await expect(assume(lax, ghost)).resolves.toBeDefined();
    expect(await failure(assume(ours, ghost))).toMatchObject({ name: 'AccessDenied', status: 403 });
    const tooLong = { DurationSeconds: 99_999 };
    await expect(assume(lax, `arn:aws:iam::${MEMBER}:role/Audit`, tooLong)).resolves.toBeDefined();
    expect(await failure(assume(ours, `arn:aws:iam::${MEMBER}:role/Audit`, tooLong))).toMatchObject(
      { name: 'ValidationError', status: 400 },
    );
  });

  it('ListAccounts, ListRoots, DescribeOrganization: the same fields on both', async () => {
    const shapes = async (endpoint: string) => {
      const accounts = await organizations(endpoint, 'ListAccounts', { MaxResults: 1 });
      const roots = await organizations(endpoint, 'ListRoots');
      const org = await organizations(endpoint, 'DescribeOrganization');
      return {
        statuses: [accounts.status, roots.status, org.status],
        page: keysOf(accounts.body),
        account: keysOf((accounts.body.Accounts as unknown[])[0]),
        root: keysOf((roots.body.Roots as unknown[])[0]),
        organization: keysOf(org.body.Organization),
      };
    };
    const ours = await shapes(emulator.url);
    expect(ours.statuses).toEqual([200, 200, 200]);
    expect(ours.page).toEqual(['Accounts', 'NextToken']);
    expect(await shapes(moto.endpoint)).toEqual(ours);
  });

  it('ListAccounts from a member account: AccessDeniedException from us, an empty list from moto', async () => {
    const asMember = async (endpoint: string) => {
      const role = await assume(endpoint, `arn:aws:iam::${MEMBER}:role/Audit`);
      const { AccessKeyId, SessionToken } = role.Credentials ?? {};
      return signedJsonCall({
        endpoint,
        service: 'organizations',
        region: 'us-east-1',
        target: 'AWSOrganizationsV20161128.ListAccounts',
        input: {},
        accessKeyId: AccessKeyId ?? '',
        sessionToken: SessionToken,
      });
    };
    expect((await asMember(emulator.url)).body.__type).toBe('AccessDeniedException');
    expect((await asMember(moto.endpoint)).body.Accounts).toEqual([]);
  });

  it('MaxResults above 20: InvalidInputException from us, accepted by moto', async () => {
    expect(
      (await organizations(emulator.url, 'ListAccounts', { MaxResults: 21 })).body,
    ).toMatchObject({
      __type: 'InvalidInputException',
    });
    expect((await organizations(moto.endpoint, 'ListAccounts', { MaxResults: 21 })).status).toBe(
      200,
    );
  });

  it('eksposure audit --organization against moto: its accounts listed, each role assumed, each scanned', async () => {
    const run = await runCli(
      [
        'audit',
        '--endpoint-url',
        moto.endpoint,
        '--organization',
        '--role-arn',
        'arn:aws:iam::{account}:role/Audit',
        '--regions',
        'us-east-1',
        '--output',
        'json',
      ],
      isolatedAwsEnv({ AWS_ACCESS_KEY_ID: KEY }),
    );
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    expect(report.accounts.map((a) => [a.name, a.status])).toEqual(
      expect.arrayContaining([
        ['master', 'ok'],
        ['member', 'ok'],
      ]),
    );
    expect(report.regions.map((r) => r.accountId).sort()).toEqual(
      report.accounts.map((a) => a.accountId).sort(),
    );
  }, 20_000);
});
