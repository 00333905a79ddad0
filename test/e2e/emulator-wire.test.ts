import http from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  DescribeRegionsCommand,
  type DescribeRegionsCommandInput,
  DescribeVpcAttributeCommand,
  EC2Client,
  type VpcAttributeName,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  paginateListClusters,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import type { FaultRule } from '../../src/emulator/faults.js';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { emulatorClientConfig, failure } from '../support/sdk.js';

const ACCOUNT = '111122223333';

const fixture: Fixture = {
  accountId: ACCOUNT,
  regions: {
    'us-east-1': {
      vpcs: { 'vpc-0dns': { enableDnsSupport: true, enableDnsHostnames: false } },
      clusters: [
        { name: 'prod', createdAt: '2024-03-04T05:06:07.000Z' },
        { name: 'shared', vpcId: 'vpc-0dns' },
      ],
    },
    'eu-west-1': {
      optInStatus: 'opt-in-not-required',
      clusters: [{ name: 'shared', endpointPublicAccess: false, endpointPrivateAccess: true }],
    },
    'ap-southeast-1': { generate: [{ count: 105, namePrefix: 'bulk-' }] },
    'af-south-1': { optInStatus: 'opted-in', clusters: [] },
    'me-south-1': { optInStatus: 'not-opted-in', clusters: [{ name: 'hidden' }] },
  },
};

/** In the fixture, but the account has not opted in. */
const DISABLED = 'me-south-1';
/** Not in the fixture at all. */
const UNKNOWN = 'sa-east-1';

let emulator: RunningEmulator;
const clients: { destroy(): void }[] = [];

/**
 * Retries only what the SDK itself classifies as THROTTLING, after a short fixed pause (the SDK's
 * default backoff waits up to seconds, which would make a 200-call test slow and erratic), and
 * records each classification the SDK reported.
 */
function throttleRetries(maxAttempts: number) {
  const errorTypes: string[] = [];
  const token = (count: number) => ({
    getRetryCount: () => count,
    getRetryDelay: () => (count > 0 ? 5 : 0),
  });
  type Token = ReturnType<typeof token>;
  const strategy = {
    acquireInitialRetryToken: () => Promise.resolve(token(0)),
    refreshRetryTokenForRetry: (previous: Token, info: { errorType: string }) => {
      errorTypes.push(info.errorType);
      const count = previous.getRetryCount() + 1;
      return info.errorType === 'THROTTLING' && count < maxAttempts
        ? Promise.resolve(token(count))
        : Promise.reject(new Error('not retried'));
    },
    recordSuccess: () => undefined,
  };
  return { strategy, errorTypes };
}

interface ClientOptions {
  maxAttempts?: number;
  maxSockets?: number;
  retryStrategy?: ReturnType<typeof throttleRetries>['strategy'];
}

function config(region: string, options: ClientOptions = {}) {
  const { maxAttempts = 1, maxSockets, retryStrategy } = options;
  return {
    ...emulatorClientConfig(emulator.url, region, maxAttempts),
    ...(maxSockets
      ? { requestHandler: { httpAgent: new http.Agent({ keepAlive: true, maxSockets }) } }
      : {}),
    ...(retryStrategy ? { retryStrategy } : {}),
  };
}

function eks(region: string, options?: ClientOptions): EKSClient {
  const client = new EKSClient(config(region, options));
  clients.push(client);
  return client;
}

function ec2(region: string, options?: ClientOptions): EC2Client {
  const client = new EC2Client(config(region, options));
  clients.push(client);
  return client;
}

const describeCluster = (region: string, name: string) =>
  eks(region).send(new DescribeClusterCommand({ name }));

async function regionNames(input: DescribeRegionsCommandInput): Promise<string[]> {
  const out = await ec2('us-east-1').send(new DescribeRegionsCommand(input));
  return (out.Regions ?? []).map((r) => r.RegionName ?? '').sort();
}

beforeAll(async () => {
  emulator = await startEmulator({ fixture, seed: 7 });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await emulator.close();
});

describe('EKS ListClusters pagination', () => {
  const region = 'ap-southeast-1';

  it('returns 100 names by default, then the last 5 through nextToken', async () => {
    const client = eks(region);
    const first = await client.send(new ListClustersCommand({}));
    expect(first.clusters).toHaveLength(100);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await client.send(new ListClustersCommand({ nextToken: first.nextToken }));
    expect(second.clusters).toEqual(['bulk-101', 'bulk-102', 'bulk-103', 'bulk-104', 'bulk-105']);
    expect(second.nextToken).toBeUndefined();
  });

  it('visits every cluster exactly once through paginateListClusters with pageSize 7', async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListClusters({ client: eks(region), pageSize: 7 }, {})) {
      pages += 1;
      expect(page.clusters?.length).toBeLessThanOrEqual(7);
      names.push(...(page.clusters ?? []));
    }
    expect(pages).toBe(15);
    expect(names).toHaveLength(105);
    expect(new Set(names)).toEqual(new Set(Array.from({ length: 105 }, (_, i) => `bulk-${i + 1}`)));
  });

  it.each([0, 101])('rejects maxResults %i with InvalidParameterException 400', async (max) => {
    const error = await failure(eks(region).send(new ListClustersCommand({ maxResults: max })));
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });

  it('rejects a garbage nextToken', async () => {
    const error = await failure(
      eks(region).send(new ListClustersCommand({ nextToken: 'not-a-token' })),
    );
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });

  it('rejects a nextToken issued in another region', async () => {
    const first = await eks(region).send(new ListClustersCommand({ maxResults: 1 }));
    expect(first.nextToken).toBeDefined();
    const error = await failure(
      eks('us-east-1').send(new ListClustersCommand({ nextToken: first.nextToken })),
    );
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });
});

describe('EKS DescribeCluster', () => {
  it('answers in the AWS shape, with AWS defaults for what the fixture omits', async () => {
    const { cluster } = await describeCluster('us-east-1', 'prod');
    expect(cluster?.name).toBe('prod');
    expect(cluster?.arn).toBe(`arn:aws:eks:us-east-1:${ACCOUNT}:cluster/prod`);
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    expect(cluster?.createdAt?.toISOString()).toBe('2024-03-04T05:06:07.000Z');
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.resourcesVpcConfig).toMatchObject({
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
      vpcId: expect.stringMatching(/^vpc-[0-9a-f]+$/) as unknown,
      clusterSecurityGroupId: expect.stringMatching(/^sg-[0-9a-f]+$/) as unknown,
    });
    expect(cluster?.resourcesVpcConfig?.subnetIds?.length).toBeGreaterThan(0);
  });

  it('keeps the fixture values it was given', async () => {
    const { cluster } = await describeCluster('eu-west-1', 'shared');
    expect(cluster?.resourcesVpcConfig).toMatchObject({
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
    });
  });

  it('answers a missing cluster with ResourceNotFoundException 404', async () => {
    const error = await failure(describeCluster('us-east-1', 'nope'));
    expect(error).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'No cluster found for name: nope.',
    });
  });
});

describe('regions from the SigV4 credential scope', () => {
  it('gives the same cluster name its own ARN in each region', async () => {
    const [east, west] = await Promise.all([
      describeCluster('us-east-1', 'shared'),
      describeCluster('eu-west-1', 'shared'),
    ]);
    expect(east.cluster?.arn).toBe(`arn:aws:eks:us-east-1:${ACCOUNT}:cluster/shared`);
    expect(west.cluster?.arn).toBe(`arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/shared`);
    expect(east.cluster?.resourcesVpcConfig?.vpcId).toBe('vpc-0dns');
  });

  it.each([
    ['not opted in', DISABLED],
    ['not in the fixture', UNKNOWN],
  ])('rejects a region %s: EKS 403 UnrecognizedClientException', async (_why, region) => {
    const error = await failure(eks(region).send(new ListClustersCommand({})));
    expect(error).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
  });

  it.each([
    ['not opted in', DISABLED],
    ['not in the fixture', UNKNOWN],
  ])('rejects a region %s: EC2 401 AuthFailure', async (_why, region) => {
    const error = await failure(ec2(region).send(new DescribeRegionsCommand({})));
    expect(error).toMatchObject({ name: 'AuthFailure', status: 401 });
  });
});

describe('unsigned requests', () => {
  it('EKS: 403 MissingAuthenticationTokenException with a JSON message', async () => {
    const response = await fetch(`${emulator.url}/clusters`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(
      /^MissingAuthenticationTokenException/,
    );
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('EC2: 401 MissingAuthenticationToken in the XML error envelope', async () => {
    const response = await fetch(`${emulator.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=DescribeRegions&Version=2016-11-15',
    });
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(body).toMatch(
      /<Response><Errors><Error><Code>MissingAuthenticationToken<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>/,
    );
  });
});

describe('EC2 DescribeRegions', () => {
  it('lists only enabled regions without AllRegions', async () => {
    expect(await regionNames({})).toEqual([
      'af-south-1',
      'ap-southeast-1',
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('lists every region with its OptInStatus with AllRegions', async () => {
    const out = await ec2('us-east-1').send(new DescribeRegionsCommand({ AllRegions: true }));
    const statuses = Object.fromEntries((out.Regions ?? []).map((r) => [r.RegionName ?? '', r]));
    expect(Object.keys(statuses).sort()).toEqual([
      'af-south-1',
      'ap-southeast-1',
      'eu-west-1',
      'me-south-1',
      'us-east-1',
    ]);
    expect(statuses['us-east-1']).toMatchObject({
      OptInStatus: 'opt-in-not-required',
      Endpoint: 'ec2.us-east-1.amazonaws.com',
    });
    expect(statuses['af-south-1']?.OptInStatus).toBe('opted-in');
    expect(statuses['me-south-1']?.OptInStatus).toBe('not-opted-in');
  });

  it('filters by opt-in-status and region-name', async () => {
    expect(
      await regionNames({
        AllRegions: true,
        Filters: [{ Name: 'opt-in-status', Values: ['opted-in', 'not-opted-in'] }],
      }),
    ).toEqual(['af-south-1', 'me-south-1']);
    expect(
      await regionNames({
        Filters: [{ Name: 'region-name', Values: ['eu-west-1', 'me-south-1'] }],
      }),
    ).toEqual(['eu-west-1']);
  });

  it('rejects an unknown filter name with InvalidParameterValue', async () => {
    const error = await failure(regionNames({ Filters: [{ Name: 'colour', Values: ['blue'] }] }));
    expect(error).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
  });
});

describe('EC2 DescribeVpcAttribute', () => {
  const attribute = (VpcId: string, Attribute: VpcAttributeName) =>
    ec2('us-east-1').send(new DescribeVpcAttributeCommand({ VpcId, Attribute }));

  it('returns the DNS attributes from the fixture', async () => {
    const support = await attribute('vpc-0dns', 'enableDnsSupport');
    expect(support.VpcId).toBe('vpc-0dns');
    expect(support.EnableDnsSupport?.Value).toBe(true);
    const hostnames = await attribute('vpc-0dns', 'enableDnsHostnames');
    expect(hostnames.EnableDnsHostnames?.Value).toBe(false);
  });

  it('answers an unknown VPC with InvalidVpcID.NotFound', async () => {
    const error = await failure(attribute('vpc-0missing', 'enableDnsSupport'));
    expect(error).toMatchObject({ name: 'InvalidVpcID.NotFound', status: 400 });
  });

  it('answers an invalid attribute with InvalidParameterValue', async () => {
    const error = await failure(attribute('vpc-0dns', 'bogus' as VpcAttributeName));
    expect(error).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
  });
});

describe('fault injection', () => {
  const inject = (...rules: FaultRule[]) => emulator.faults.replace(rules);

  beforeEach(() => emulator.stats.injected.clear());
  afterEach(() => emulator.faults.replace([]));

  it('throttles EKS with ThrottlingException 429, which the SDK classifies as throttling', async () => {
    inject({ service: 'eks', throttleRate: 1 });
    const retries = throttleRetries(1);
    const client = eks('us-east-1', { retryStrategy: retries.strategy });
    const error = await failure(client.send(new DescribeClusterCommand({ name: 'prod' })));
    expect(error).toMatchObject({ name: 'ThrottlingException', status: 429 });
    expect(retries.errorTypes).toEqual(['THROTTLING']);
  });

  it('throttles EKS as TooManyRequestsException 429 when told to, which the SDK classifies as throttling', async () => {
    inject({ service: 'eks', throttleRate: 1, throttleAs: 'TooManyRequestsException' });
    const retries = throttleRetries(1);
    const client = eks('us-east-1', { retryStrategy: retries.strategy });
    const error = await failure(client.send(new DescribeClusterCommand({ name: 'prod' })));
    expect(error).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Too Many Requests',
    });
    expect(retries.errorTypes).toEqual(['THROTTLING']);
  });

  it('throttles EC2 with RequestLimitExceeded 503, which the SDK classifies as throttling', async () => {
    inject({ service: 'ec2', throttleRate: 1 });
    const retries = throttleRetries(1);
    const client = ec2('us-east-1', { retryStrategy: retries.strategy });
    const error = await failure(client.send(new DescribeRegionsCommand({})));
    expect(error).toMatchObject({ name: 'RequestLimitExceeded', status: 503 });
    expect(retries.errorTypes).toEqual(['THROTTLING']);
  });

  it('fails with 500 ServerException (EKS) and InternalError (EC2), both transient', async () => {
    inject({ serverErrorRate: 1 });
    const retries = throttleRetries(1);
    const eksClient = eks('us-east-1', { retryStrategy: retries.strategy });
    const ec2Client = ec2('us-east-1', { retryStrategy: retries.strategy });
    expect(
      await failure(eksClient.send(new DescribeClusterCommand({ name: 'prod' }))),
    ).toMatchObject({ name: 'ServerException', status: 500 });
    expect(await failure(ec2Client.send(new DescribeRegionsCommand({})))).toMatchObject({
      name: 'InternalError',
      status: 500,
    });
    expect(retries.errorTypes).toEqual(['TRANSIENT', 'TRANSIENT']);
  });

  it('denies access only in the region the rule names', async () => {
    inject({ region: 'eu-west-1', fail: 'access-denied' });
    const error = await failure(describeCluster('eu-west-1', 'shared'));
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(error.message).toContain('eks:DescribeCluster');
    const east = await describeCluster('us-east-1', 'shared');
    expect(east.cluster?.name).toBe('shared');
  });

  it('delays a call by latencyMs', async () => {
    inject({ latencyMs: 200 });
    const started = performance.now();
    await describeCluster('us-east-1', 'prod');
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('lets an SDK client with 10 attempts retry through a 20% throttle', async () => {
    inject({ service: 'eks', throttleRate: 0.2 });
    const retries = throttleRetries(10);
    const client = eks('us-east-1', {
      maxAttempts: 10,
      maxSockets: 64,
      retryStrategy: retries.strategy,
    });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => client.send(new DescribeClusterCommand({ name: 'prod' }))),
    );
    expect(results.every((r) => r.cluster?.name === 'prod')).toBe(true);
    const throttled = emulator.stats.injected.get('throttle') ?? 0;
    expect(throttled).toBeGreaterThan(0);
    const attempts = results.reduce((sum, r) => sum + (r.$metadata.attempts ?? 1), 0);
    expect(attempts - results.length).toBe(throttled);
    expect(new Set(retries.errorTypes)).toEqual(new Set(['THROTTLING']));
  });
});

describe('concurrency', () => {
  afterEach(() => emulator.faults.replace([]));

  it('serves 200 slow calls at once rather than one after another', async () => {
    emulator.faults.replace([{ latencyMs: 100 }]);
    emulator.stats.maxInFlight = 0;
    const client = eks('us-east-1', { maxSockets: 256 });
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => client.send(new DescribeClusterCommand({ name: 'prod' }))),
    );
    const elapsed = performance.now() - started;
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.cluster?.name === 'prod')).toBe(true);
    expect(emulator.stats.maxInFlight).toBeGreaterThanOrEqual(50);
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe('dual-stack (IPv6) clusters', () => {
  let dual: RunningEmulator;
  let client: EKSClient;

  beforeAll(async () => {
    dual = await startEmulator({
      fixture: {
        regions: {
          'eu-west-1': {
            clusters: [
              { name: 'v4' },
              { name: 'v6', ipFamily: 'ipv6' },
              { name: 'v6-old', ipFamily: 'ipv6', dualStackEndpoint: false },
            ],
          },
        },
      },
      updateDurationMs: 0,
    });
    client = new EKSClient(emulatorClientConfig(dual.url, 'eu-west-1'));
  });

  afterAll(async () => {
    client.destroy();
    await dual.close();
  });

  const clusterNamed = async (name: string) =>
    (await client.send(new DescribeClusterCommand({ name }))).cluster;
  const restrict = (name: string, publicAccessCidrs: string[]) =>
    client.send(
      new UpdateClusterConfigCommand({
        name,
        resourcesVpcConfig: { endpointPrivateAccess: true, publicAccessCidrs },
      }),
    );

  it('describes an IPv6 cluster with its api.aws endpoint, ipFamily ipv6 and 0.0.0.0/0 plus ::/0', async () => {
    const cluster = await clusterNamed('v6');
    expect(cluster?.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.api\.aws$/);
    expect(cluster?.kubernetesNetworkConfig?.ipFamily).toBe('ipv6');
    expect(cluster?.resourcesVpcConfig?.publicAccessCidrs).toEqual(['0.0.0.0/0', '::/0']);
  });

  it('takes IPv6 ranges on a dual-stack cluster, and the cluster then shows them', async () => {
    const { update } = await restrict('v6', ['203.0.113.0/24', '2001:db8::/32']);
    expect(update?.status).toBe('InProgress');
    const cluster = await clusterNamed('v6');
    expect(cluster?.resourcesVpcConfig?.publicAccessCidrs).toEqual([
      '203.0.113.0/24',
      '2001:db8::/32',
    ]);
  });

  it.each([
    ['an IPv4 cluster', 'v4'],
    ['an IPv6 cluster without a dual-stack endpoint', 'v6-old'],
  ])(
    'refuses IPv6 ranges on %s with InvalidParameterException 400, changing nothing',
    async (_, name) => {
      const error = await failure(restrict(name, ['203.0.113.0/24', '2001:db8::/32']));
      expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
      expect(error.message).toContain('[2001:db8::/32]');
      const cluster = await clusterNamed(name);
      expect(cluster?.resourcesVpcConfig?.publicAccessCidrs).toEqual(['0.0.0.0/0']);
      expect(cluster?.status).toBe('ACTIVE');
    },
  );
});
