import { cidrsOutside } from '../net/cidr.js';
import { describeAccess, endpointAccessOf, PRIVATE_ENDPOINT_COMMANDS } from './endpoint-access.js';
import {
  type CheckResult,
  NO_RULE_CONTEXT,
  type Rule,
  type RuleContext,
  type RuleMetadata,
} from './types.js';
import { type ClusterRecord } from '../model/scan.js';

export const metadata: RuleMetadata = {
  id: 'EKS-001',
  aliases: [],
  title: 'EKS Cluster Endpoint Public Access',
  severity: 'medium',
  rationale:
    'EKS creates the Kubernetes API endpoint public and open to 0.0.0.0/0 by default, so anyone on the ' +
    'internet can reach the API server, probe it for anonymous access and version leaks, and try stolen ' +
    'credentials against it. Restricting the endpoint to the VPC, or to a short allowlist of source ' +
    'CIDRs, removes that attack surface. With approved ranges configured, a public endpoint that ' +
    'admits any range outside them fails too.',
  remediation: {
    summary:
      'Make the endpoint private (public access off, private access on), or keep it public but restrict ' +
      'publicAccessCidrs to the networks that need it, with private access on so nodes stay inside the VPC.',
    ...PRIVATE_ENDPOINT_COMMANDS,
  },
  references: [
    'https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EKS/endpoint-access.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
    'https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html',
  ],
};

/**
 * FAIL when the public endpoint is on and its allowlist admits the whole internet: 0.0.0.0/0, ::/0,
 * CIDRs whose union is the whole IPv4 or IPv6 space, or no list at all (AWS's default is 0.0.0.0/0).
 * With approved CIDRs, FAIL too when a public endpoint admits a range outside them.
 * A cluster whose public endpoint is off passes whatever publicAccessCidrs still says.
 */
export function check(cluster: ClusterRecord, context: RuleContext = NO_RULE_CONTEXT): CheckResult {
  const access = endpointAccessOf(cluster);
  const mode = describeAccess(access);
  const approved = context.approvedCidrs;
  const outsideApproved =
    access.publicAccess && approved
      ? cidrsOutside(access.effectivePublicAccessCidrs, approved)
      : [];
  const evidence = {
    endpointPublicAccess: access.publicAccess,
    endpointPrivateAccess: access.privateAccess,
    publicAccessCidrs: [...access.effectivePublicAccessCidrs],
    openToInternet: access.mode === 'public-open',
    approvedCidrs: approved ? [...approved] : null,
    outsideApproved,
  };
  const nodes = access.privateAccess
    ? ''
    : ' Private access is off, so nodes also reach the API over the internet.';
  if (access.mode === 'public-open') {
    const cidrs = access.publicAccessCidrs.length
      ? access.publicAccessCidrs.join(', ')
      : 'no allowlist';
    return {
      status: 'FAIL',
      message: `API endpoint is public and open to the internet (${cidrs}).${nodes}`,
      evidence,
    };
  }
  if (outsideApproved.length > 0) {
    return {
      status: 'FAIL',
      message: `API endpoint is public to ranges outside the approved CIDRs: ${outsideApproved.join(', ')}.${nodes}`,
      evidence,
    };
  }
  return { status: 'PASS', message: `API endpoint is ${mode}.`, evidence };
}

export const eks001EndpointPublicAccess: Rule = { metadata, check };
