import fc from 'fast-check';
import {
  assemblePlan,
  awsCliCommand,
  changeFor,
  clientRequestToken,
  type ClusterFacts,
  planCluster,
  restoreChange,
} from '../../../src/remediation/planner.js';
import { fingerprintOf, sameEndpointConfig } from '../../../src/remediation/endpoint-config.js';
import {
  ACCOUNT,
  cluster,
  ok,
  privateOnly,
  publicOpen,
  REGION,
  vpcDns,
} from '../../support/preflight.js';

const facts = (overrides: Partial<ClusterFacts> = {}): ClusterFacts => ({
  account: ACCOUNT,
  region: REGION,
  cluster: cluster(),
  updatesInProgress: ok([]),
  vpcDns: vpcDns(true, true),
  ...overrides,
});

const fix = (mode: 'private' | 'allowlist', cidrs: string[] = []) => ({
  change: changeFor(mode === 'private' ? { mode } : { mode, allowCidrs: cidrs }),
  updateReason: 'EKS-001 fails',
});

describe('planCluster', () => {
  it('private mode: public off, private on, the old allowlist left for EKS to ignore', () => {
    const plan = planCluster(facts(), fix('private'), undefined);
    expect(plan.action).toBe('update');
    expect(plan.change).toEqual({ endpointPublicAccess: false, endpointPrivateAccess: true });
    expect(plan.after).toEqual(privateOnly);
    expect(plan.fingerprint).toBe(fingerprintOf(publicOpen));
    expect(plan.awsCliCommand).toBe(
      'aws eks update-cluster-config --region eu-west-1 --name payments --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true',
    );
  });

  it('allowlist mode keeps private access on and sends exactly the list', () => {
    const plan = planCluster(facts(), fix('allowlist', ['203.0.113.0/24']), undefined);
    expect(plan.action).toBe('update');
    expect(plan.after).toEqual({
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    });
    expect(plan.awsCliCommand).toContain(
      `'endpointPublicAccess=true,endpointPrivateAccess=true,publicAccessCidrs=["203.0.113.0/24"]'`,
    );
    expect(plan.preflight.find((r) => r.check === 'node-access')?.status).toBe('ok');
  });

  it('never plans a no-op: a cluster already as requested is skipped, with no pre-flight', () => {
    const already = cluster({
      resourcesVpcConfig: { vpcId: 'vpc-1', ...privateOnly, publicAccessCidrs: ['0.0.0.0/0'] },
    });
    const plan = planCluster(facts({ cluster: already }), fix('private'), undefined);
    expect(plan.action).toBe('skip');
    expect(plan.reason).toContain('already at the requested configuration');
    expect(plan.preflight).toEqual([]);
  });

  it('blocks when a pre-flight check blocks, naming it', () => {
    const plan = planCluster(facts({ vpcDns: vpcDns(true, false) }), fix('private'), undefined);
    expect(plan.action).toBe('blocked');
    expect(plan.reason).toContain('vpc-dns');
  });

  it('blocks when an update is already in progress', () => {
    const plan = planCluster(facts({ updatesInProgress: ok(['u-1']) }), fix('private'), undefined);
    expect(plan.action).toBe('blocked');
    expect(plan.reason).toContain('cluster-state');
  });

  it('rollback refuses a cluster someone changed after eksposure did', () => {
    const someoneElse = cluster({
      resourcesVpcConfig: {
        vpcId: 'vpc-1',
        ...privateOnly,
        endpointPublicAccess: true,
        publicAccessCidrs: ['198.51.100.0/24'],
      },
    });
    const plan = planCluster(
      facts({ cluster: someoneElse }),
      { change: restoreChange(publicOpen), expectedCurrent: privateOnly, updateReason: 'rollback' },
      undefined,
    );
    expect(plan.action).toBe('blocked');
    expect(plan.reason).toContain('changed after eksposure set it');
  });
});

describe('planCluster, address families', () => {
  const both = ['203.0.113.0/24', '2001:db8::/32'];
  const dualStack = cluster({
    endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.api.aws',
    kubernetesNetworkConfig: { ipFamily: 'ipv6' },
    resourcesVpcConfig: {
      vpcId: 'vpc-1',
      ...publicOpen,
      publicAccessCidrs: ['0.0.0.0/0', '::/0'],
    },
  });
  const ipv4 = cluster({
    endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
    kubernetesNetworkConfig: { ipFamily: 'ipv4' },
  });
  const oldIpv6 = cluster({
    endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
    kubernetesNetworkConfig: { ipFamily: 'ipv6' },
  });

  it('sends a dual-stack cluster both families, leaving nothing out', () => {
    const plan = planCluster(facts({ cluster: dualStack }), fix('allowlist', both), undefined);
    expect(plan.action).toBe('update');
    expect(plan.change.publicAccessCidrs).toEqual(both);
    expect(plan.after.publicAccessCidrs).toEqual(both);
    expect(plan.leftOutCidrs).toBeUndefined();
    expect(plan.preflight.map((r) => r.check)).not.toContain('allowlist-family');
  });

  it('sends an IPv4 cluster the IPv4 entries only, and says which were left out and why', () => {
    const plan = planCluster(facts({ cluster: ipv4 }), fix('allowlist', both), undefined);
    expect(plan.action).toBe('update');
    expect(plan.change.publicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(plan.awsCliCommand).not.toContain('2001:db8');
    expect(plan.leftOutCidrs).toEqual([
      {
        cidr: '2001:db8::/32',
        reason:
          'the cluster is IPv4 (ipFamily ipv4), and EKS takes IPv6 ranges only on the dual-stack endpoints of IPv6 clusters',
      },
    ]);
    expect(plan.preflight.find((r) => r.check === 'allowlist-family')?.status).toBe('ok');
  });

  it('treats an IPv6 cluster whose endpoint is on eks.amazonaws.com as IPv4-only, naming the host', () => {
    const plan = planCluster(facts({ cluster: oldIpv6 }), fix('allowlist', both), undefined);
    expect(plan.change.publicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(plan.leftOutCidrs?.[0]?.reason).toBe(
      "the cluster's endpoint (0123456789abcdef0123456789abcdef.gr7.eu-west-1.eks.amazonaws.com) is IPv4-only: " +
        'only IPv6 clusters made since October 2024 have a dual-stack endpoint on api.aws that takes IPv6 ranges',
    );
  });

  it('blocks a cluster left with no entry at all', () => {
    const plan = planCluster(
      facts({ cluster: ipv4 }),
      fix('allowlist', ['2001:db8::/32']),
      undefined,
    );
    expect(plan.action).toBe('blocked');
    expect(plan.reason).toBe('blocked by pre-flight: allowlist-family.');
  });

  it('takes a cluster that reports no family or no endpoint as IPv4-only', () => {
    const unknown = cluster({ endpoint: undefined, kubernetesNetworkConfig: undefined });
    const plan = planCluster(facts({ cluster: unknown }), fix('allowlist', both), undefined);
    expect(plan.change.publicAccessCidrs).toEqual(['203.0.113.0/24']);
  });

  it('changeFor with the cluster gives the change planCluster plans, so apply can compare', () => {
    const request = { mode: 'allowlist' as const, allowCidrs: both };
    for (const c of [dualStack, ipv4, oldIpv6]) {
      const plan = planCluster(facts({ cluster: c }), fix('allowlist', both), undefined);
      expect(changeFor(request, c)).toEqual(plan.change);
    }
    expect(changeFor({ mode: 'private' }, ipv4)).toEqual(changeFor({ mode: 'private' }));
  });

  it('never sends an IPv4-only cluster an IPv6 entry, and loses no entry either way', () => {
    const entry = fc.oneof(
      fc.ipV4().map((ip) => `${ip}/32`),
      fc.ipV6().map((ip) => `${ip}/128`),
    );
    fc.assert(
      fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 10 }), (cidrs) => {
        const plan = planCluster(facts({ cluster: ipv4 }), fix('allowlist', cidrs), undefined);
        const kept = plan.change.publicAccessCidrs ?? [];
        const left = (plan.leftOutCidrs ?? []).map((l) => l.cidr);
        return (
          kept.every((c) => !c.includes(':')) &&
          left.every((c) => c.includes(':')) &&
          [...kept, ...left].sort().join() === [...cidrs].sort().join()
        );
      }),
    );
  });
});

describe('clientRequestToken', () => {
  it('is the same for the same plan and cluster, and differs otherwise', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.string({ minLength: 1 }), (a, b, arn) => {
        expect(clientRequestToken(a, arn)).toBe(clientRequestToken(a, arn));
        if (a !== b) expect(clientRequestToken(a, arn)).not.toBe(clientRequestToken(b, arn));
        expect(clientRequestToken(a, arn)).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
      }),
    );
  });
});

describe('awsCliCommand', () => {
  it('quotes what a shell would split or expand', () => {
    expect(
      awsCliCommand('us-east-1', 'a', {
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['1.2.3.0/24'],
      }),
    ).toMatch(/'endpointPublicAccess=.*\]'$/);
  });
});

describe('assemblePlan', () => {
  it('sorts by region then name, counts actions, and is complete only with nothing unread', () => {
    const header = {
      planId: 'p-123456789',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      toolVersion: '0.1.0',
      mode: 'private' as const,
      allowCidrs: null,
      operatorIp: null,
      sourceJournal: null,
      unread: [],
    };
    const a = planCluster(facts({ cluster: cluster({ name: 'b-10' }) }), fix('private'), undefined);
    const b = planCluster(facts({ cluster: cluster({ name: 'b-9' }) }), fix('private'), undefined);
    const c = planCluster(
      facts({ region: 'ap-south-1', updatesInProgress: ok(['x']) }),
      fix('private'),
      undefined,
    );
    const plan = assemblePlan(header, [a, b, c]);
    expect(plan.clusters.map((x) => `${x.region}/${x.clusterName}`)).toEqual([
      'ap-south-1/payments',
      'eu-west-1/b-9',
      'eu-west-1/b-10',
    ]);
    expect(plan.summary).toEqual({ update: 2, blocked: 1, skip: 0 });
    expect(plan.complete).toBe(true);
    const partial = assemblePlan(
      {
        ...header,
        unread: [
          {
            accountId: ACCOUNT.accountId,
            region: 'eu-west-1',
            clusterName: null,
            error: { code: 'AccessDeniedException', message: 'no' },
          },
        ],
      },
      [a],
    );
    expect(partial.complete).toBe(false);
  });
});

describe('endpoint configuration identity', () => {
  it('treats the allowlist as a set: order and repeats do not change the fingerprint', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.ipV4().map((ip) => `${ip}/32`),
          { maxLength: 6 },
        ),
        (cidrs) => {
          const a = { ...publicOpen, publicAccessCidrs: cidrs };
          const b = {
            ...publicOpen,
            publicAccessCidrs: [...cidrs].reverse().concat(cidrs.slice(0, 1)),
          };
          expect(sameEndpointConfig(a, b)).toBe(true);
          expect(fingerprintOf(a)).toBe(fingerprintOf(b));
        },
      ),
    );
    expect(fingerprintOf(publicOpen)).not.toBe(fingerprintOf(privateOnly));
  });
});
