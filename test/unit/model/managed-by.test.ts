import { describeManager, managedByOf, stackOf } from '../../../src/model/managed-by.js';

describe('who manages a cluster, from its tags', () => {
  it('reads each tool from the tags it sets, with every tag as evidence', () => {
    expect(
      managedByOf({
        'aws:cloudformation:stack-name': 'platform-eks',
        'aws:cloudformation:logical-id': 'EksCluster',
        team: 'platform',
      }),
    ).toEqual({
      tool: 'cloudformation',
      evidence: [
        { tag: 'aws:cloudformation:stack-name', value: 'platform-eks' },
        { tag: 'aws:cloudformation:logical-id', value: 'EksCluster' },
      ],
    });
    expect(managedByOf({ 'terraform-aws-modules': 'eks' }).tool).toBe('terraform');
    expect(managedByOf({ 'crossplane-name': 'xp-v1beta2' }).tool).toBe('crossplane');
  });

  it('names eksctl, not CloudFormation, for an eksctl stack, and keeps both tags as evidence', () => {
    const managed = managedByOf({
      'aws:cloudformation:stack-name': 'eksctl-demo-cluster',
      'alpha.eksctl.io/cluster-name': 'demo',
    });
    expect(managed.tool).toBe('eksctl');
    expect(managed.evidence.map((e) => e.tag)).toEqual([
      'alpha.eksctl.io/cluster-name',
      'aws:cloudformation:stack-name',
    ]);
  });

  it('says unknown, never unmanaged, when no tag says', () => {
    expect(managedByOf({ team: 'web', 'terraform-aws-modules': 'vpc' })).toEqual({
      tool: 'unknown',
      evidence: [],
    });
    expect(managedByOf(undefined).tool).toBe('unknown');
    expect(describeManager(managedByOf({}))).toBe('unknown (no tag says)');
  });

  it("takes the config file's declared tags, after the ones the tools set", () => {
    const declared = [
      { tag: 'ManagedBy', value: 'terraform', tool: 'terraform' as const },
      { tag: 'gitops-repo', tool: 'crossplane' as const },
    ];
    expect(managedByOf({ ManagedBy: 'terraform' }, declared)).toEqual({
      tool: 'terraform',
      evidence: [{ tag: 'ManagedBy', value: 'terraform' }],
    });
    expect(managedByOf({ ManagedBy: 'pulumi' }, declared).tool).toBe('unknown');
    expect(managedByOf({ 'gitops-repo': 'infra' }, declared).tool).toBe('crossplane');
    expect(
      managedByOf({ ManagedBy: 'terraform', 'aws:cloudformation:stack-name': 's' }, declared).tool,
    ).toBe('cloudformation');
  });

  it('finds the stack and logical id, deriving an eksctl stack name', () => {
    expect(
      stackOf(
        {
          'aws:cloudformation:stack-id':
            'arn:aws:cloudformation:us-east-1:123456789012:stack/platform-eks/0b5c1e70-aaaa',
          'aws:cloudformation:logical-id': 'EksCluster',
        },
        'x',
      ),
    ).toEqual({ stackName: 'platform-eks', logicalId: 'EksCluster' });
    expect(stackOf({ 'alpha.eksctl.io/eksctl-version': '0.190.0' }, 'demo')).toEqual({
      stackName: 'eksctl-demo-cluster',
    });
  });
});
