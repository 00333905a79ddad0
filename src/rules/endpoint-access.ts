import { coversWholeInternet } from '../net/cidr.js';
import { type ClusterRecord } from '../model/scan.js';

export type AccessMode = 'private' | 'public-restricted' | 'public-open';

/** The cluster's API endpoint exposure, with AWS's defaults filled in where the answer leaves a field out. */
export interface EndpointAccess {
  readonly publicAccess: boolean;
  readonly privateAccess: boolean;
  /** As reported; AWS keeps reporting CIDRs (often 0.0.0.0/0) even when the public endpoint is off. */
  readonly publicAccessCidrs: readonly string[];
  /** What EKS applies: the list as reported, or AWS's default when the answer has none. */
  readonly effectivePublicAccessCidrs: readonly string[];
  readonly mode: AccessMode;
}

/** What EKS sets when a cluster is created (or updated) without a publicAccessCidrs list. */
export const DEFAULT_PUBLIC_ACCESS_CIDRS: readonly string[] = ['0.0.0.0/0'];

/**
 * The one reading of a cluster's endpoint configuration: the audit shows it, the rule judges it,
 * remediation plans and verifies from it. AWS creates clusters with endpointPublicAccess=true,
 * endpointPrivateAccess=false and publicAccessCidrs=["0.0.0.0/0"]; a missing field therefore
 * means the open default.
 */
export function endpointAccessOf(cluster: ClusterRecord): EndpointAccess {
  const vpc = cluster.resourcesVpcConfig ?? {};
  const publicAccess = vpc.endpointPublicAccess ?? true;
  const privateAccess = vpc.endpointPrivateAccess ?? false;
  const publicAccessCidrs = vpc.publicAccessCidrs ?? [];
  const effectivePublicAccessCidrs = vpc.publicAccessCidrs ?? DEFAULT_PUBLIC_ACCESS_CIDRS;
  let mode: AccessMode = 'private';
  if (publicAccess) {
    const open =
      effectivePublicAccessCidrs.length === 0 || coversWholeInternet(effectivePublicAccessCidrs);
    mode = open ? 'public-open' : 'public-restricted';
  }
  return { publicAccess, privateAccess, publicAccessCidrs, effectivePublicAccessCidrs, mode };
}

/** "private only", "public restricted to 2 CIDRs (private on)", "public open (private off)". */
export function describeAccess(access: EndpointAccess): string {
  const privateNote = `private ${access.privateAccess ? 'on' : 'off'}`;
  switch (access.mode) {
    case 'private':
      return access.privateAccess ? 'private only' : 'no endpoint enabled';
    case 'public-restricted': {
      const n = access.publicAccessCidrs.length;
      return `public restricted to ${n} CIDR${n === 1 ? '' : 's'} (${privateNote})`;
    }
    case 'public-open':
      return `public open (${privateNote})`;
  }
}

/** The fix both endpoint rules suggest, ready to paste: public endpoint off, private on. */
export const PRIVATE_ENDPOINT_COMMANDS = {
  cli:
    'aws eks update-cluster-config --region <region> --name <cluster> ' +
    '--resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true',
  terraform: 'vpc_config {\n  endpoint_public_access  = false\n  endpoint_private_access = true\n}',
} as const;
