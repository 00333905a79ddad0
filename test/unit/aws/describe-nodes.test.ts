import type { EC2Client } from '@aws-sdk/client-ec2';
import { describeRegionNodes, nodeTagKeys, slimInstance } from '../../../src/aws/describe-nodes.js';

/** An EC2 client that answers each command by its name from `pages` (one answer per call, in turn). */
function fakeEc2(pages: Record<string, (input: Record<string, unknown>) => unknown>) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push({ name, input: command.input });
      const answer = pages[name];
      if (!answer) return Promise.reject(new Error(`unexpected ${name}`));
      try {
        return Promise.resolve(answer(command.input));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  } as unknown as EC2Client;
  return { client, sent };
}

const instance = (id: string, tags: Record<string, string>) => ({
  InstanceId: id,
  State: { Name: 'running' as const },
  Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  PrivateIpAddress: '10.0.0.1',
  NetworkInterfaces: [
    {
      Groups: [{ GroupId: 'sg-1' }],
      Ipv6Addresses: [{ Ipv6Address: '2001:db8::1' }],
      Association: { PublicIp: '203.0.113.1' },
    },
  ],
});

describe('describeRegionNodes', () => {
  it('asks one tag-key filter for every cluster, follows pages, then reads groups and prefix lists', async () => {
    const { client, sent } = fakeEc2({
      DescribeInstances: (input) =>
        input['NextToken']
          ? { Reservations: [{ Instances: [instance('i-2', { 'eks:cluster-name': 'b' })] }] }
          : {
              Reservations: [
                { Instances: [instance('i-1', { 'kubernetes.io/cluster/a': 'owned', team: 'x' })] },
              ],
              NextToken: 't1',
            },
      DescribeSecurityGroups: () => ({
        SecurityGroups: [
          {
            GroupId: 'sg-1',
            IpPermissions: [{ IpProtocol: 'tcp', PrefixListIds: [{ PrefixListId: 'pl-1' }] }],
          },
        ],
      }),
      GetManagedPrefixListEntries: () => {
        throw Object.assign(new Error('not allowed'), { name: 'UnauthorizedOperation' });
      },
    });
    const nodes = await describeRegionNodes(client, ['a', 'b'], undefined);
    expect(sent.map((s) => s.name)).toEqual([
      'DescribeInstances',
      'DescribeInstances',
      'DescribeSecurityGroups',
      'GetManagedPrefixListEntries',
    ]);
    expect(sent[0]?.input['Filters']).toEqual([
      { Name: 'tag-key', Values: nodeTagKeys(['a', 'b']) },
      { Name: 'instance-state-name', Values: ['running', 'pending'] },
    ]);
    expect(sent[2]?.input['GroupIds']).toEqual(['sg-1']);
    if (!nodes.ok) throw new Error('expected nodes');
    expect(nodes.calls).toBe(4);
    expect(nodes.instances.map((i) => i.instanceId)).toEqual(['i-1', 'i-2']);
    expect(nodes.prefixLists.get('pl-1')).toMatchObject({
      ok: false,
      error: { code: 'UnauthorizedOperation' },
    });
  });

  it('stops on a page token seen before, as an error value', async () => {
    const { client } = fakeEc2({
      DescribeInstances: () => ({ Reservations: [], NextToken: 'same' }),
    });
    expect(await describeRegionNodes(client, ['a'], undefined)).toMatchObject({
      ok: false,
      error: { code: 'PaginationLoop' },
    });
  });

  it('keeps only the cluster tags, the public addresses and the groups of an instance', () => {
    expect(slimInstance(instance('i-1', { 'eks:cluster-name': 'a', Name: 'n' }))).toEqual({
      instanceId: 'i-1',
      state: 'running',
      tags: { 'eks:cluster-name': 'a' },
      publicIpv4: '203.0.113.1',
      privateIpv4: '10.0.0.1',
      ipv6Addresses: ['2001:db8::1'],
      securityGroupIds: ['sg-1'],
    });
  });
});
