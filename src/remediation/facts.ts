import type { AccountRef } from '../model/accounts.js';
import type { EndpointChange } from '../model/endpoint.js';
import { toErrorInfo } from '../model/errors.js';
import type { Fact } from '../model/facts.js';
import type { ClusterRecord } from '../model/scan.js';
import type { ChangePort } from './change-port.js';
import { type ClusterFacts, needsVpcDns } from './planner.js';

/** Runs a read and turns a failure into a value. */
export async function factOf<T>(read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

/**
 * Reads what the pre-flight checks need about one cluster: updates in progress, and VPC DNS when
 * the change turns private access on. Never throws: each fact carries its own error.
 * DescribeCluster always names the VPC on AWS; a server that does not (moto) gets no benefit of the
 * doubt.
 */
export async function gatherFacts(
  aws: Pick<ChangePort, 'listUpdatesInProgress' | 'describeVpcDns'>,
  account: AccountRef,
  region: string,
  cluster: ClusterRecord,
  change: EndpointChange,
  signal: AbortSignal,
): Promise<ClusterFacts> {
  const name = cluster.name ?? '';
  const vpcId = cluster.resourcesVpcConfig?.vpcId;
  const vpcDns = (): Promise<ClusterFacts['vpcDns']> =>
    vpcId
      ? factOf(() => aws.describeVpcDns(region, vpcId, signal))
      : Promise.resolve({
          ok: false,
          error: { code: 'MissingVpcId', message: 'DescribeCluster did not name the cluster VPC' },
        });
  const [updatesInProgress, vpc] = await Promise.all([
    factOf(() => aws.listUpdatesInProgress(region, name, signal)),
    needsVpcDns(change) ? vpcDns() : Promise.resolve(undefined),
  ]);
  return { account, region, cluster, updatesInProgress, vpcDns: vpc };
}
