/**
 * The emulator as a test bed for organization scale, spoken to by real clients: the SDK's STS
 * client (from @aws-sdk/nested-clients, which @aws-sdk/credential-providers uses for AssumeRole),
 * fromTemporaryCredentials, the EKS and EC2 clients, and SigV4-signed JSON 1.1 for Organizations
 * (the project has no Organizations client).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  STSClient,
} from '@aws-sdk/nested-clients/sts';
import { type Fixture, parseFixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { REPO_ROOT } from '../support/cli.js';
import { failure } from '../support/sdk.js';
import { signedJsonCall, signedQueryCall, xmlText } from '../support/signed-request.js';

const MANAGEMENT = '111111111111';
const PROD = '222222222222';
const KEYS = {
  management: 'AKIAMANAGEMENT000001',
  prod: 'AKIAPRODUCTION000002',
  standalone: 'AKIASTANDALONE000007',
  unknown: 'AKIANOBODYKNOWSTHIS1',
};
const role = (account: string, name = 'SecurityAudit') => `arn:aws:iam::${account}:role/${name}`;

const fixture: Fixture = parseFixture(
  JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'organization.json'), 'utf8')),
);

let emulator: RunningEmulator;
let nowMs = Date.parse('2026-11-25T10:00:00Z');
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(made: T): T {
  clients.push(made);
  return made;
}

const credentials = (accessKeyId: string, sessionToken?: string) => ({
  accessKeyId,
  secretAccessKey: 'x',
  ...(sessionToken ? { sessionToken } : {}),
});

function sts(accessKeyId: string, sessionToken?: string) {
  return client(
    new STSClient({
      region: 'us-east-1',
      endpoint: emulator.url,
      credentials: credentials(accessKeyId, sessionToken),
      maxAttempts: 1,
    }),
  );
}

function eks(creds: ReturnType<typeof credentials>, region = 'us-east-1') {
  return client(
    new EKSClient({ region, endpoint: emulator.url, credentials: creds, maxAttempts: 1 }),
  );
}

async function assume(input: Partial<AssumeRoleCommandInput>, key = KEYS.management) {
  return sts(key).send(
    new AssumeRoleCommand({ RoleArn: role(PROD), RoleSessionName: 'eksposure', ...input }),
  );
}

function organizations(operation: string, input: Record<string, unknown>, key = KEYS.management) {
  return signedJsonCall({
    endpoint: emulator.url,
    service: 'organizations',
    region: 'us-east-1',
    target: `AWSOrganizationsV20161128.${operation}`,
    input,
    accessKeyId: key,
  });
}

/** GetCallerIdentity, which the SDK's nested STS client lacks: signed by hand. */
async function callerIdentity(accessKeyId: string, sessionToken?: string) {
  const answer = await signedQueryCall(
    { endpoint: emulator.url, service: 'sts', region: 'us-east-1', accessKeyId, sessionToken },
    { Action: 'GetCallerIdentity', Version: '2011-06-15' },
  );
  expect(answer.status).toBe(200);
  return {
    Account: xmlText(answer.xml, 'Account'),
    Arn: xmlText(answer.xml, 'Arn'),
    UserId: xmlText(answer.xml, 'UserId'),
  };
}

/** Follows NextToken until it is absent, as the product must; counts the pages. */
async function listAll(operation: string, field: string, input: Record<string, unknown> = {}) {
  const items: Record<string, unknown>[] = [];
  let token: unknown;
  let pages = 0;
  do {
    const answer = await organizations(operation, {
      ...input,
      ...(token ? { NextToken: token } : {}),
    });
    expect(answer.status).toBe(200);
    items.push(...(answer.body[field] as Record<string, unknown>[]));
    token = answer.body.NextToken;
    pages += 1;
  } while (token);
  return { items, pages };
}

beforeAll(async () => {
  emulator = await startEmulator({ fixture, clock: () => new Date(nowMs) });
});

afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await emulator.close();
});

describe('accounts by access key', () => {
  it('acts in the account a static key belongs to, and in the default account for any other key', async () => {
    const prod = await callerIdentity(KEYS.prod);
    expect(prod).toMatchObject({ Account: PROD, Arn: `arn:aws:iam::${PROD}:user/eksposure` });
    const unknown = await callerIdentity(KEYS.unknown);
    expect(unknown.Account).toBe(MANAGEMENT);

    const prodClusters = await eks(credentials(KEYS.prod)).send(new ListClustersCommand({}));
    expect(prodClusters.clusters).toEqual(['payments']);
    const ownClusters = await eks(credentials(KEYS.management)).send(new ListClustersCommand({}));
    expect(ownClusters.clusters).toEqual([]);
  });

  it('answers EC2 from the caller account: its own regions only', async () => {
    const ec2 = client(
      new EC2Client({
        region: 'us-east-1',
        endpoint: emulator.url,
        credentials: credentials(KEYS.prod),
        maxAttempts: 1,
      }),
    );
    const regions = await ec2.send(new DescribeRegionsCommand({}));
    expect(regions.Regions?.map((r) => r.RegionName).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });
});

describe('STS AssumeRole', () => {
  it('hands out keys that act in the role account, as the SDK parses them', async () => {
    const answer = await assume({ DurationSeconds: 900 });
    const { Credentials: creds, AssumedRoleUser: user } = answer;
    expect(creds?.AccessKeyId).toMatch(/^ASIA[0-9A-Z]{16}$/);
    expect(creds?.SecretAccessKey).toHaveLength(40);
    expect(creds?.SessionToken?.length).toBeGreaterThan(100);
    expect(creds?.Expiration).toEqual(new Date(nowMs + 900_000));
    expect(user?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/SecurityAudit/eksposure`);
    expect(user?.AssumedRoleId).toMatch(/^AROA[0-9A-Z]{17}:eksposure$/);
    expect(answer.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const assumed = credentials(creds?.AccessKeyId ?? '', creds?.SessionToken);
    const identity = await callerIdentity(assumed.accessKeyId, assumed.sessionToken);
    expect(identity).toMatchObject({ Account: PROD, Arn: user?.Arn, UserId: user?.AssumedRoleId });
    const clusters = await eks(assumed, 'eu-west-1').send(new ListClustersCommand({}));
    expect(clusters.clusters).toEqual(['ledger']);
  });

  it('serves fromTemporaryCredentials, which the product uses to assume roles', async () => {
    const provider = fromTemporaryCredentials({
      masterCredentials: credentials(KEYS.management),
      params: { RoleArn: role('333333333333'), RoleSessionName: 'eksposure-scan' },
      clientConfig: { region: 'us-east-1', endpoint: emulator.url, maxAttempts: 1 },
    });
    const platform = client(
      new EKSClient({
        region: 'us-east-1',
        endpoint: emulator.url,
        credentials: provider,
        maxAttempts: 1,
      }),
    );
    expect((await platform.send(new ListClustersCommand({}))).clusters).toEqual(['platform']);
  });

  it.each([
    ['a role whose trust policy names no one', role('555555555555')],
    ['a role that does not exist', role(PROD, 'NoSuchRole')],
    ['an account outside the fixture', role('999999999999')],
  ])('denies %s with AWS AccessDenied', async (_what, roleArn) => {
    expect(await failure(assume({ RoleArn: roleArn }))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::${MANAGEMENT}:user/eksposure is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    });
  });

  it('denies a caller from an account the trust policy does not name', async () => {
    const denied = await failure(assume({}, KEYS.prod));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain(`User: arn:aws:iam::${PROD}:user/eksposure`);
  });

  it('checks the ExternalId a role asks for', async () => {
    const vendor = role('666666666666');
    expect(await failure(assume({ RoleArn: vendor }))).toMatchObject({ name: 'AccessDenied' });
    expect(await failure(assume({ RoleArn: vendor, ExternalId: 'guess-1234' }))).toMatchObject({
      name: 'AccessDenied',
    });
    const ok = await assume({
      RoleArn: vendor,
      ExternalId: 'eksposure-4f1c',
      DurationSeconds: 43200,
    });
    expect(ok.Credentials?.Expiration).toEqual(new Date(nowMs + 43_200_000));
  });

  it.each([
    [
      899,
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
    [
      43201,
      "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    ],
    [7200, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'],
  ])('refuses DurationSeconds %i with ValidationError', async (duration, message) => {
    expect(await failure(assume({ DurationSeconds: duration }))).toEqual({
      name: 'ValidationError',
      status: 400,
      message,
    });
  });

  it('limits a chained role session to an hour', async () => {
    const first = await assume({ RoleArn: role(MANAGEMENT) });
    const chained = sts(first.Credentials?.AccessKeyId ?? '', first.Credentials?.SessionToken);
    const vendor = { RoleArn: role('666666666666'), ExternalId: 'eksposure-4f1c' };
    const refused = await failure(
      chained.send(
        new AssumeRoleCommand({ ...vendor, RoleSessionName: 'again', DurationSeconds: 7200 }),
      ),
    );
    expect(refused).toEqual({
      name: 'ValidationError',
      status: 400,
      message:
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    const hour = await chained.send(new AssumeRoleCommand({ ...vendor, RoleSessionName: 'again' }));
    expect(hour.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::666666666666:assumed-role/SecurityAudit/again',
    );
  });
});

describe('temporary keys', () => {
  it('need their own session token, and stop working at Expiration', async () => {
    const { Credentials: creds } = await assume({ DurationSeconds: 900 });
    const key = creds?.AccessKeyId ?? '';
    expect(await failure(eks(credentials(key)).send(new ListClustersCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    const assumed = eks(credentials(key, creds?.SessionToken));
    await expect(assumed.send(new ListClustersCommand({}))).resolves.toBeDefined();
    const started = nowMs;
    nowMs += 900_000;
    try {
      expect(await failure(assumed.send(new ListClustersCommand({})))).toEqual({
        name: 'ExpiredTokenException',
        status: 403,
        message: 'The security token included in the request is expired',
      });
      const identity = await signedQueryCall(
        {
          endpoint: emulator.url,
          service: 'sts',
          region: 'us-east-1',
          accessKeyId: key,
          sessionToken: creds?.SessionToken,
        },
        { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      );
      expect([identity.status, xmlText(identity.xml, 'Code')]).toEqual([403, 'ExpiredToken']);
    } finally {
      nowMs = started;
    }
  });
});

describe('Organizations', () => {
  it('lists every account through empty and short pages, with State and the legacy Status', async () => {
    const { items, pages } = await listAll('ListAccounts', 'Accounts');
    // Six member accounts, two a page, after one empty page that carried a token.
    expect(pages).toBe(4);
    expect(items.map((a) => a.Id)).toEqual([
      MANAGEMENT,
      PROD,
      '333333333333',
      '444444444444',
      '555555555555',
      '666666666666',
    ]);
    expect(items[1]).toEqual({
      Id: PROD,
      Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${PROD}`,
      Email: `aws+${PROD}@example.com`,
      Name: 'payments-prod',
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: Date.parse('2025-06-02T09:30:00Z') / 1000,
    });
    expect(items[3]).toMatchObject({
      Name: 'old-sandbox',
      State: 'SUSPENDED',
      Status: 'SUSPENDED',
    });
  });

  it('walks the root and OUs down to their accounts', async () => {
    const roots = await listAll('ListRoots', 'Roots');
    const rootId = roots.items[0]?.Id as string | undefined;
    expect(rootId).toBe('r-a1b2');
    const accountsUnder = async (parentId: string): Promise<string[]> => {
      const ous = await listAll('ListOrganizationalUnitsForParent', 'OrganizationalUnits', {
        ParentId: parentId,
      });
      const direct = await listAll('ListAccountsForParent', 'Accounts', { ParentId: parentId });
      const nested = await Promise.all(ous.items.map((ou) => accountsUnder(ou.Id as string)));
      return [...direct.items.map((a) => a.Id as string), ...nested.flat()];
    };
    expect((await accountsUnder('ou-a1b2-workload')).sort()).toEqual([
      PROD,
      '333333333333',
      '555555555555',
      '666666666666',
    ]);
    expect(await accountsUnder(rootId ?? '')).toHaveLength(6);
  });

  it('describes the organization to any member', async () => {
    const answer = await organizations('DescribeOrganization', {}, KEYS.prod);
    expect(answer.body.Organization).toMatchObject({
      Id: 'o-a1b2c3d4e5',
      MasterAccountId: MANAGEMENT,
      MasterAccountEmail: 'security@example.com',
      FeatureSet: 'ALL',
    });
  });

  it('lets a delegated administrator list accounts through assumed-role keys', async () => {
    const admin = await sts(KEYS.management).send(
      new AssumeRoleCommand({ RoleArn: role('333333333333'), RoleSessionName: 'org-reader' }),
    );
    const answer = await signedJsonCall({
      endpoint: emulator.url,
      service: 'organizations',
      region: 'us-east-1',
      target: 'AWSOrganizationsV20161128.ListAccounts',
      input: { NextToken: undefined },
      accessKeyId: admin.Credentials?.AccessKeyId ?? '',
      sessionToken: admin.Credentials?.SessionToken,
    });
    expect(answer.status).toBe(200);
  });

  it.each([
    [
      'a member account',
      KEYS.prod,
      'AccessDeniedException',
      "You don't have permissions to access this resource.",
    ],
    [
      'an account in no organization',
      KEYS.standalone,
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    ],
  ])('refuses %s', async (_who, key, code, message) => {
    const answer = await organizations('ListAccounts', {}, key);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ __type: code, Message: message });
    expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });

  it.each([
    [{ MaxResults: 21 }, 'MAX_VALUE_EXCEEDED'],
    [{ MaxResults: 0 }, 'MIN_VALUE_EXCEEDED'],
    [{ NextToken: 'not-a-token' }, 'INVALID_NEXT_TOKEN'],
  ])('answers InvalidInputException to %j', async (input, reason) => {
    const answer = await organizations('ListAccounts', input);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ __type: 'InvalidInputException', Reason: reason });
  });

  it('answers ParentNotFoundException for an OU it does not have', async () => {
    const answer = await organizations('ListAccountsForParent', { ParentId: 'ou-a1b2-nowhere1' });
    expect(answer.body.__type).toBe('ParentNotFoundException');
  });
});
