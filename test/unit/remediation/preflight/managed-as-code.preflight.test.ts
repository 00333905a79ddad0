import { run } from '../../../../src/remediation/preflight/managed-as-code.preflight.js';
import { cluster, preflightInput } from '../../../support/preflight.js';

const tagged = (tags: Record<string, string>) =>
  run(preflightInput({ cluster: cluster({ tags }) }));

describe('managed-as-code pre-flight check', () => {
  it('warns about a CloudFormation stack, naming it', () => {
    expect(
      tagged({
        'aws:cloudformation:stack-name': 'payments-eks',
        'aws:cloudformation:logical-id': 'Cluster',
      }),
    ).toEqual({
      check: 'managed-as-code',
      status: 'warn',
      message:
        'Cluster payments is managed as code (CloudFormation stack payments-eks): change the endpoint there too, ' +
        'or the next deploy will put it back.',
    });
  });

  it('reads the stack name from the stack id when the name tag is missing', () => {
    const result = tagged({
      'aws:cloudformation:stack-id':
        'arn:aws:cloudformation:eu-west-1:123456789012:stack/payments-eks/0b5c1e70-aaaa-bbbb-cccc-000000000000',
    });
    expect(result.message).toContain('(CloudFormation stack payments-eks)');
  });

  it('says eksctl made the stack', () => {
    const result = tagged({
      'alpha.eksctl.io/cluster-name': 'payments',
      'alpha.eksctl.io/eksctl-version': '0.190.0',
      'aws:cloudformation:stack-name': 'eksctl-payments-cluster',
    });
    expect(result.status).toBe('warn');
    expect(result.message).toContain(
      'managed as code (CloudFormation stack eksctl-payments-cluster, created by eksctl)',
    );
    expect(result.message).toContain('the next deploy will put it back');
  });

  it('derives the eksctl stack name when only eksctl tags are there', () => {
    expect(tagged({ 'eksctl.cluster.k8s.io/v1alpha1/cluster-name': 'pay' }).message).toContain(
      'CloudFormation stack eksctl-pay-cluster, created by eksctl',
    );
    expect(tagged({ 'alpha.eksctl.io/eksctl-version': '0.190.0' }).message).toContain(
      'CloudFormation stack eksctl-payments-cluster, created by eksctl',
    );
  });

  it('warns about the terraform-aws-modules/eks module and the next terraform apply', () => {
    const result = tagged({ 'terraform-aws-modules': 'eks', Environment: 'prod' });
    expect(result.status).toBe('warn');
    expect(result.message).toContain('terraform-aws-modules/eks');
    expect(result.message).toContain('the next terraform apply will put it back');
  });

  it('says no tool tags were found, and to check anyway, when there are none', () => {
    const result = tagged({ team: 'payments', 'terraform-aws-modules': 'vpc' });
    expect(result.status).toBe('ok');
    expect(result.message).toContain('No CloudFormation, eksctl or Terraform-module tags found');
    expect(result.message).toContain('check how it is managed before applying');
    expect(run(preflightInput({ cluster: cluster({ tags: undefined }) })).status).toBe('ok');
  });
});
