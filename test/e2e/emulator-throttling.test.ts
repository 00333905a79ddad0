/**
 * Token buckets per account, region and service, as the SDK clients see them: each service's own
 * throttling error, one account's or region's empty bucket leaving the others alone, refill with
 * time (the emulator's clock, moved by the test), and the count in the emulator's stats.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { REPO_ROOT, runCli, startCli } from '../support/cli.js';
import { failure, type SdkError } from '../support/sdk.js';
import { signedJsonCall } from '../support/signed-request.js';

const A = '111111111111';
const B = '222222222222';
const KEY_A = 'AKIAACCOUNTA00000001';
const KEY_B = 'AKIAACCOUNTB00000002';
const regions = { 'us-east-1': { clusters: [{ name: 'one' }] }, 'eu-west-1': {}, 'ap-south-1': {} };

const fixture: Fixture = {
  accountId: A,
  accessKeys: { [KEY_A]: A, [KEY_B]: B },
  accounts: { [A]: { regions }, [B]: { regions } },
  roles: { Audit: {} },
  organization: { managementAccountId: A },
  throttling: {
    eks: { capacity: 2, refillPerSecond: 1 },
    ec2: { capacity: 2, refillPerSecond: 1 },
    sts: { capacity: 2, refillPerSecond: 1 },
    organizations: { capacity: 2, refillPerSecond: 1 },
  },
  faults: [{ service: 'eks', region: 'ap-south-1', throttleAs: 'TooManyRequestsException' }],
};

let emulator: RunningEmulator;
let nowMs = Date.parse('2026-11-25T10:00:00Z');
const clients: { destroy(): void }[] = [];

function config(key: string, region: string) {
  return {
    region,
    endpoint: emulator.url,
    credentials: { accessKeyId: key, secretAccessKey: 'x' },
    maxAttempts: 1,
  };
}

function eks(key: string, region = 'us-east-1') {
  const made = new EKSClient(config(key, region));
  clients.push(made);
  return (): Promise<unknown> => made.send(new ListClustersCommand({}));
}

/** Calls until the first failure; how many went through, and the failure. */
async function drain(call: () => Promise<unknown>) {
  for (let passed = 0; passed < 10; passed++) {
    const error = await call().then(
      () => undefined,
      (e: SdkError) => e,
    );
    if (error)
      return {
        passed,
        failed: {
          name: error.name,
          message: error.message,
          status: error.$metadata?.httpStatusCode,
        },
      };
  }
  throw new Error('never throttled');
}

beforeAll(async () => {
  emulator = await startEmulator({ fixture, clock: () => new Date(nowMs) });
});

afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await emulator.close();
});

describe('token buckets', () => {
  it('throttles EKS per account and region with ThrottlingException, and refills with time', async () => {
    const aEast = eks(KEY_A);
    expect(await drain(aEast)).toEqual({
      passed: 2,
      failed: { name: 'ThrottlingException', status: 429, message: 'Rate exceeded' },
    });
    await expect(eks(KEY_B)()).resolves.toBeDefined();
    await expect(eks(KEY_A, 'eu-west-1')()).resolves.toBeDefined();
    nowMs += 1000;
    await expect(aEast()).resolves.toBeDefined();
    expect(await failure(aEast())).toMatchObject({ name: 'ThrottlingException' });
    expect(emulator.stats.throttled.get(`${A}/us-east-1/eks`)).toBe(2);
    expect(emulator.stats.throttled.get(`${B}/us-east-1/eks`)).toBeUndefined();
  });

  it('counts the calls the SDK marks as retries (amz-sdk-request attempt 2 and later)', async () => {
    const client = new EKSClient({ ...config(KEY_B, 'eu-west-1'), maxAttempts: 2 });
    clients.push(client);
    const list = () => client.send(new ListClustersCommand({}));
    await list();
    await list();
    const before = emulator.stats.retried;
    // The bucket is empty and the clock stands still: the first try and its one retry are throttled.
    expect(await failure(list())).toMatchObject({ name: 'ThrottlingException' });
    expect(emulator.stats.retried - before).toBe(1);
  });

  it('answers TooManyRequestsException where a fault rule says EKS throttles that way', async () => {
    expect((await drain(eks(KEY_A, 'ap-south-1'))).failed).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Too Many Requests',
    });
  });

  it('throttles EC2 with RequestLimitExceeded, HTTP 503', async () => {
    const ec2 = new EC2Client(config(KEY_B, 'eu-west-1'));
    clients.push(ec2);
    expect(await drain(() => ec2.send(new DescribeRegionsCommand({})))).toEqual({
      passed: 2,
      failed: { name: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
    });
  });

  it('throttles STS with Throttling, HTTP 400', async () => {
    const sts = new STSClient(config(KEY_B, 'us-east-1'));
    clients.push(sts);
    const assume = () =>
      sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/Audit`, RoleSessionName: 'scan' }),
      );
    expect(await drain(assume)).toEqual({
      passed: 2,
      failed: { name: 'Throttling', status: 400, message: 'Rate exceeded' },
    });
    expect(emulator.stats.throttled.get(`${B}/us-east-1/sts`)).toBe(1);
  });

  it('throttles Organizations with TooManyRequestsException, HTTP 400', async () => {
    const list = () =>
      signedJsonCall({
        endpoint: emulator.url,
        service: 'organizations',
        region: 'us-east-1',
        target: 'AWSOrganizationsV20161128.ListAccounts',
        input: {},
        accessKeyId: KEY_A,
      });
    const answers = [await list(), await list(), await list()];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400]);
    expect(answers[2]?.body.__type).toBe('TooManyRequestsException');
  });
});

describe('eksposure emulator --token-bucket', () => {
  const fixtureFile = join(REPO_ROOT, 'fixtures', 'organization.json');

  it('throttles as the flag says, per account', async () => {
    const running = startCli([
      'emulator',
      '--fixtures',
      fixtureFile,
      '--token-bucket',
      'eks=1/0.001',
    ]);
    try {
      const url = () => /eksposure emulator: .* on (http:\S+) /.exec(running.stderr())?.[1];
      await running.waitFor(() => url() !== undefined, 'the emulator to listen', 10_000);
      const list = (key: string) => {
        const made = new EKSClient({ ...config(key, 'us-east-1'), endpoint: url() });
        clients.push(made);
        return made.send(new ListClustersCommand({}));
      };
      await expect(list('AKIAPRODUCTION000002')).resolves.toBeDefined();
      expect(await failure(list('AKIAPRODUCTION000002'))).toMatchObject({
        name: 'ThrottlingException',
      });
      await expect(list('AKIAMANAGEMENT000001')).resolves.toBeDefined();
    } finally {
      running.signal('SIGINT');
      await running.exited;
    }
  });

  it('refuses a value it cannot read: exit 2, one line saying the form', async () => {
    const run = await runCli(['emulator', '--fixtures', fixtureFile, '--token-bucket', 's3=1/1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      "eksposure: --token-bucket takes 'aws' or SERVICE=CAPACITY/REFILL_PER_SECOND with SERVICE one of eks, ec2, sts, organizations, securityhub, a capacity of at least 1 and a refill above 0 (e.g. ec2=100/20), got 's3=1/1'.",
    ]);
  });
});
