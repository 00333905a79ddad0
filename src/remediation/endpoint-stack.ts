import type { Cluster } from '@aws-sdk/client-eks';
import { cidrFamily } from '../net/cidr.js';
import { type EndpointChange } from '../model/endpoint.js';

/**
 * Which address families a cluster's public endpoint can be restricted to.
 *
 * AWS's word (EKS User Guide, "Cluster API server endpoint"; API reference,
 * VpcConfigRequest.publicAccessCidrs): EKS gives IPv6 clusters (kubernetesNetworkConfig.ipFamily
 * "ipv6") made since October 2024 a dual-stack endpoint named eks-cluster.REGION.api.aws
 * (api.amazonwebservices.com.cn in China); their default allowlist is 0.0.0.0/0 plus ::/0. IPv6
 * CIDR blocks cannot be added to IPv4 clusters, nor to IPv6 clusters made before October 2024,
 * whose endpoint is on eks.amazonaws.com and resolves to IPv4 addresses only.
 *
 * Our reading: the endpoint's host name is what tells the two IPv6 kinds apart (AWS gives no exact
 * cut-over date to compare createdAt with), so a cluster is dual-stack when its ipFamily is ipv6
 * and its endpoint is on api.aws or api.amazonwebservices.com.cn. Anything else, including an
 * answer with no endpoint or no ipFamily, is taken as IPv4-only: sending EKS an IPv6 range it does
 * not take would fail the update, while leaving one out of an IPv4-only endpoint loses nothing,
 * since IPv6 clients cannot reach that endpoint at all.
 */
export type EndpointStack =
  { readonly dualStack: true } | { readonly dualStack: false; readonly why: string };

const DUAL_STACK_DOMAINS = ['.api.aws', '.api.amazonwebservices.com.cn'];

function hostOf(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    return new URL(endpoint).hostname;
  } catch {
    // A bare host name rather than a URL: take it as it is.
    return endpoint;
  }
}

export function endpointStackOf(cluster: Cluster): EndpointStack {
  const ipFamily = cluster.kubernetesNetworkConfig?.ipFamily?.toLowerCase();
  const host = hostOf(cluster.endpoint);
  if (ipFamily !== 'ipv6') {
    return {
      dualStack: false,
      why: `the cluster is IPv4 (ipFamily ${ipFamily ?? 'not reported'}), and EKS takes IPv6 ranges only on the dual-stack endpoints of IPv6 clusters`,
    };
  }
  if (host !== undefined && DUAL_STACK_DOMAINS.some((domain) => host.endsWith(domain))) {
    return { dualStack: true };
  }
  return {
    dualStack: false,
    why:
      `the cluster's endpoint (${host ?? 'not reported'}) is IPv4-only: only IPv6 clusters made since October 2024 ` +
      'have a dual-stack endpoint on api.aws that takes IPv6 ranges',
  };
}

/** An allowlist entry a cluster cannot take, and why. */
export interface LeftOutCidr {
  readonly cidr: string;
  readonly reason: string;
}

export interface FittedCidrs {
  readonly kept: string[];
  readonly leftOut: LeftOutCidr[];
}

/** The entries this cluster's endpoint can take, in the order given, and the others with the reason. */
export function fitCidrsToCluster(cidrs: readonly string[], cluster: Cluster): FittedCidrs {
  const stack = endpointStackOf(cluster);
  if (stack.dualStack) return { kept: [...cidrs], leftOut: [] };
  const kept = cidrs.filter((cidr) => cidrFamily(cidr) !== 6);
  const leftOut = cidrs
    .filter((cidr) => cidrFamily(cidr) === 6)
    .map((cidr) => ({ cidr, reason: stack.why }));
  return { kept, leftOut };
}

/** The change with only the allowlist entries this cluster can take; a change without a list is kept as is. */
export function fitChangeToCluster(
  change: EndpointChange,
  cluster: Cluster,
): { readonly change: EndpointChange; readonly leftOut: LeftOutCidr[] } {
  if (change.publicAccessCidrs === undefined) return { change, leftOut: [] };
  const { kept, leftOut } = fitCidrsToCluster(change.publicAccessCidrs, cluster);
  return { change: { ...change, publicAccessCidrs: kept }, leftOut };
}
