import {
  type Cluster,
  DescribeClusterCommand,
  type EKSClient,
  paginateListClusters,
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

const LIST_PAGE_SIZE = 100;

async function describeCluster(eks: EKSClient, name: string): Promise<ClusterScan> {
  try {
    const answer = await eks.send(new DescribeClusterCommand({ name }));
    if (!answer.cluster) {
      return {
        name,
        ok: false,
        error: { code: 'EmptyResponse', message: 'DescribeCluster returned no cluster' },
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
  concurrency: number,
  progress: ScanProgress,
): Promise<RegionScan> {
  const limit = pLimit(concurrency);
  const described: Promise<ClusterScan>[] = [];
  let error: AwsErrorInfo | undefined;
  try {
    for await (const page of paginateListClusters({ client: eks, pageSize: LIST_PAGE_SIZE }, {})) {
      const names = page.clusters ?? [];
      progress.clusterListed(region, names.length);
      for (const name of names) {
        described.push(
          limit(async () => {
            const result = await describeCluster(eks, name);
            progress.clusterDescribed(region);
            return result;
          }),
        );
      }
    }
  } catch (caught) {
    error = toErrorInfo(caught);
  }
  return { region, error, clusters: await Promise.all(described) };
}
