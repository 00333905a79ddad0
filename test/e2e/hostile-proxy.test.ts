import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type HostileProxy, startHostileProxy } from '../support/hostile-proxy.js';
import { emulatorClientConfig, failure } from '../support/sdk.js';

/** The proxy the fault tests stand on: each fault does what it says to a real SDK client. */
const fixture: Fixture = {
  regions: { 'us-east-1': { clusters: [{ name: 'a' }, { name: 'b' }] } },
};

const describeA = new DescribeClusterCommand({ name: 'a' });

let emulator: RunningEmulator;
let proxy: HostileProxy;
const clients: { destroy(): void }[] = [];

const eks = (requestTimeout?: number) => {
  const client = new EKSClient({
    ...emulatorClientConfig(proxy.url, 'us-east-1'),
    ...(requestTimeout ? { requestHandler: { requestTimeout, throwOnRequestTimeout: true } } : {}),
  });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  emulator = await startEmulator({ fixture });
  proxy = await startHostileProxy(emulator.url);
});
afterEach(() => {
  proxy.setRules([]);
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

describe('hostile proxy', () => {
  it('forwards calls untouched when no rule matches, and counts them', async () => {
    const answer = await eks().send(new ListClustersCommand({}));
    expect(answer.clusters).toEqual(['a', 'b']);
    expect(proxy.calls('ListClusters')).toBeGreaterThanOrEqual(1);
  });

  it('hangs, or stalls after the headers, until the client gives up', async () => {
    proxy.setRules([{ operation: 'DescribeCluster', fault: 'hang' }]);
    expect((await failure(eks(300).send(describeA))).name).toBe('TimeoutError');
    proxy.setRules([{ operation: 'DescribeCluster', fault: 'stall-after-headers' }]);
    const stalled = eks().send(describeA, { abortSignal: AbortSignal.timeout(300) });
    expect((await failure(stalled)).name).toBe('AbortError');
  });

  it('answers HTML or nothing with a 200', async () => {
    proxy.setRules([{ operation: 'DescribeRegions', fault: 'empty' }]);
    const ec2 = new EC2Client(emulatorClientConfig(proxy.url, 'us-east-1'));
    clients.push(ec2);
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions).toBeUndefined();
    proxy.setRules([{ operation: 'ListClusters', fault: 'html' }]);
    const listed = await eks()
      .send(new ListClustersCommand({}))
      .then(
        (a) => a.clusters,
        (e: Error) => e.name,
      );
    expect(listed).not.toEqual(['a', 'b']);
  });

  it('loops the pagination token, and repeats the same names under new tokens', async () => {
    proxy.setRules([{ operation: 'ListClusters', fault: 'loop-token' }]);
    const first = await eks().send(new ListClustersCommand({}));
    const second = await eks().send(new ListClustersCommand({ nextToken: first.nextToken }));
    expect(second.nextToken).toBe(first.nextToken);
    expect(second.clusters).toEqual(['a', 'b']);

    proxy.setRules([{ operation: 'ListClusters', fault: 'repeat-names' }]);
    const p1 = await eks().send(new ListClustersCommand({}));
    const p2 = await eks().send(new ListClustersCommand({ nextToken: p1.nextToken }));
    expect(p2.clusters).toEqual(p1.clusters);
    expect(p2.nextToken).not.toBe(p1.nextToken);
  });

  it('resets the connection, and cuts an answer after the emulator acted on it', async () => {
    proxy.setRules([{ operation: 'DescribeCluster', fault: 'reset', times: 1 }]);
    const client = new EKSClient(emulatorClientConfig(proxy.url, 'us-east-1', 1));
    clients.push(client);
    expect((await failure(client.send(new DescribeClusterCommand({ name: 'a' })))).name).not.toBe(
      'ResourceNotFoundException',
    );
    const before = emulator.stats.calls.get('eks:DescribeCluster') ?? 0;
    proxy.setRules([{ operation: 'DescribeCluster', fault: 'truncate', times: 1 }]);
    await failure(client.send(new DescribeClusterCommand({ name: 'a' })));
    expect(emulator.stats.calls.get('eks:DescribeCluster')).toBe(before + 1);
  });

  it('trickles the real answer a byte at a time', async () => {
    proxy.setRules([{ operation: 'DescribeCluster', fault: 'trickle', times: 1 }]);
    const trickled = eks().send(describeA, { abortSignal: AbortSignal.timeout(500) });
    expect((await failure(trickled)).name).toBe('AbortError');
    expect(emulator.stats.calls.get('eks:DescribeCluster')).toBeGreaterThanOrEqual(1);
  });
});
