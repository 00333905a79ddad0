import { run } from '../../../../src/remediation/preflight/managed-as-code.preflight.js';
import type { ManagedAsCodePolicy } from '../../../../src/remediation/preflight/types.js';
import { cluster, preflightInput } from '../../../support/preflight.js';

const BLOCK: ManagedAsCodePolicy = { onManaged: 'block', declared: [] };
const ALLOW: ManagedAsCodePolicy = { onManaged: 'allow-drift', declared: [] };

const tagged = (tags: Record<string, string>, managedAsCode?: ManagedAsCodePolicy) =>
  run(preflightInput({ cluster: cluster({ tags }), ...(managedAsCode ? { managedAsCode } : {}) }));

describe('managed-as-code pre-flight check', () => {
  it('blocks remediation of a CloudFormation cluster, naming the stack and the way out', () => {
    const result = tagged(
      {
        'aws:cloudformation:stack-name': 'payments-eks',
        'aws:cloudformation:logical-id': 'Cluster',
      },
      BLOCK,
    );
    expect(result.status).toBe('block');
    expect(result.message).toContain('Cluster payments is managed as code (CloudFormation');
    expect(result.message).toContain('stack payments-eks');
    expect(result.message).toContain('the next stack update would put the endpoint back');
    expect(result.message).toContain('--iac-dir');
    expect(result.message).toContain('--allow-drift');
  });

  it('only warns with --allow-drift, and says to merge the fix', () => {
    const result = tagged({ 'terraform-aws-modules': 'eks' }, ALLOW);
    expect(result.status).toBe('warn');
    expect(result.message).toContain('changed anyway (--allow-drift)');
    expect(result.message).toContain('the next terraform apply will put it back');
  });

  it('warns, as before, when no policy is given (rollback)', () => {
    const result = tagged({ 'terraform-aws-modules': 'eks', Environment: 'prod' });
    expect(result.status).toBe('warn');
    expect(result.message).toContain('managed as code (Terraform)');
  });

  it('reads the stack name from the stack id when the name tag is missing', () => {
    const result = tagged({
      'aws:cloudformation:stack-id':
        'arn:aws:cloudformation:eu-west-1:123456789012:stack/payments-eks/0b5c1e70-aaaa-bbbb-cccc-000000000000',
    });
    expect(result.message).toContain('stack payments-eks');
  });

  it('says eksctl made the stack, and derives its name from the eksctl tags alone', () => {
    const result = tagged({ 'eksctl.cluster.k8s.io/v1alpha1/cluster-name': 'pay' }, BLOCK);
    expect(result.status).toBe('block');
    expect(result.message).toContain('managed as code (eksctl, stack eksctl-pay-cluster)');
    expect(result.message).toContain('stack eksctl-pay-cluster');
  });

  it('blocks Crossplane clusters, and clusters a config file declares managed', () => {
    expect(tagged({ 'crossplane-kind': 'cluster.eks.aws.upbound.io' }, BLOCK).message).toContain(
      "Crossplane's next reconcile",
    );
    const declared = run(
      preflightInput({
        cluster: cluster({ tags: { ManagedBy: 'terraform' } }),
        managedAsCode: {
          onManaged: 'block',
          declared: [{ tag: 'ManagedBy', value: 'terraform', tool: 'terraform' }],
        },
      }),
    );
    expect(declared.status).toBe('block');
    expect(declared.message).toContain('managed as code (Terraform)');
  });

  it('never calls an untagged cluster unmanaged, and never blocks it', () => {
    const result = tagged({ team: 'payments', 'terraform-aws-modules': 'vpc' }, BLOCK);
    expect(result.status).toBe('ok');
    expect(result.message).toContain('No infrastructure-as-code tags found');
    expect(result.message).toContain('check how it is managed before applying');
    expect(run(preflightInput({ cluster: cluster({ tags: undefined }) })).status).toBe('ok');
  });
});
