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
import { cluster, ok, privateOnly, publicOpen, REGION, vpcDns } from '../../support/preflight.js';

const facts = (overrides: Partial<ClusterFacts> = {}): ClusterFacts => ({
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
