/** Who keeps a cluster's configuration: the infrastructure-as-code tool read from its tags. */

/** The tools whose code eksposure can patch. */
export type IacTool = 'terraform' | 'cloudformation' | 'eksctl' | 'crossplane';

export const IAC_TOOLS: readonly IacTool[] = [
  'terraform',
  'cloudformation',
  'eksctl',
  'crossplane',
];

/** One tag that told who manages the cluster. */
export interface ManagerEvidence {
  readonly tag: string;
  readonly value: string;
}

/**
 * unknown: no tag says. Pulumi, CDK custom resources, the console and plain `aws_eks_cluster`
 * resources leave none, so "unknown" never means "not managed".
 */
export interface ManagedBy {
  readonly tool: IacTool | 'unknown';
  /** The tags that said so; empty when unknown. */
  readonly evidence: readonly ManagerEvidence[];
}

/** A tag (and, when given, its value) that means a tool in the user's organization (config file `managers`). */
export interface DeclaredManager {
  readonly tag: string;
  readonly value?: string;
  readonly tool: IacTool;
}

// Reading the tags: pure.

type Tags = Readonly<Record<string, string>>;

/** CloudFormation tags every resource of a stack itself (stack-level tags). */
export const CFN_STACK_NAME = 'aws:cloudformation:stack-name';
export const CFN_STACK_ID = 'aws:cloudformation:stack-id';
export const CFN_LOGICAL_ID = 'aws:cloudformation:logical-id';

/** The tags each tool leaves, and the value it must have (any value when absent). */
const KNOWN: readonly { readonly tool: IacTool; readonly tag: string; readonly value?: string }[] =
  [
    // eksctl first: its clusters are CloudFormation stacks too, and carry both sets of tags.
    { tool: 'eksctl', tag: 'alpha.eksctl.io/cluster-name' },
    { tool: 'eksctl', tag: 'alpha.eksctl.io/eksctl-version' },
    { tool: 'eksctl', tag: 'eksctl.cluster.k8s.io/v1alpha1/cluster-name' },
    { tool: 'cloudformation', tag: CFN_STACK_NAME },
    { tool: 'cloudformation', tag: CFN_STACK_ID },
    { tool: 'cloudformation', tag: CFN_LOGICAL_ID },
    // terraform-aws-modules/eks v20.0 to v21.11 add it; later versions and plain resources add nothing.
    { tool: 'terraform', tag: 'terraform-aws-modules', value: 'eks' },
    { tool: 'crossplane', tag: 'crossplane-kind' },
    { tool: 'crossplane', tag: 'crossplane-name' },
    { tool: 'crossplane', tag: 'crossplane-providerconfig' },
  ];

export const UNKNOWN_MANAGER: ManagedBy = { tool: 'unknown', evidence: [] };

/**
 * The tool the tags name, with every tag that says so. Tags AWS and the tools set themselves come
 * before the ones a user declared: a cluster in a CloudFormation stack is the stack's, whatever
 * an organization's own tag says.
 */
export function managedByOf(
  tags: Tags | undefined,
  declared: readonly DeclaredManager[] = [],
): ManagedBy {
  if (!tags) return UNKNOWN_MANAGER;
  const matches = [...KNOWN, ...declared].filter(
    (m) => tags[m.tag] !== undefined && (m.value === undefined || tags[m.tag] === m.value),
  );
  const tool = matches[0]?.tool;
  if (tool === undefined) return UNKNOWN_MANAGER;
  const evidence: ManagerEvidence[] = [];
  for (const m of matches)
    if (m.tool === tool || (tool === 'eksctl' && m.tool === 'cloudformation'))
      evidence.push({ tag: m.tag, value: tags[m.tag] ?? '' });
  return { tool, evidence };
}

/** "arn:aws:cloudformation:us-east-1:123456789012:stack/NAME/guid" → NAME */
function stackNameFromId(stackId: string | undefined): string | undefined {
  return stackId?.split(':').at(-1)?.split('/')[1] || undefined;
}

/** The CloudFormation stack a cluster is in, and its logical id there, as far as the tags tell. */
export function stackOf(
  tags: Tags | undefined,
  clusterName: string,
): { readonly stackName?: string; readonly logicalId?: string } {
  if (!tags) return {};
  const eksctlName =
    tags['alpha.eksctl.io/cluster-name'] ?? tags['eksctl.cluster.k8s.io/v1alpha1/cluster-name'];
  const stackName =
    tags[CFN_STACK_NAME] ??
    stackNameFromId(tags[CFN_STACK_ID]) ??
    // eksctl names the stack itself: eksctl-NAME-cluster, the cluster's logical id ControlPlane.
    (eksctlName !== undefined || tags['alpha.eksctl.io/eksctl-version'] !== undefined
      ? `eksctl-${eksctlName ?? clusterName}-cluster`
      : undefined);
  const logicalId = tags[CFN_LOGICAL_ID];
  return {
    ...(stackName !== undefined ? { stackName } : {}),
    ...(logicalId !== undefined ? { logicalId } : {}),
  };
}

const TOOL_NAMES: Readonly<Record<IacTool, string>> = {
  terraform: 'Terraform',
  cloudformation: 'CloudFormation',
  eksctl: 'eksctl',
  crossplane: 'Crossplane',
};

/** "Terraform (terraform-aws-modules=eks)", "unknown (no tag says)". */
export function describeManager(managedBy: ManagedBy): string {
  if (managedBy.tool === 'unknown') return 'unknown (no tag says)';
  const tags = managedBy.evidence.map((e) => `${e.tag}=${e.value}`).join(', ');
  return `${TOOL_NAMES[managedBy.tool]} (${tags})`;
}

export function toolName(tool: IacTool): string {
  return TOOL_NAMES[tool];
}
