import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'managed-as-code';
export const title = 'Cluster managed as code';

const CFN_STACK_NAME = 'aws:cloudformation:stack-name';
const CFN_STACK_ID = 'aws:cloudformation:stack-id';
const CFN_LOGICAL_ID = 'aws:cloudformation:logical-id';
const EKSCTL_NAME_TAGS = [
  'alpha.eksctl.io/cluster-name',
  'eksctl.cluster.k8s.io/v1alpha1/cluster-name',
];
const EKSCTL_VERSION = 'alpha.eksctl.io/eksctl-version';
const TERRAFORM_MODULE = 'terraform-aws-modules';

/** "arn:aws:cloudformation:us-east-1:123456789012:stack/NAME/guid" → NAME */
function stackNameFromId(stackId: string | undefined): string | undefined {
  return stackId?.split(':').at(-1)?.split('/')[1] || undefined;
}

/**
 * A change made behind the back of CloudFormation, eksctl or Terraform is undone by the next deploy.
 * Those tools leave tags on the cluster; others leave nothing, so "no tags" is not "not managed".
 */
export function run(input: PreflightInput): PreflightResult {
  const name = input.cluster.name ?? '(unnamed)';
  const tags = input.cluster.tags ?? {};
  const owners: string[] = [];

  const eksctlName = EKSCTL_NAME_TAGS.map((t) => tags[t]).find(Boolean);
  const eksctl = eksctlName !== undefined || tags[EKSCTL_VERSION] !== undefined;
  const stack = tags[CFN_STACK_NAME] || stackNameFromId(tags[CFN_STACK_ID]);
  const cloudFormation = stack !== undefined || tags[CFN_LOGICAL_ID] !== undefined;
  if (eksctl) {
    owners.push(
      `CloudFormation stack ${stack ?? `eksctl-${eksctlName ?? name}-cluster`}, created by eksctl`,
    );
  } else if (cloudFormation) {
    owners.push(stack === undefined ? 'CloudFormation' : `CloudFormation stack ${stack}`);
  }
  const terraform = tags[TERRAFORM_MODULE] === 'eks';
  if (terraform) owners.push('Terraform, terraform-aws-modules/eks module');

  if (owners.length === 0) {
    return {
      check: id,
      status: 'ok',
      message:
        `No CloudFormation, eksctl or Terraform-module tags found on cluster ${name}; other tools (plain Terraform resources, Pulumi, ` +
        'the console) leave none, so check how it is managed before applying.',
    };
  }
  const next =
    terraform && owners.length === 1
      ? 'the next terraform apply'
      : terraform
        ? 'the next deploy or terraform apply'
        : 'the next deploy';
  return {
    check: id,
    status: 'warn',
    message: `Cluster ${name} is managed as code (${owners.join('; ')}): change the endpoint there too, or ${next} will put it back.`,
  };
}

export const managedAsCodeCheck: PreflightCheck = { id, title, run };
