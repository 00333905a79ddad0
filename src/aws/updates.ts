import { DescribeVpcAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  type EKSClient,
  ListUpdatesCommand,
  type Update,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import type { Cluster } from '@aws-sdk/client-eks';
import { type EndpointChange } from '../model/endpoint.js';
import { type VpcDns } from '../model/facts.js';

/** Every call takes the abort signal of the command (SIGINT/SIGTERM) or of a deadline. */
const aborting = (signal: AbortSignal | undefined) => (signal ? { abortSignal: signal } : {});

export async function describeCluster(
  eks: EKSClient,
  name: string,
  signal?: AbortSignal,
): Promise<Cluster> {
  const answer = await eks.send(new DescribeClusterCommand({ name }), aborting(signal));
  if (!answer.cluster) throw new Error(`DescribeCluster returned no cluster for ${name}`);
  return answer.cluster;
}

export async function describeUpdate(
  eks: EKSClient,
  clusterName: string,
  updateId: string,
  signal?: AbortSignal,
): Promise<Update> {
  const answer = await eks.send(
    new DescribeUpdateCommand({ name: clusterName, updateId }),
    aborting(signal),
  );
  if (!answer.update) throw new Error(`DescribeUpdate returned no update for ${updateId}`);
  return answer.update;
}

/** Every update id of the cluster, ListUpdates to the last page; a page token seen twice is an error. */
export async function listUpdateIds(
  eks: EKSClient,
  clusterName: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await eks.send(
      new ListUpdatesCommand({ name: clusterName, ...(nextToken ? { nextToken } : {}) }),
      aborting(signal),
    );
    ids.push(...(page.updateIds ?? []));
    nextToken = page.nextToken;
    if (nextToken !== undefined && seen.has(nextToken))
      throw new Error(`ListUpdates for ${clusterName} repeated the page token ${nextToken}`);
    if (nextToken !== undefined) seen.add(nextToken);
  } while (nextToken);
  return ids;
}

/** Ids of the cluster's updates still InProgress: ListUpdates to the last page, then DescribeUpdate each. */
export async function listUpdatesInProgress(
  eks: EKSClient,
  clusterName: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const ids = await listUpdateIds(eks, clusterName, signal);
  const updates = await Promise.all(ids.map((id) => describeUpdate(eks, clusterName, id, signal)));
  return updates.filter((u) => u.status === 'InProgress').map((u) => u.id ?? '');
}

export async function describeVpcDns(
  ec2: EC2Client,
  vpcId: string,
  signal?: AbortSignal,
): Promise<VpcDns> {
  const attribute = (Attribute: 'enableDnsSupport' | 'enableDnsHostnames') =>
    ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }), aborting(signal));
  const [support, hostnames] = await Promise.all([
    attribute('enableDnsSupport'),
    attribute('enableDnsHostnames'),
  ]);
  return {
    vpcId,
    enableDnsSupport: support.EnableDnsSupport?.Value ?? false,
    enableDnsHostnames: hostnames.EnableDnsHostnames?.Value ?? false,
  };
}

/** UpdateClusterConfig with only the endpoint fields: EKS accepts one type of update per call. */
export async function submitEndpointUpdate(
  eks: EKSClient,
  clusterName: string,
  change: EndpointChange,
  clientRequestToken: string,
  signal?: AbortSignal,
): Promise<Update> {
  const answer = await eks.send(
    new UpdateClusterConfigCommand({
      name: clusterName,
      clientRequestToken,
      resourcesVpcConfig: {
        endpointPublicAccess: change.endpointPublicAccess,
        endpointPrivateAccess: change.endpointPrivateAccess,
        ...(change.publicAccessCidrs ? { publicAccessCidrs: [...change.publicAccessCidrs] } : {}),
      },
    }),
    aborting(signal),
  );
  if (!answer.update) throw new Error(`UpdateClusterConfig returned no update for ${clusterName}`);
  return answer.update;
}
