import type { Cluster } from '@aws-sdk/client-eks';
import { checkListPage, type ListingSeen, slimCluster } from '../../../src/aws/collect-clusters.js';

const nothingSeen: ListingSeen = { tokens: new Set(), names: new Set() };

describe('checkListPage', () => {
  it('accepts a page of new names and passes its nextToken on', () => {
    expect(checkListPage(nothingSeen, { clusters: ['a', 'b'], nextToken: 't1' })).toEqual({
      ok: true,
      names: ['a', 'b'],
      nextToken: 't1',
    });
  });

  it('treats an empty cluster list as an empty region, and an empty token as the last page', () => {
    expect(checkListPage(nothingSeen, { clusters: [], nextToken: '' })).toEqual({
      ok: true,
      names: [],
      nextToken: undefined,
    });
  });

  it('refuses an answer without a cluster list: an empty or HTML body is not an empty region', () => {
    expect(checkListPage(nothingSeen, {})).toEqual({
      ok: false,
      error: {
        code: 'InvalidResponse',
        message: expect.stringContaining('without a cluster list'),
      },
    });
  });

  it('stops at a nextToken it has followed before', () => {
    const seen: ListingSeen = { tokens: new Set(['t1']), names: new Set(['a']) };
    expect(checkListPage(seen, { clusters: ['b'], nextToken: 't1' })).toEqual({
      ok: false,
      error: { code: 'PaginationLoop', message: expect.stringContaining('nextToken') },
    });
  });

  it('stops at a name listed on an earlier page, and names it', () => {
    const seen: ListingSeen = { tokens: new Set(['t1']), names: new Set(['a', 'b']) };
    expect(checkListPage(seen, { clusters: ['c', 'b'], nextToken: 't2' })).toEqual({
      ok: false,
      error: { code: 'PaginationLoop', message: expect.stringContaining('"b" twice') },
    });
  });

  it('stops at a name listed twice on one page', () => {
    expect(checkListPage(nothingSeen, { clusters: ['a', 'a'] })).toMatchObject({
      ok: false,
      error: { code: 'PaginationLoop' },
    });
  });
});

describe('slimCluster', () => {
  it('keeps what the rules and the planner read, and drops the rest of the answer', () => {
    const answer: Cluster = {
      name: 'prod',
      arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
      status: 'ACTIVE',
      version: '1.31',
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      roleArn: 'arn:aws:iam::123456789012:role/prod-cluster-role',
      resourcesVpcConfig: {
        subnetIds: ['subnet-1', 'subnet-2'],
        securityGroupIds: ['sg-1'],
        clusterSecurityGroupId: 'sg-2',
        vpcId: 'vpc-1',
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { ipFamily: 'ipv6', serviceIpv6Cidr: 'fd00::/108' },
      certificateAuthority: { data: 'LS0tLS1CRUdJTi...' },
      identity: { oidc: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC' } },
      tags: { 'alpha.eksctl.io/cluster-name': 'prod' },
    };
    expect(slimCluster(answer)).toEqual({
      name: 'prod',
      arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
      status: 'ACTIVE',
      version: '1.31',
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      tags: { 'alpha.eksctl.io/cluster-name': 'prod' },
      resourcesVpcConfig: {
        vpcId: 'vpc-1',
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { ipFamily: 'ipv6' },
    });
  });

  it('leaves out what the answer leaves out, so AWS defaults still apply downstream', () => {
    const slim = slimCluster({ name: 'bare' });
    expect(slim.resourcesVpcConfig).toBeUndefined();
    expect(slim.kubernetesNetworkConfig).toBeUndefined();
    expect(JSON.parse(JSON.stringify(slim))).toEqual({ name: 'bare' });
  });
});
