import { DescribeVpcAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  type EKSClient,
  paginateListUpdates,
  type Update,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import type { Cluster } from '@aws-sdk/client-eks';
import type { EndpointChange } from '../remediation/endpoint-config.js';
import type { Fact, VpcDns } from '../remediation/preflight/types.js';
import { toErrorInfo } from './errors.js';

/** Runs an AWS call and turns a failure into a value. */
export async function factOf<T>(read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

export async function describeCluster(eks: EKSClient, name: string): Promise<Cluster> {
  const answer = await eks.send(new DescribeClusterCommand({ name }));
  if (!answer.cluster) throw new Error(`DescribeCluster returned no cluster for ${name}`);
  return answer.cluster;
}

export async function describeUpdate(
  eks: EKSClient,
  clusterName: string,
  updateId: string,
): Promise<Update> {
  const answer = await eks.send(new DescribeUpdateCommand({ name: clusterName, updateId }));
  if (!answer.update) throw new Error(`DescribeUpdate returned no update for ${updateId}`);
  return answer.update;
}

/** Ids of the cluster's updates still InProgress: ListUpdates to the last page, then DescribeUpdate each. */
export async function listUpdatesInProgress(
  eks: EKSClient,
  clusterName: string,
): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateListUpdates({ client: eks }, { name: clusterName })) {
    ids.push(...(page.updateIds ?? []));
  }
  const updates = await Promise.all(ids.map((id) => describeUpdate(eks, clusterName, id)));
  return updates.filter((u) => u.status === 'InProgress').map((u) => u.id ?? '');
}

export async function describeVpcDns(ec2: EC2Client, vpcId: string): Promise<VpcDns> {
  const [support, hostnames] = await Promise.all([
    ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' })),
    ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' })),
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
  );
  if (!answer.update) throw new Error(`UpdateClusterConfig returned no update for ${clusterName}`);
  return answer.update;
}
