/**
 * What a scan reads of a region's EC2 nodes for rule EKS-003 (configured exposure of nodes), and the
 * plain evidence of an exposed node the rule reports (which the node probe reads too).
 */
import type { IpPermission } from '@aws-sdk/client-ec2';
import type { ErrorInfo } from './errors.js';
import type { Severity } from './findings.js';

/** The tag keys that tie an EC2 instance to a cluster (kubernetes.io/cluster/NAME is the third). */
export const EKS_CLUSTER_NAME_TAGS = ['eks:cluster-name', 'eks:eks-cluster-name'] as const;
export const KUBERNETES_CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';

/** One running or pending instance tagged for a cluster, as DescribeInstances answered (the fields kept). */
export interface NodeInstance {
  readonly instanceId: string;
  /** running | pending */
  readonly state: string;
  /** The cluster tags only (kubernetes.io/cluster/*, eks:cluster-name, eks:eks-cluster-name). */
  readonly tags: Readonly<Record<string, string>>;
  readonly publicIpv4: string | null;
  readonly privateIpv4: string | null;
  readonly ipv6Addresses: readonly string[];
  /** Every security group of its network interfaces (of the instance when it names no interface). */
  readonly securityGroupIds: readonly string[];
  /**
   * Each network interface with its own public addresses and groups: a rule opens an address only
   * through the groups of the interface that holds it (VPC CNI custom networking gives pods' secondary
   * interfaces groups of their own). Absent: the instance as one interface (the fields above).
   */
  readonly interfaces?: readonly NodeInterface[];
}

export interface NodeInterface {
  /** The interface's public IPv4 addresses (its primary's, and Elastic IPs on secondary addresses). */
  readonly publicIpv4s: readonly string[];
  readonly ipv6Addresses: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/** A security group as DescribeSecurityGroups answered, in the SDK's field names (the fields kept). */
export interface NodeSecurityGroup {
  readonly GroupId: string;
  readonly GroupName?: string | undefined;
  readonly IpPermissions: readonly IpPermission[];
}

/** A managed prefix list's CIDRs, or why they could not be read (AccessDenied: not judged). */
export type PrefixListEntries =
  | { readonly ok: true; readonly cidrs: readonly string[] }
  | { readonly ok: false; readonly error: ErrorInfo };

/** A region's nodes, their groups and the prefix lists the groups name; or why they could not be read. */
export type RegionNodes =
  | {
      readonly ok: true;
      readonly instances: readonly NodeInstance[];
      readonly securityGroups: ReadonlyMap<string, NodeSecurityGroup>;
      readonly prefixLists: ReadonlyMap<string, PrefixListEntries>;
      /** AWS calls it took (DescribeInstances, DescribeSecurityGroups, GetManagedPrefixListEntries pages). */
      readonly calls: number;
    }
  | { readonly ok: false; readonly error: ErrorInfo };

/** A sensitive port (or range) a rule opens to the whole internet. */
export interface ExposedPort {
  readonly fromPort: number;
  readonly toPort: number;
  /** kubelet, kubelet-read-only, etcd, insecure-api, kube-proxy-health, ssh, nodeport */
  readonly service: string;
  readonly severity: Severity;
  /** The address families (4, 6) the internet reaches this port on: only those addresses are open on it. */
  readonly families: readonly (4 | 6)[];
}

/** One ingress rule of a group, as the evidence and the remediation advice give it. */
export interface ExposingRule {
  readonly groupId: string;
  /** tcp, or -1 for all traffic. */
  readonly ipProtocol: string;
  /** null for all ports (-1). */
  readonly fromPort: number | null;
  readonly toPort: number | null;
  /** The open source: a CIDR, or a prefix list id with the CIDRs it holds. */
  readonly source: string;
  readonly prefixListCidrs?: readonly string[];
}

/**
 * A node EKS-003 found open to the internet: plain data, so the node probe can take it from the
 * finding's evidence (instance, addresses, ports, and the cluster it belongs to).
 */
export interface ExposedNode {
  readonly clusterName: string;
  readonly region: string;
  readonly instanceId: string;
  /** The node's public addresses the exposure applies to (public IPv4 and/or IPv6). */
  readonly addresses: readonly { readonly address: string; readonly family: 4 | 6 }[];
  readonly ports: readonly ExposedPort[];
  readonly rules: readonly ExposingRule[];
  /** The worst of its ports. */
  readonly severity: Severity;
}
