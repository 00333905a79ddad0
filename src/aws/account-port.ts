import type { AwsClients } from './clients.js';
import { scanRegion } from './collect-clusters.js';
import { describeRegionNodes } from './describe-nodes.js';
import { callerAccountId } from './identity.js';
import { listAccountRegions } from './regions.js';
import { batchImportFindings, getFindings } from './security-hub.js';
import {
  describeCluster,
  describeUpdate,
  describeVpcDns,
  listUpdateIds,
  listUpdatesInProgress,
  submitEndpointUpdate,
} from './updates.js';

/**
 * Every call the use cases make in one account (src/app/ports.ts AccountAws), on that account's
 * per-region clients. EC2 loads on first use.
 */
export function accountPort(clients: AwsClients) {
  return {
    listRegions: async (homeRegion: string, signal: AbortSignal | undefined) =>
      listAccountRegions(await clients.ec2(homeRegion), signal),
    scanRegion: (
      region: string,
      options: Parameters<typeof scanRegion>[2],
      progress: Parameters<typeof scanRegion>[3],
    ) => scanRegion(clients.eks(region), region, options, progress),
    describeNodes: async (
      region: string,
      clusterNames: readonly string[],
      signal: AbortSignal | undefined,
    ) => describeRegionNodes(await clients.ec2(region), clusterNames, signal),
    callerAccount: (region: string, signal: AbortSignal | undefined) =>
      callerAccountId(clients, region, signal),
    describeCluster: (region: string, name: string, signal: AbortSignal) =>
      describeCluster(clients.eks(region), name, signal),
    describeUpdate: (region: string, name: string, updateId: string, signal: AbortSignal) =>
      describeUpdate(clients.eks(region), name, updateId, signal),
    listUpdateIds: (region: string, name: string, signal: AbortSignal) =>
      listUpdateIds(clients.eks(region), name, signal),
    listUpdatesInProgress: (region: string, name: string, signal: AbortSignal) =>
      listUpdatesInProgress(clients.eks(region), name, signal),
    describeVpcDns: async (region: string, vpcId: string, signal: AbortSignal) =>
      describeVpcDns(await clients.ec2(region), vpcId, signal),
    submitEndpointUpdate: (
      region: string,
      name: string,
      change: Parameters<typeof submitEndpointUpdate>[2],
      token: string,
      signal: AbortSignal,
    ) => submitEndpointUpdate(clients.eks(region), name, change, token, signal),
    getSecurityHubFindings: async (
      query: Parameters<typeof getFindings>[1],
      signal: AbortSignal | undefined,
    ) => getFindings(() => clients.securityHub(query.region), query, signal),
    importSecurityHubFindings: async (
      region: string,
      findings: Parameters<typeof batchImportFindings>[1],
      signal: AbortSignal | undefined,
    ) => batchImportFindings(() => clients.securityHub(region), findings, signal),
    destroy: () => clients.destroy(),
  };
}
