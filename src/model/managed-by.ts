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
