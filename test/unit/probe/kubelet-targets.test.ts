import type { IpPermission } from '@aws-sdk/client-ec2';
import type { NodeInstance, RegionNodes } from '../../../src/model/nodes.js';
import type { AccountScanResult } from '../../../src/model/scan.js';
import { kubeletTargets } from '../../../src/probe/kubelet-targets.js';

const REGION = 'eu-west-1';
const ARN = `arn:aws:eks:${REGION}:123456789012:cluster/prod`;

function scanWith(permissions: IpPermission[], instance: Partial<NodeInstance>): AccountScanResult {
  const nodes: RegionNodes = {
    ok: true,
    instances: [
      {
        instanceId: 'i-00000000000000001',
        state: 'running',
        tags: { 'eks:cluster-name': 'prod' },
        publicIpv4: '198.51.100.5',
        privateIpv4: '10.0.0.5',
        ipv6Addresses: ['2600:1f18::5'],
        securityGroupIds: ['sg-1'],
        ...instance,
      },
    ],
    securityGroups: new Map([['sg-1', { GroupId: 'sg-1', IpPermissions: permissions }]]),
    prefixLists: new Map(),
    calls: 2,
  };
  return {
    target: { accountId: '123456789012', name: null, roleArn: null },
    ok: true,
    optInStatus: new Map(),
    skipped: [],
    scans: [
      {
        region: REGION,
        error: undefined,
        nodes,
        clusters: [{ name: 'prod', ok: true, cluster: { name: 'prod', arn: ARN } }],
      },
    ],
  };
}

describe('which kubelets audit --probe knocks on', () => {
  it('only the addresses and ports the internet reaches: 10250 on IPv6 here, not the IPv4 address open on 22', () => {
    const scan = scanWith(
      [
        { IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
      {},
    );
    expect(kubeletTargets([scan]).map((t) => [t.cluster, t.target.address, t.target.port])).toEqual(
      [[ARN, '2600:1f18::5', 10250]],
    );
  });

  it('both kubelet ports when an all-traffic rule opens them, and nothing for a private node', () => {
    const all = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    expect(
      kubeletTargets([scanWith(all, { ipv6Addresses: [] })]).map((t) => t.target.port),
    ).toEqual([10250, 10255]);
    expect(kubeletTargets([scanWith(all, { publicIpv4: null, ipv6Addresses: [] })])).toEqual([]);
  });
});
