import { describeAccess, endpointAccessOf, PRIVATE_ENDPOINT_COMMANDS } from './endpoint-access.js';
import type { CheckResult, Rule, RuleMetadata } from './types.js';
import { type ClusterRecord } from '../model/scan.js';

export const metadata: RuleMetadata = {
  id: 'EKS-002',
  aliases: ['EKS.1', 'eks-endpoint-no-public-access'],
  title: 'EKS Cluster Endpoint Not Publicly Accessible',
  severity: 'high',
  rationale:
    'The stricter reading of AWS Foundational Security Best Practices (Security Hub control EKS.1), ' +
    'PCI DSS and NIST packs, and of the AWS Config managed rule eks-endpoint-no-public-access: a ' +
    'public API endpoint is an exposure whatever its allowlist says, because allowlists drift, grow ' +
    'and admit shared egress ranges. Only an endpoint reachable from inside the VPC passes.',
  remediation: {
    summary:
      'Turn the public endpoint off and private access on; reach the API from inside the VPC (a ' +
      'bastion, VPN or Direct Connect, or CI runners in the VPC).',
    ...PRIVATE_ENDPOINT_COMMANDS,
  },
  references: [
    'https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html#eks-1',
    'https://docs.aws.amazon.com/config/latest/developerguide/eks-endpoint-no-public-access.html',
    'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  ],
};

/** FAIL whenever the public endpoint is on (AWS's default when the answer leaves it out), whatever its CIDRs. */
export function check(cluster: ClusterRecord): CheckResult {
  const access = endpointAccessOf(cluster);
  const evidence = {
    endpointPublicAccess: access.publicAccess,
    endpointPrivateAccess: access.privateAccess,
    publicAccessCidrs: access.publicAccess ? [...access.effectivePublicAccessCidrs] : [],
  };
  if (!access.publicAccess) {
    return { status: 'PASS', message: `API endpoint is ${describeAccess(access)}.`, evidence };
  }
  return {
    status: 'FAIL',
    message: `API endpoint is public (${access.effectivePublicAccessCidrs.join(', ') || 'no allowlist'}), whatever its allowlist.`,
    evidence,
  };
}

export const eks002EndpointNoPublicAccess: Rule = { metadata, check };
