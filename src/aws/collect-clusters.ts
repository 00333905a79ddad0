import {
  type Cluster,
  DescribeClusterCommand,
  type EKSClient,
  type KubernetesNetworkConfigResponse,
  ListClustersCommand,
  type ListClustersCommandOutput,
  type VpcConfigResponse,
} from '@aws-sdk/client-eks';
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { type ErrorInfo, toErrorInfo } from '../model/errors.js';

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

/** Pure: the record kept of a DescribeCluster answer (see ClusterRecord). */
export function slimCluster(cluster: Cluster, keepCertificateAuthority = false): ClusterRecord {
  const vpc = cluster.resourcesVpcConfig;
  const network = cluster.kubernetesNetworkConfig;
  return {
    name: cluster.name,
    arn: cluster.arn,
    status: cluster.status,
    version: cluster.version,
    endpoint: cluster.endpoint,
    tags: cluster.tags,
    resourcesVpcConfig: vpc && {
      vpcId: vpc.vpcId,
      endpointPublicAccess: vpc.endpointPublicAccess,
      endpointPrivateAccess: vpc.endpointPrivateAccess,
      publicAccessCidrs: vpc.publicAccessCidrs,
    },
    kubernetesNetworkConfig: network && { ipFamily: network.ipFamily },
    ...(keepCertificateAuthority && cluster.certificateAuthority
      ? { certificateAuthority: { data: cluster.certificateAuthority.data } }
      : {}),
  };
}

export type ClusterScan =
  | { readonly name: string; readonly ok: true; readonly cluster: ClusterRecord }
  | { readonly name: string; readonly ok: false; readonly error: ErrorInfo };

export interface RegionScan {
  readonly region: string;
  /** Set when listing failed: the clusters below may then be only part of the region. */
  readonly error: ErrorInfo | undefined;
  readonly clusters: readonly ClusterScan[];
}

export interface ScanProgress {
  clusterListed(region: string, count: number): void;
  clusterDescribed(region: string): void;
}

export interface RegionScanOptions {
  /** DescribeCluster calls in flight. */
  readonly concurrency: number;
  /** Keep each cluster's certificateAuthority (for --probe). */
  readonly keepCertificateAuthority?: boolean | undefined;
  /**
   * Aborting it abandons the calls in flight, and the SDK's backoff between attempts; the scan
   * then ends with errors. (The SDK's `cacheMiddleware` would save building each call's middleware
   * stack, but only for calls sent without options, so without this signal, and it shares one
   * handler context between concurrent calls: not used.)
   */
  readonly signal?: AbortSignal | undefined;
}

const LIST_PAGE_SIZE = 100;

/** What the listing of one region has seen so far: the tokens it followed and the names listed. */
export interface ListingSeen {
  readonly tokens: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
}

export type PageVerdict =
  | { readonly ok: true; readonly names: readonly string[]; readonly nextToken: string | undefined }
  | { readonly ok: false; readonly error: ErrorInfo };

const paginationFault = (message: string): PageVerdict => ({
  ok: false,
  error: { code: 'PaginationLoop', message: `${message}; stopped listing this region` },
});

/**
 * Pure: whether a ListClusters page can be trusted, given the pages before it. A page without a
 * cluster list (an empty or HTML body parses to that) is an error, not an empty region; a token
 * seen before or a name listed twice means the server is paging in a loop, which would otherwise
 * run forever.
 */
export function checkListPage(
  seen: ListingSeen,
  page: Pick<ListClustersCommandOutput, 'clusters' | 'nextToken'>,
): PageVerdict {
  if (!Array.isArray(page.clusters)) {
    return {
      ok: false,
      error: {
        code: 'InvalidResponse',
        message: 'ListClusters answered without a cluster list (not an EKS answer?)',
      },
    };
  }
  const nextToken = page.nextToken || undefined;
  if (nextToken !== undefined && seen.tokens.has(nextToken)) {
    return paginationFault('ListClusters returned a nextToken it had returned before');
  }
  const inPage = new Set<string>();
  for (const name of page.clusters) {
    if (seen.names.has(name) || inPage.has(name)) {
      return paginationFault(`ListClusters listed cluster "${name}" twice`);
    }
    inPage.add(name);
  }
  return { ok: true, names: page.clusters, nextToken };
}

async function describeCluster(
  eks: EKSClient,
  name: string,
  signal: AbortSignal | undefined,
  keepCertificateAuthority: boolean,
): Promise<ClusterScan> {
  try {
    const answer = await eks.send(new DescribeClusterCommand({ name }), { abortSignal: signal });
    if (!answer.cluster) {
      return {
        name,
        ok: false,
        error: { code: 'EmptyResponse', message: 'DescribeCluster returned no cluster' },
      };
    }
    if (answer.cluster.name !== undefined && answer.cluster.name !== name) {
      return {
        name,
        ok: false,
        error: {
          code: 'InvalidResponse',
          message: `DescribeCluster ${name} answered with cluster "${answer.cluster.name}"`,
        },
      };
    }
    return { name, ok: true, cluster: slimCluster(answer.cluster, keepCertificateAuthority) };
  } catch (error) {
    return { name, ok: false, error: toErrorInfo(error) };
  }
}

/**
 * ListClusters to the last page, describing each page's clusters as soon as it arrives
 * (at most `concurrency` DescribeCluster calls in flight). Never throws: failures are values.
 */
export async function scanRegion(
  eks: EKSClient,
  region: string,
  options: RegionScanOptions,
  progress: ScanProgress,
): Promise<RegionScan> {
  const { signal } = options;
  // The SDK listens on a call's signal (its retry backoff, its HTTP handler) for every call in
  // flight, and one scan signal serves every region's calls: dozens of listeners, not a leak, and
  // Node's MaxListenersExceededWarning would otherwise land on stderr.
  if (signal) setMaxListeners(0, signal);
  const limit = pLimit(options.concurrency);
  const described: Promise<ClusterScan>[] = [];
  const tokens = new Set<string>();
  const names = new Set<string>();
  let error: ErrorInfo | undefined;
  let nextToken: string | undefined;
  try {
    do {
      const page = await eks.send(
        new ListClustersCommand({ maxResults: LIST_PAGE_SIZE, nextToken }),
        { abortSignal: signal },
      );
      const verdict = checkListPage({ tokens, names }, page);
      if (!verdict.ok) {
        error = verdict.error;
        break;
      }
      progress.clusterListed(region, verdict.names.length);
      for (const name of verdict.names) {
        names.add(name);
        described.push(
          limit(async () => {
            const result = await describeCluster(
              eks,
              name,
              signal,
              options.keepCertificateAuthority === true,
            );
            progress.clusterDescribed(region);
            return result;
          }),
        );
      }
      nextToken = verdict.nextToken;
      if (nextToken !== undefined) tokens.add(nextToken);
    } while (nextToken !== undefined);
  } catch (caught) {
    error = toErrorInfo(caught);
  }
  return { region, error, clusters: await Promise.all(described) };
}
