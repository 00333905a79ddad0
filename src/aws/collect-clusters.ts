import {
  type Cluster,
  DescribeClusterCommand,
  type EKSClient,
  ListClustersCommand,
  type ListClustersCommandOutput,
} from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import { type AwsErrorInfo, toErrorInfo } from './errors.js';

export type ClusterScan =
  | { readonly name: string; readonly ok: true; readonly cluster: Cluster }
  | { readonly name: string; readonly ok: false; readonly error: AwsErrorInfo };

export interface RegionScan {
  readonly region: string;
  /** Set when listing failed: the clusters below may then be only part of the region. */
  readonly error: AwsErrorInfo | undefined;
  readonly clusters: readonly ClusterScan[];
}

export interface ScanProgress {
  clusterListed(region: string, count: number): void;
  clusterDescribed(region: string): void;
}

export interface RegionScanOptions {
  /** DescribeCluster calls in flight. */
  readonly concurrency: number;
  /** Aborting it abandons the calls in flight; the scan then ends with errors. */
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
  | { readonly ok: false; readonly error: AwsErrorInfo };

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
    return { name, ok: true, cluster: answer.cluster };
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
  let error: AwsErrorInfo | undefined;
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
            const result = await describeCluster(eks, name, signal);
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
