import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  type Cluster,
  DescribeClusterCommand,
  type EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import fc from 'fast-check';
import { type AwsClients, createAwsClients } from '../../../src/aws/clients.js';
import { slimCluster } from '../../../src/aws/collect-clusters.js';
import { DescribeClusterForScanCommand } from '../../../src/aws/scan-describe-cluster.js';
import { loadFixture } from '../../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { REPO_ROOT } from '../../support/cli.js';
import { rejection } from '../../support/sdk.js';

/**
 * The scan's ListClusters and DescribeCluster take a shorter path than the SDK's middleware stack
 * (src/aws/lean-calls.ts). What a user relies on must not change with it: the same answers, the
 * same errors, the same retries and the same requests on the wire. Each test sends the same call
 * both ways: with no options (the short path) and with options (the SDK's stack).
 */

const REGION = 'us-east-1';

const clientsFor = (url: string, maxAttempts = 3): AwsClients =>
  createAwsClients({
    credentials: () => Promise.resolve({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' }),
    endpoints: { eks: url },
    maxAttempts,
    maxSockets: 4,
    requestTimeoutMs: 5_000,
    connectTimeoutMs: 1_000,
  });

type Send = (
  eks: EKSClient,
  command: ListClustersCommand | DescribeClusterCommand,
) => Promise<unknown>;
const lean: Send = (eks, command) => eks.send(command as DescribeClusterCommand);
const throughStack: Send = (eks, command) => eks.send(command as DescribeClusterCommand, {});

/** An answer without what differs from call to call (request id, retry delay). */
function answerOf(output: unknown) {
  const { $metadata, ...data } = output as { $metadata: Record<string, unknown> };
  return { data, status: $metadata['httpStatusCode'], attempts: $metadata['attempts'] };
}

describe('the scan calls take a short path with the same answers, errors and retries', () => {
  let emulator: RunningEmulator;
  let clients: AwsClients;

  beforeAll(async () => {
    emulator = await startEmulator({
      fixture: await loadFixture(join(REPO_ROOT, 'fixtures', 'demo.json')),
      faults: [
        { operation: 'DescribeCluster', cluster: 'payments-prod', throttleRate: 1 },
        { operation: 'DescribeCluster', cluster: 'data-lake', fail: 'server-error' },
      ],
    });
    clients = clientsFor(emulator.url);
  });
  afterAll(async () => {
    clients.destroy();
    await emulator.close();
  });

  const callsTo = (operation: string) =>
    [...emulator.stats.calls]
      .filter(([key]) => key.includes(operation))
      .reduce((n, [, c]) => n + c, 0);

  it('lists and describes every cluster as the SDK does, dates as dates', async () => {
    const eks = clients.eks(REGION);
    const listed = await lean(eks, new ListClustersCommand({ maxResults: 2 }));
    expect(answerOf(listed)).toEqual(
      answerOf(await throughStack(eks, new ListClustersCommand({ maxResults: 2 }))),
    );
    const page = listed as { clusters: string[]; nextToken?: string };
    expect(page.clusters).toHaveLength(2);
    expect(page.nextToken).toBeDefined();

    const all = (await lean(eks, new ListClustersCommand({}))) as { clusters: string[] };
    const described = all.clusters.filter(
      (name) => name !== 'payments-prod' && name !== 'data-lake',
    );
    expect(described.length).toBeGreaterThanOrEqual(3);
    for (const name of described) {
      const short = await lean(eks, new DescribeClusterCommand({ name }));
      const stack = await throughStack(eks, new DescribeClusterCommand({ name }));
      expect(answerOf(short)).toEqual(answerOf(stack));
      const cluster = (short as { cluster: { name: string; createdAt: unknown } }).cluster;
      expect(cluster.name).toBe(name);
      expect(cluster.createdAt).toBeInstanceOf(Date);
    }
  });

  it("throws the SDK's own modeled exception for a cluster that does not exist", async () => {
    const eks = clients.eks(REGION);
    const short = await rejection(
      lean(eks, new DescribeClusterCommand({ name: 'no-such-cluster' })),
    );
    const stack = await rejection(
      throughStack(eks, new DescribeClusterCommand({ name: 'no-such-cluster' })),
    );
    expect(short).toBeInstanceOf(ResourceNotFoundException);
    for (const error of [short, stack]) {
      expect(error).toMatchObject({ name: 'ResourceNotFoundException', $fault: 'client' });
      expect(error.$metadata).toMatchObject({ httpStatusCode: 404, attempts: 1 });
    }
    expect(short.message).toBe(stack.message);
  });

  it.each([
    ['a throttled call', 'payments-prod', 'ThrottlingException', 429],
    ['a server error', 'data-lake', 'ServerException', 500],
  ])(
    'retries %s within maxAttempts, as the SDK does, then gives up',
    async (_, name, code, status) => {
      for (const send of [lean, throughStack]) {
        const before = callsTo('DescribeCluster');
        const error = await rejection(
          send(clients.eks(REGION), new DescribeClusterCommand({ name })),
        );
        expect(error).toMatchObject({ name: code });
        expect(error.$metadata).toMatchObject({ httpStatusCode: status, attempts: 3 });
        expect(callsTo('DescribeCluster') - before).toBe(3);
      }
    },
  );
});

interface Seen {
  readonly headers: http.IncomingHttpHeaders;
  readonly url: string | undefined;
}

/** A server that records each request and answers as `answer` says for the n-th one. */
async function recorder(answer: (seen: Seen, n: number, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const request = { headers: req.headers, url: req.url };
      seen.push(request);
      answer(request, seen.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const CLUSTER = JSON.stringify({ cluster: { name: 'c', createdAt: 1.7e9, status: 'ACTIVE' } });
const ok = (res: http.ServerResponse, headers: http.OutgoingHttpHeaders = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(CLUSTER);
};

describe('the short path sends the request the SDK sends', () => {
  it('fails an answer that is not JSON as the SDK does, and retries it as a server error', async () => {
    const server = await recorder((_, __, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
    });
    const clients = clientsFor(server.url, 2);
    try {
      const eks = clients.eks(REGION);
      const short = await rejection(lean(eks, new DescribeClusterCommand({ name: 'c' })));
      const stack = await rejection(throughStack(eks, new DescribeClusterCommand({ name: 'c' })));
      expect(short.name).toBe(stack.name);
      expect(short.message).toBe(stack.message);
      // Everything but the retry's random backoff.
      const metadata = { ...stack.$metadata, totalRetryDelay: expect.any(Number) as unknown };
      expect(short.$metadata).toMatchObject(metadata);
      expect(short.$metadata).toMatchObject({ httpStatusCode: 502, attempts: 2 });
    } finally {
      clients.destroy();
      await server.close();
    }
    expect(server.seen).toHaveLength(4);
  });

  it.each([
    ['', 'prod-eu', '/clusters/prod-eu'],
    ['', 'ünïcode $&1 ?#', '/clusters/%C3%BCn%C3%AFcode%20%24%261%20%3F%23'],
    ['/base', 'prod-eu', '/base/clusters/prod-eu'],
  ])('to an endpoint with path "%s", for cluster "%s": %s', async (basePath, name, expected) => {
    const server = await recorder((_, __, res) => ok(res));
    const clients = clientsFor(server.url + basePath);
    try {
      const eks = clients.eks(REGION);
      // Twice each way: the first short call builds the template the second one copies.
      for (const send of [lean, lean, throughStack])
        await send(eks, new DescribeClusterCommand({ name }));
    } finally {
      clients.destroy();
      await server.close();
    }
    // The SDK's stack sent the third: the short path's two are the same request.
    expect(server.seen.map((seen) => seen.url)).toEqual([expected, expected, expected]);
  });

  it('with the same headers, path and signature scope', async () => {
    const server = await recorder((_, __, res) => ok(res));
    const clients = clientsFor(server.url);
    try {
      const eks = clients.eks('eu-west-3');
      await lean(eks, new DescribeClusterCommand({ name: "odd name/../(x)'" }));
      await throughStack(eks, new DescribeClusterCommand({ name: "odd name/../(x)'" }));
    } finally {
      clients.destroy();
      await server.close();
    }
    const [short, stack] = server.seen;
    expect(short!.url).toBe(stack!.url);
    expect(short!.url).toBe('/clusters/odd%20name%2F..%2F%28x%29%27');
    expect(Object.keys(short!.headers).sort()).toEqual(Object.keys(stack!.headers).sort());
    for (const header of ['host', 'user-agent', 'x-amz-user-agent', 'amz-sdk-request']) {
      expect(short!.headers[header]).toBe(stack!.headers[header]);
    }
    expect(short!.headers['user-agent']).toContain('lib/eksposure');
    expect(short!.headers['amz-sdk-request']).toBe('attempt=1; max=3');
    expect(short!.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/\d{8}\/eu-west-3\/eks\/aws4_request, /,
    );
    expect(short!.headers['amz-sdk-invocation-id']).not.toBe(
      stack!.headers['amz-sdk-invocation-id'],
    );
  });

  it("corrects its clock from the server's Date when AWS says the signature expired, and retries", async () => {
    const serverNow = Date.now() + 60 * 60 * 1000;
    const dateHeader = new Date(serverNow).toUTCString();
    const server = await recorder((seen, n, res) => {
      const signedAt = Date.parse(
        String(seen.headers['x-amz-date']).replace(
          /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/,
          '$1-$2-$3T$4:$5:$6Z',
        ),
      );
      if (Math.abs(signedAt - serverNow) > 5 * 60 * 1000) {
        res.writeHead(403, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'InvalidSignatureException',
          date: dateHeader,
        });
        res.end(
          JSON.stringify({
            message: `Signature expired: request ${n} is now earlier than the server's time`,
          }),
        );
      } else ok(res, { date: dateHeader });
    });
    const clients = clientsFor(server.url);
    try {
      const answer = await lean(clients.eks(REGION), new DescribeClusterCommand({ name: 'c' }));
      expect(answer).toMatchObject({ cluster: { name: 'c' }, $metadata: { attempts: 2 } });
      // The next call is signed with the corrected clock at once.
      await lean(clients.eks(REGION), new DescribeClusterCommand({ name: 'c' }));
    } finally {
      clients.destroy();
      await server.close();
    }
    expect(server.seen).toHaveLength(3);
  });
});

describe('what comes before each attempt', () => {
  it('asks a failing credential source once per call, and does not retry or count it as EKS', async () => {
    const server = await recorder((_, __, res) => ok(res));
    let asked = 0;
    const stsThrottled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400, attempts: 10 },
    });
    const outcomes: string[] = [];
    const clients = createAwsClients({
      credentials: () => {
        asked += 1;
        return Promise.reject(stsThrottled);
      },
      endpoints: { eks: server.url },
      maxAttempts: 3,
      maxSockets: 4,
      requestTimeoutMs: 5_000,
      connectTimeoutMs: 1_000,
      pacer: {
        lane: () => ({ take: () => undefined, record: (o) => void outcomes.push(o.kind) }),
      },
    });
    try {
      for (const send of [lean, throughStack]) {
        const before = asked;
        const error = await rejection(
          send(clients.eks(REGION), new DescribeClusterCommand({ name: 'c' })),
        );
        expect(error).toBe(stsThrottled);
        expect(error.$metadata).toEqual({ httpStatusCode: 400, attempts: 10 });
        expect(asked - before).toBe(1);
      }
    } finally {
      clients.destroy();
      await server.close();
    }
    expect(server.seen).toHaveLength(0);
    expect(outcomes).toEqual([]);
  });

  it('signs an attempt after it has waited for pacing, not before', async () => {
    const server = await recorder((_, __, res) => ok(res));
    const tenMinutes = 10 * 60 * 1000;
    let eks: EKSClient | undefined;
    const clients = createAwsClients({
      credentials: () => Promise.resolve({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' }),
      endpoints: { eks: server.url },
      maxAttempts: 1,
      maxSockets: 4,
      requestTimeoutMs: 5_000,
      connectTimeoutMs: 1_000,
      pacer: {
        // The wait for a token "lasts" ten minutes: the client's clock moves while it waits.
        lane: () => ({
          take: () =>
            Promise.resolve().then(() => {
              const config = eks!.config as { systemClockOffset: number };
              config.systemClockOffset += tenMinutes;
            }),
          record: () => undefined,
        }),
      },
    });
    const amzDate = (seen: Seen) =>
      Date.parse(
        String(seen.headers['x-amz-date']).replace(
          /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/,
          '$1-$2-$3T$4:$5:$6Z',
        ),
      );
    try {
      eks = clients.eks(REGION);
      const sentAt = Date.now();
      await lean(eks, new DescribeClusterCommand({ name: 'c' }));
      await throughStack(eks, new DescribeClusterCommand({ name: 'c' }));
      const [short, stack] = server.seen.map(amzDate);
      // Each attempt carries the clock as it was after its wait. (The server's Date, an answer
      // later, puts the clock back: the second call's wait moves it from there again.)
      for (const signedAt of [short!, stack!]) {
        expect(Math.abs(signedAt - sentAt - tenMinutes)).toBeLessThan(60_000);
      }
    } finally {
      clients.destroy();
      await server.close();
    }
  });
});

describe("the scan's DescribeCluster reads only what the scan keeps, as the SDK would have read it", () => {
  const member = fc.oneof(
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.integer(),
    fc.array(fc.oneof(fc.string(), fc.constant(null))),
    fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(null))),
  );
  const struct = (members: string[]) =>
    fc.oneof(
      fc.record(Object.fromEntries([...members, '__type'].map((m) => [m, member])), {
        requiredKeys: [],
      }),
      member,
    );
  const cluster = fc.record(
    {
      name: member,
      arn: member,
      status: member,
      version: member,
      endpoint: member,
      tags: member,
      createdAt: fc.oneof(fc.integer({ min: 0, max: 2e9 }), member),
      resourcesVpcConfig: struct([
        'vpcId',
        'endpointPublicAccess',
        'endpointPrivateAccess',
        'publicAccessCidrs',
        'subnetIds',
      ]),
      kubernetesNetworkConfig: struct(['ipFamily', 'serviceIpv4Cidr']),
      certificateAuthority: struct(['data']),
      logging: member,
      connectorConfig: fc.oneof(
        fc.record({ activationExpiry: fc.oneof(fc.integer(), member) }, { requiredKeys: [] }),
        member,
      ),
      __type: fc.oneof(fc.constant('Cluster'), member),
      somethingNew: member,
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ cluster: fc.oneof(cluster, member) }).map((b) => JSON.stringify(b)),
    },
    { weight: 1, arbitrary: fc.json() },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'null', '[]', '\uFEFF{"cluster":{"name":"c"}}', '{"cluster":'),
    },
  );

  it('for any answer: the same record, or the same error', async () => {
    let next = '';
    const server = await recorder((_, __, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(next);
    });
    const clients = clientsFor(server.url, 1);
    const outcome = async (call: Promise<unknown>, keep: boolean) => {
      try {
        const { cluster } = (await call) as { cluster?: Cluster };
        return { record: cluster === undefined ? undefined : slimCluster(cluster, keep) };
      } catch (error) {
        const { name, message } = error as Error;
        return { error: { name, message } };
      }
    };
    try {
      const eks = clients.eks(REGION);
      await fc.assert(
        fc.asyncProperty(body, fc.boolean(), async (answer, keep) => {
          next = answer;
          const short = await outcome(
            lean(eks, new DescribeClusterForScanCommand({ name: 'c' })),
            keep,
          );
          const stack = await outcome(
            throughStack(eks, new DescribeClusterCommand({ name: 'c' })),
            keep,
          );
          expect(short).toEqual(stack);
        }),
        { numRuns: 150 },
      );
    } finally {
      clients.destroy();
      await server.close();
    }
  });

  it('keeps no member the scan does not read', async () => {
    const server = await recorder((_, __, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' });
      res.end(
        JSON.stringify({
          cluster: {
            name: 'c',
            createdAt: 1.7e9,
            resourcesVpcConfig: { endpointPublicAccess: true, subnetIds: ['s'] },
            roleArn: 'arn:aws:iam::123456789012:role/eks',
          },
        }),
      );
    });
    const clients = clientsFor(server.url);
    try {
      const answer = await lean(
        clients.eks(REGION),
        new DescribeClusterForScanCommand({ name: 'c' }),
      );
      expect(answer).toEqual({
        cluster: { name: 'c', resourcesVpcConfig: { endpointPublicAccess: true } },
        $metadata: expect.objectContaining({
          httpStatusCode: 200,
          requestId: 'req-1',
          attempts: 1,
        }) as unknown,
      });
    } finally {
      clients.destroy();
      await server.close();
    }
  });
});
