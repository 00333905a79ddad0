/**
 * The fix as a snippet, for a cluster whose code was not found (or whose tool eksposure cannot
 * patch: CDK and Pulumi leave no tag, so an unknown manager gets theirs). Pure.
 */
import type { AsCodeSnippet } from '../model/as-code.js';
import type { EndpointChange } from '../model/endpoint.js';
import type { IacTool } from '../model/managed-by.js';

const list = (cidrs: readonly string[]) => cidrs.map((c) => `"${c}"`).join(', ');

function terraform(change: EndpointChange): string {
  const cidrs = change.publicAccessCidrs
    ? `\n    public_access_cidrs     = [${list(change.publicAccessCidrs)}]`
    : '';
  return (
    `resource "aws_eks_cluster" "this" {\n  vpc_config {\n` +
    `    endpoint_public_access  = ${String(change.endpointPublicAccess)}\n` +
    `    endpoint_private_access = ${String(change.endpointPrivateAccess)}${cidrs}\n  }\n}`
  );
}

function cloudFormation(change: EndpointChange): string {
  const cidrs = change.publicAccessCidrs
    ? `\n      PublicAccessCidrs:\n${change.publicAccessCidrs.map((c) => `        - ${c}`).join('\n')}`
    : '';
  return (
    `Type: AWS::EKS::Cluster\nProperties:\n  ResourcesVpcConfig:\n` +
    `    EndpointPublicAccess: ${String(change.endpointPublicAccess)}\n` +
    `    EndpointPrivateAccess: ${String(change.endpointPrivateAccess)}${cidrs}`
  );
}

function eksctl(change: EndpointChange): string {
  const cidrs = change.publicAccessCidrs
    ? `\n  publicAccessCIDRs: [${list(change.publicAccessCidrs)}]`
    : '';
  return (
    `vpc:\n  clusterEndpoints:\n    publicAccess: ${String(change.endpointPublicAccess)}\n` +
    `    privateAccess: ${String(change.endpointPrivateAccess)}${cidrs}`
  );
}

function crossplane(change: EndpointChange): string {
  const cidrs = change.publicAccessCidrs
    ? `\n      publicAccessCidrs: [${list(change.publicAccessCidrs)}]`
    : '';
  return (
    `spec:\n  forProvider:\n    vpcConfig:\n` +
    `      endpointPublicAccess: ${String(change.endpointPublicAccess)}\n` +
    `      endpointPrivateAccess: ${String(change.endpointPrivateAccess)}${cidrs}`
  );
}

/** CDK's aws-eks: EndpointAccess.PRIVATE, or PUBLIC_AND_PRIVATE limited to the allowlist. */
function cdk(change: EndpointChange): string {
  const access = change.endpointPublicAccess
    ? change.publicAccessCidrs
      ? `eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(${list(change.publicAccessCidrs).replaceAll('"', "'")})`
      : 'eks.EndpointAccess.PUBLIC_AND_PRIVATE'
    : 'eks.EndpointAccess.PRIVATE';
  return `new eks.Cluster(this, 'Cluster', {\n  // ...\n  endpointAccess: ${access},\n});`;
}

/** Pulumi's aws.eks.Cluster (TypeScript). */
function pulumi(change: EndpointChange): string {
  const cidrs = change.publicAccessCidrs
    ? `\n    publicAccessCidrs: [${list(change.publicAccessCidrs)}],`
    : '';
  return (
    `new aws.eks.Cluster("cluster", {\n  // ...\n  vpcConfig: {\n` +
    `    endpointPublicAccess: ${String(change.endpointPublicAccess)},\n` +
    `    endpointPrivateAccess: ${String(change.endpointPrivateAccess)},${cidrs}\n  },\n});`
  );
}

const BY_TOOL: Readonly<Record<IacTool, (change: EndpointChange) => string>> = {
  terraform,
  cloudformation: cloudFormation,
  eksctl,
  crossplane,
};

/** The tool's own snippet when the tags name it; CDK's and Pulumi's when nothing does. */
export function snippetsFor(tool: IacTool | 'unknown', change: EndpointChange): AsCodeSnippet[] {
  if (tool !== 'unknown') return [{ tool, text: BY_TOOL[tool](change) }];
  return [
    { tool: 'cdk', text: cdk(change) },
    { tool: 'pulumi', text: pulumi(change) },
  ];
}
