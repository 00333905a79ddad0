import type { IpPermission } from '@aws-sdk/client-ec2';
import {
  check,
  EXPOSED_NODES_SHOWN,
  remediationCommands,
} from '../../../src/rules/eks-003-node-exposure.js';
import type {
  ExposedNode,
  ExposingRule,
  NodeInstance,
  PrefixListEntries,
  RegionNodes,
} from '../../../src/model/nodes.js';
import type { RuleContext } from '../../../src/rules/types.js';

const REGION = 'eu-west-1';
const cluster = { name: 'prod', arn: `arn:aws:eks:${REGION}:123456789012:cluster/prod` };

const node = (over: Partial<NodeInstance> = {}): NodeInstance => ({
  instanceId: 'i-00000000000000001',
  state: 'running',
  tags: { 'eks:cluster-name': 'prod' },
  publicIpv4: '203.0.113.5',
  privateIpv4: '10.0.0.5',
  ipv6Addresses: [],
  securityGroupIds: ['sg-1'],
  ...over,
});

function context(
  permissions: IpPermission[],
  nodes: NodeInstance[] = [node()],
  prefixLists: [string, PrefixListEntries][] = [],
): RuleContext {
  const facts: RegionNodes = {
    ok: true,
    instances: nodes,
    securityGroups: new Map([['sg-1', { GroupId: 'sg-1', IpPermissions: permissions }]]),
    prefixLists: new Map(prefixLists),
    calls: 2,
  };
  return { approvedCidrs: null, nodes: { region: REGION, facts } };
}

const tcp = (from: number, to: number, cidrs: string[], v6: string[] = []): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: from,
  ToPort: to,
  IpRanges: cidrs.map((CidrIp) => ({ CidrIp })),
  Ipv6Ranges: v6.map((CidrIpv6) => ({ CidrIpv6 })),
});

const exposed = (ctx: RuleContext) =>
  ((check(cluster, ctx).evidence as { exposedNodes?: ExposedNode[] }).exposedNodes ?? []).map((n) =>
    n.ports.map((p) => p.service),
  );

describe('EKS-003 configured exposure of nodes', () => {
  it('passes a node whose only IPv6 address is a unique local one (fc00::/7), open to ::/0', () => {
    const ula = node({ publicIpv4: null, ipv6Addresses: ['fd00:ec2::10'] });
    const all = { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] };
    expect(check(cluster, context([all], [ula])).status).toBe('PASS');
  });

  it("judges each network interface through its own groups: a pods' interface open to all does not open the node's public address", () => {
    const pods = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    const twoInterfaces = node({
      securityGroupIds: ['sg-1', 'sg-pods'],
      interfaces: [
        { publicIpv4s: ['203.0.113.5'], ipv6Addresses: [], securityGroupIds: ['sg-1'] },
        { publicIpv4s: [], ipv6Addresses: [], securityGroupIds: ['sg-pods'] },
      ],
    });
    const ctx = context([tcp(443, 443, ['0.0.0.0/0'])], [twoInterfaces]);
    const withPods: RuleContext = {
      ...ctx,
      nodes: {
        region: REGION,
        facts: {
          ...(ctx.nodes!.facts as Extract<RegionNodes, { ok: true }>),
          securityGroups: new Map([
            ['sg-1', { GroupId: 'sg-1', IpPermissions: [tcp(443, 443, ['0.0.0.0/0'])] }],
            ['sg-pods', { GroupId: 'sg-pods', IpPermissions: [pods] }],
          ]),
        },
      },
    };
    expect(check(cluster, withPods).status).toBe('PASS');
  });

  it('says on which address families each port is open', () => {
    const dual = node({ ipv6Addresses: ['2600:1f18::5'] });
    const ctx = context([tcp(10250, 10250, [], ['::/0']), tcp(22, 22, ['0.0.0.0/0'])], [dual]);
    const ports = (check(cluster, ctx).evidence as { exposedNodes: ExposedNode[] }).exposedNodes[0]
      ?.ports;
    expect(ports?.map((p) => [p.service, p.families])).toEqual([
      ['kubelet', [6]],
      ['ssh', [4]],
    ]);
  });

  it('fails the kubelet open to 0.0.0.0/0, high', () => {
    const result = check(cluster, context([tcp(10250, 10250, ['0.0.0.0/0'])]));
    expect(result).toMatchObject({ status: 'FAIL', severity: 'high' });
    expect(result.message).toContain('i-00000000000000001 (10250 kubelet)');
  });

  it('fails an all-traffic rule (-1) on every sensitive port, severity the worst', () => {
    const result = check(
      cluster,
      context([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]),
    );
    expect(result.severity).toBe('high');
    expect(exposed(context([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]))).toEqual([
      [
        'kubelet',
        'kubelet-read-only',
        'etcd',
        'insecure-api',
        'kube-proxy-health',
        'ssh',
        'nodeport',
      ],
    ]);
  });

  it('fails a range that covers a port, and judges by the worst port it covers', () => {
    expect(exposed(context([tcp(10000, 10300, ['0.0.0.0/0'])]))).toEqual([
      ['kubelet', 'kubelet-read-only', 'kube-proxy-health'],
    ]);
    expect(check(cluster, context([tcp(22, 22, ['0.0.0.0/0'])])).severity).toBe('medium');
    expect(check(cluster, context([tcp(31000, 31000, ['0.0.0.0/0'])])).severity).toBe('low');
  });

  it('ignores UDP and ports no rule covers', () => {
    const udp: IpPermission = { ...tcp(10250, 10250, ['0.0.0.0/0']), IpProtocol: 'udp' };
    expect(check(cluster, context([udp, tcp(443, 443, ['0.0.0.0/0'])])).status).toBe('PASS');
  });

  it('fails blocks adding up to the whole internet, across rules', () => {
    const ctx = context([tcp(10250, 10250, ['0.0.0.0/1']), tcp(10000, 11000, ['128.0.0.0/1'])]);
    expect(check(cluster, ctx).status).toBe('FAIL');
    expect(check(cluster, context([tcp(10250, 10250, ['0.0.0.0/1'])])).status).toBe('PASS');
  });

  it('judges IPv6 rules only for nodes with an IPv6 address, and says routes matter', () => {
    const open6 = [tcp(10255, 10255, [], ['::/0'])];
    expect(check(cluster, context(open6)).status).toBe('PASS');
    const v6node = node({ publicIpv4: null, ipv6Addresses: ['2001:db8::5'] });
    const result = check(cluster, context(open6, [v6node]));
    expect(result.status).toBe('FAIL');
    expect(result.evidence).toMatchObject({
      exposedNodes: [{ addresses: [{ address: '2001:db8::5', family: 6 }] }],
      ipv6Note: expect.stringContaining('route'),
    });
    // An IPv4 rule does not reach a node that only has IPv6.
    expect(check(cluster, context([tcp(10250, 10250, ['0.0.0.0/0'])], [v6node])).status).toBe(
      'PASS',
    );
  });

  it('does not count referenced security groups as the internet', () => {
    const ref: IpPermission = {
      IpProtocol: '-1',
      UserIdGroupPairs: [{ GroupId: 'sg-2', UserId: '123456789012' }],
    };
    expect(check(cluster, context([ref])).status).toBe('PASS');
  });

  it('resolves prefix lists, and reports the ones it could not read as not judged', () => {
    const viaList: IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 10250,
      ToPort: 10250,
      PrefixListIds: [{ PrefixListId: 'pl-1' }],
    };
    const open = context([viaList], undefined, [['pl-1', { ok: true, cidrs: ['0.0.0.0/0'] }]]);
    expect(check(cluster, open)).toMatchObject({
      status: 'FAIL',
      evidence: { exposedNodes: [{ rules: [{ source: 'pl-1', prefixListCidrs: ['0.0.0.0/0'] }] }] },
    });
    const office = context([viaList], undefined, [['pl-1', { ok: true, cidrs: ['10.0.0.0/8'] }]]);
    expect(check(cluster, office).status).toBe('PASS');
    const denied = context([viaList], undefined, [
      ['pl-1', { ok: false, error: { code: 'UnauthorizedOperation', message: 'no' } }],
    ]);
    const result = check(cluster, denied);
    expect(result).toMatchObject({
      status: 'ERROR',
      error: { code: 'PrefixListNotRead' },
      evidence: {
        notJudged: [{ groupId: 'sg-1', prefixListId: 'pl-1', fromPort: 10250, toPort: 10250 }],
      },
    });
    expect(result.message).toContain('prefix list pl-1');
    expect(result.message).toContain('ec2:GetManagedPrefixListEntries');
  });

  it('calls a node safe despite an unreadable prefix list only when that rule opens no sensitive port', () => {
    const denied = (permission: IpPermission, more: IpPermission[] = []) =>
      check(
        cluster,
        context([permission, ...more], undefined, [
          ['pl-1', { ok: false, error: { code: 'UnauthorizedOperation', message: 'no' } }],
        ]),
      );
    const https: IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      PrefixListIds: [{ PrefixListId: 'pl-1' }],
    };
    const onHttps = denied(https);
    expect(onHttps.status).toBe('PASS');
    expect(onHttps.message).toContain('1 prefix-list rule was not judged');
    // All traffic from the list could be anything: not a PASS.
    expect(denied({ IpProtocol: '-1', PrefixListIds: [{ PrefixListId: 'pl-1' }] }).status).toBe(
      'ERROR',
    );
    // A node already open through a readable rule fails, and says what it could not judge.
    const open = denied(https, [tcp(10250, 10250, ['0.0.0.0/0'])]);
    expect(open.status).toBe('FAIL');
    expect(open.message).toContain('not judged');
  });

  it('passes private-only nodes whatever their groups say', () => {
    const priv = node({ publicIpv4: null });
    const result = check(cluster, context([tcp(0, 65535, ['0.0.0.0/0'])], [priv]));
    expect(result).toMatchObject({
      status: 'PASS',
      evidence: { nodes: 1, nodesWithPublicAddress: 0 },
    });
  });

  it('is not applicable without EC2 nodes, and ERRORs when nodes were not read', () => {
    const other = node({ tags: { 'kubernetes.io/cluster/other': 'owned' } });
    expect(check(cluster, context([], [other]))).toMatchObject({
      status: 'PASS',
      evidence: { applicable: false },
    });
    expect(check(cluster, { approvedCidrs: null }).status).toBe('ERROR');
    const failed: RuleContext = {
      approvedCidrs: null,
      nodes: { region: REGION, facts: { ok: false, error: { code: 'Throttling', message: 'x' } } },
    };
    expect(check(cluster, failed)).toMatchObject({
      status: 'ERROR',
      error: { code: 'Throttling' },
    });
  });

  it('ties nodes by kubernetes.io/cluster/NAME, eks:cluster-name and eks:eks-cluster-name', () => {
    const nodes = [
      node({ instanceId: 'i-a', tags: { 'kubernetes.io/cluster/prod': 'shared' } }),
      node({ instanceId: 'i-b', tags: { 'eks:eks-cluster-name': 'prod' } }),
      node({ instanceId: 'i-c', tags: { 'eks:cluster-name': 'prod-2' } }),
    ];
    expect(check(cluster, context([tcp(10250, 10250, ['0.0.0.0/0'])], nodes))).toMatchObject({
      evidence: { nodes: 2, exposedNodeCount: 2 },
    });
  });

  it('caps the listed nodes and counts the rest', () => {
    const many = Array.from({ length: EXPOSED_NODES_SHOWN + 5 }, (_, i) =>
      node({ instanceId: `i-${String(i).padStart(17, '0')}` }),
    );
    const result = check(cluster, context([tcp(10250, 10250, ['0.0.0.0/0'])], many));
    expect(result.evidence).toMatchObject({
      exposedNodeCount: EXPOSED_NODES_SHOWN + 5,
      exposedNodesNotShown: 5,
    });
    expect((result.evidence as { exposedNodes: unknown[] }).exposedNodes).toHaveLength(
      EXPOSED_NODES_SHOWN,
    );
    expect(result.message).toContain('and 22 more');
  });

  it('plans the exact revoke, with authorize first in allowlist mode', () => {
    const result = check(cluster, context([tcp(10250, 10250, ['0.0.0.0/0'])]));
    const rules = (result.evidence as { exposingRules: ExposingRule[] }).exposingRules;
    expect(remediationCommands(REGION, rules, null)).toEqual([
      `aws ec2 revoke-security-group-ingress --region ${REGION} --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":10250,"ToPort":10250,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
    ]);
    expect(remediationCommands(REGION, rules, ['198.51.100.0/24', '2001:db8::/32'])).toEqual([
      `aws ec2 authorize-security-group-ingress --region ${REGION} --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":10250,"ToPort":10250,"IpRanges":[{"CidrIp":"198.51.100.0/24"}],"Ipv6Ranges":[{"CidrIpv6":"2001:db8::/32"}]}]'`,
      expect.stringContaining('revoke-security-group-ingress'),
    ]);
  });
});
