/** What a scan reads of an account: its regions, its clusters as DescribeCluster answered, or why not. */
import type {
  Cluster,
  KubernetesNetworkConfigResponse,
  VpcConfigResponse,
} from '@aws-sdk/client-eks';
import type { AccountTarget } from './accounts.js';
import type { ErrorInfo } from './errors.js';
import type { RegionNodes } from './nodes.js';

export interface AccountRegion {
  readonly name: string;
  /** opt-in-not-required | opted-in | not-opted-in */
  readonly optInStatus: string;
}

export type RegionList =
  | { readonly ok: true; readonly regions: AccountRegion[] }
  | { readonly ok: false; readonly error: ErrorInfo };

/**
 * What the audit and remediation read from a DescribeCluster answer, in the SDK's own field names,
 * and nothing more: the rules (endpoint access), the planner and its pre-flight checks (name, ARN,
 * status, VPC, IPv6 endpoint, managed-as-code tags). A whole answer is about ten times larger
 * (subnets, security groups, logging, OIDC issuer, certificate), and a scan holds every cluster
 * of the account until the report is built. A full `Cluster` fits this type, so the change path's
 * fresh DescribeCluster answers need no conversion.
 * certificateAuthority is kept only when asked (`audit --probe` verifies the endpoint's TLS
 * certificate against it): it is the largest field a scan would otherwise hold.
 */
export interface ClusterRecord extends Pick<
  Cluster,
  'name' | 'arn' | 'status' | 'version' | 'endpoint' | 'tags' | 'certificateAuthority'
> {
  readonly resourcesVpcConfig?:
    | Pick<
        VpcConfigResponse,
        'vpcId' | 'endpointPublicAccess' | 'endpointPrivateAccess' | 'publicAccessCidrs'
      >
    | undefined;
  readonly kubernetesNetworkConfig?: Pick<KubernetesNetworkConfigResponse, 'ipFamily'> | undefined;
}

export type ClusterScan =
  | { readonly name: string; readonly ok: true; readonly cluster: ClusterRecord }
  | { readonly name: string; readonly ok: false; readonly error: ErrorInfo };

export interface RegionScan {
  readonly region: string;
  /** Set when listing failed: the clusters below may then be only part of the region. */
  readonly error: ErrorInfo | undefined;
  readonly clusters: readonly ClusterScan[];
  /** The region's EC2 nodes, read only when a rule needs them (EKS-003). */
  readonly nodes?: RegionNodes | undefined;
}

export interface ScanProgress {
  clusterListed(region: string, count: number): void;
  clusterDescribed(region: string): void;
}

/** What was read in one account: its regions (scanned, or skipped as not enabled), or why not. */
export type AccountScanResult =
  | {
      readonly target: AccountTarget;
      readonly ok: true;
      readonly optInStatus: ReadonlyMap<string, string>;
      readonly skipped: readonly AccountRegion[];
      readonly scans: readonly RegionScan[];
    }
  | { readonly target: AccountTarget; readonly ok: false; readonly error: ErrorInfo };

export type CallerAccount =
  | { readonly ok: true; readonly accountId: string }
  | { readonly ok: false; readonly error: ErrorInfo };

export interface RegionScanOptions {
  /** DescribeCluster calls in flight. */
  readonly concurrency: number;
  /** Keep each cluster's certificateAuthority (for --probe). */
  readonly keepCertificateAuthority?: boolean | undefined;
  /**
   * Aborting it stops the scan before its next call; the calls in flight end when their clients
   * are destroyed. (The signal is not sent with each call: a call sent with options rebuilds its
   * middleware stack, which the clients' `cacheMiddleware` saves. See aws/clients.ts.)
   */
  readonly signal?: AbortSignal | undefined;
}

/** How a scan's progress is shown: regions planned and finished, clusters listed and described. */
export interface AuditProgress extends ScanProgress {
  regionsPlanned(count: number): void;
  regionFinished(region: string): void;
}

/** Progress nobody watches (a pipe, a test). */
export const silentProgress: AuditProgress = {
  regionsPlanned: () => undefined,
  regionFinished: () => undefined,
  clusterListed: () => undefined,
  clusterDescribed: () => undefined,
};
