import {
  type Cluster,
  type EKSClient,
  ListClustersCommand,
  type ListClustersCommandOutput,
} from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import { DescribeClusterForScanCommand } from './scan-describe-cluster.js';
import { type ErrorInfo, toErrorInfo } from '../model/errors.js';
import {
  type ClusterRecord,
  type ClusterScan,
  type ScanProgress,
  type RegionScan,
  type RegionScanOptions,
} from '../model/scan.js';

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

const LIST_PAGE_SIZE = 100;

/** What a call not sent, or not waited for, because the scan was stopped, reports. */
const abandoned = (): ErrorInfo => ({
  code: 'AbortError',
  message: 'the scan was stopped before this call was answered',
});

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
  if (signal?.aborted) return { name, ok: false, error: abandoned() };
  try {
    // No per-call options: the call takes the short path (lean-calls.ts), which reads only what
    // slimCluster keeps, and destroying the clients ends it.
    const answer = await eks.send(new DescribeClusterForScanCommand({ name }));
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
  const limit = pLimit(options.concurrency);
  const described: Promise<ClusterScan>[] = [];
  const tokens = new Set<string>();
  const names = new Set<string>();
  let error: ErrorInfo | undefined;
  let nextToken: string | undefined;
  try {
    do {
      if (signal?.aborted) {
        error = abandoned();
        break;
      }
      const page = await eks.send(
        new ListClustersCommand({ maxResults: LIST_PAGE_SIZE, nextToken }),
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
