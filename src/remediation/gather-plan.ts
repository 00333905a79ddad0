import type { Cluster } from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import type { AwsClients } from '../aws/clients.js';
import type { ClusterRecord, RegionScan } from '../aws/collect-clusters.js';
import { type ErrorInfo, toErrorInfo } from '../model/errors.js';
import {
  describeCluster,
  describeUpdate,
  describeVpcDns,
  factOf,
  listUpdateIds,
  listUpdatesInProgress,
  submitEndpointUpdate,
} from '../aws/updates.js';
import type { AccountRef } from './accounts.js';
import type { ChangePort } from './change-port.js';
import { check as eks001 } from '../rules/eks-001-endpoint-public-access.js';
import type { EndpointChange } from './endpoint-config.js';
import { applyChange } from './endpoint-config.js';
import type { JournalEntry } from './journal.js';
import type { ClusterPlan, UnreadScope } from './plan.js';
import {
  changeFor,
  type ClusterFacts,
  needsVpcDns,
  planCluster,
  planPassingCluster,
  planRemediationCluster,
  planSkippedCluster,
  type RemediationRequest,
  restoreChange,
} from './planner.js';

/** DescribeCluster always names the VPC on AWS; a server that does not (moto) gets no benefit of the doubt. */
function vpcDnsOf(
  clients: AwsClients,
  region: string,
  vpcId: string | undefined,
  signal: AbortSignal | undefined,
) {
  if (!vpcId) {
    return Promise.resolve({
      ok: false as const,
      error: { code: 'MissingVpcId', message: 'DescribeCluster did not name the cluster VPC' },
    });
  }
  return factOf(async () => describeVpcDns(await clients.ec2(region), vpcId, signal));
}

/** Reads what the pre-flight checks need about one cluster: updates in progress, and VPC DNS when it matters. */
export async function gatherFacts(
  clients: AwsClients,
  account: AccountRef,
  region: string,
  cluster: ClusterRecord,
  change: EndpointChange,
  signal?: AbortSignal,
): Promise<ClusterFacts> {
  const name = cluster.name ?? '';
  const vpcId = cluster.resourcesVpcConfig?.vpcId;
  const [updatesInProgress, vpcDns] = await Promise.all([
    factOf(() => listUpdatesInProgress(clients.eks(region), name, signal)),
    needsVpcDns(change) ? vpcDnsOf(clients, region, vpcId, signal) : Promise.resolve(undefined),
  ]);
  return { account, region, cluster, updatesInProgress, vpcDns };
}

export interface ScanSelection {
  /** --cluster: only these names; clusters named here that pass are listed as skipped. */
  readonly clusterNames: readonly string[] | undefined;
  readonly operatorIp: string | undefined;
  readonly concurrency: number;
  /** Failing clusters an exemption in force accepts, by ARN, with why: planned as skip, never changed. */
  readonly exempted?: ReadonlyMap<string, string>;
}

export interface ScannedPlan {
  readonly clusters: ClusterPlan[];
  readonly unread: UnreadScope[];
  /** --cluster names found in no scanned region. */
  readonly notFound: string[];
}

/** One account's clients (with its role's credentials), or why the account cannot be reached. */
export type AccountClients =
  | { readonly ok: true; readonly clients: AwsClients }
  | { readonly ok: false; readonly error: ErrorInfo };

/** What a scan read in one account: its regions, or why the account could not be read at all. */
export type AccountScan = { readonly account: AccountRef } & (
  | { readonly ok: true; readonly clients: AwsClients; readonly scans: readonly RegionScan[] }
  | { readonly ok: false; readonly error: ErrorInfo }
);

/** From an audit's scans, account by account, to one plan entry per failing (or named) cluster. */
export async function planFromScans(
  accounts: readonly AccountScan[],
  request: RemediationRequest,
  selection: ScanSelection,
): Promise<ScannedPlan> {
  const named = selection.clusterNames ? new Set(selection.clusterNames) : undefined;
  const wanted = (name: string) => !named || named.has(name);
  const unread: UnreadScope[] = [];
  const found = new Set<string>();
  const candidates: {
    account: AccountRef;
    clients: AwsClients;
    region: string;
    cluster: ClusterRecord;
    fails: boolean;
  }[] = [];
  const exempt: ClusterPlan[] = [];
  for (const read of accounts) {
    const { accountId } = read.account;
    if (!read.ok) {
      unread.push({ accountId, region: null, clusterName: null, error: read.error });
      continue;
    }
    for (const scan of read.scans) {
      const { region } = scan;
      if (scan.error) unread.push({ accountId, region, clusterName: null, error: scan.error });
      for (const c of scan.clusters) {
        if (!wanted(c.name)) continue;
        found.add(c.name);
        if (!c.ok) {
          unread.push({ accountId, region, clusterName: c.name, error: c.error });
          continue;
        }
        const fails = eks001(c.cluster).status === 'FAIL';
        const exemption = c.cluster.arn ? selection.exempted?.get(c.cluster.arn) : undefined;
        if (fails && exemption !== undefined) {
          exempt.push(planSkippedCluster(read.account, region, c.cluster, exemption));
          continue;
        }
        if (fails || named) {
          candidates.push({
            account: read.account,
            clients: read.clients,
            region,
            cluster: c.cluster,
            fails,
          });
        }
      }
    }
  }
  const change = changeFor(request);
  const limit = pLimit(selection.concurrency);
  const clusters = await Promise.all(
    candidates.map(({ account, clients, region, cluster, fails }) =>
      limit(async () => {
        const facts = await gatherFacts(clients, account, region, cluster, change);
        return fails
          ? planRemediationCluster(facts, request, selection.operatorIp)
          : planPassingCluster(facts);
      }),
    ),
  );
  const notFound = (selection.clusterNames ?? []).filter((n) => !found.has(n));
  return { clusters: [...clusters, ...exempt], unread, notFound };
}

/** Pure: one plan from each account's: a --cluster name is missing only if no account had it. */
export function mergeScannedPlans(plans: readonly ScannedPlan[]): ScannedPlan {
  return {
    clusters: plans.flatMap((p) => p.clusters),
    unread: plans.flatMap((p) => p.unread),
    notFound: (plans[0]?.notFound ?? []).filter((name) =>
      plans.every((p) => p.notFound.includes(name)),
    ),
  };
}

/**
 * Rollback: each cluster the journal shows changed and verified, planned back to its configuration
 * before, read in its own account with the journal line's role.
 */
export async function planRollback(
  clientsFor: (account: AccountRef) => AccountClients,
  verified: readonly JournalEntry[],
  operatorIp: string | undefined,
  concurrency: number,
): Promise<{ clusters: ClusterPlan[]; unread: UnreadScope[] }> {
  const limit = pLimit(concurrency);
  const unread: UnreadScope[] = [];
  const planned = await Promise.all(
    verified.map((entry) =>
      limit(async () => {
        const { region, accountId } = entry;
        const account = { accountId, roleArn: entry.roleArn };
        const reached = clientsFor(account);
        if (!reached.ok) {
          unread.push({ accountId, region, clusterName: entry.clusterName, error: reached.error });
          return undefined;
        }
        const { clients } = reached;
        let cluster: Cluster;
        try {
          cluster = await describeCluster(clients.eks(region), entry.clusterName);
        } catch (error) {
          unread.push({
            accountId,
            region,
            clusterName: entry.clusterName,
            error: toErrorInfo(error),
          });
          return undefined;
        }
        if (cluster.arn !== entry.clusterArn) {
          const message = `the cluster these credentials reach is ${cluster.arn ?? '(no ARN)'}, not the journal's ${entry.clusterArn} (another account?); not rolled back`;
          unread.push({
            accountId,
            region,
            clusterName: entry.clusterName,
            error: { code: 'ClusterArnMismatch', message },
          });
          return undefined;
        }
        const change = restoreChange(entry.before);
        const facts = await gatherFacts(clients, account, region, cluster, change);
        return planCluster(
          facts,
          {
            change,
            expectedCurrent: applyChange(entry.before, entry.requested),
            updateReason: `rollback of plan ${entry.planId}: restores the configuration before it.`,
          },
          operatorIp,
        );
      }),
    ),
  );
  return { clusters: planned.filter((p): p is ClusterPlan => p !== undefined), unread };
}

/** The change path's AWS calls, on one account's per-region clients. */
export function awsChangePort(clients: AwsClients, account: AccountRef): ChangePort {
  return {
    describeCluster: (region, name, signal) => describeCluster(clients.eks(region), name, signal),
    describeUpdate: (region, name, updateId, signal) =>
      describeUpdate(clients.eks(region), name, updateId, signal),
    listUpdateIds: (region, name, signal) => listUpdateIds(clients.eks(region), name, signal),
    submitEndpointUpdate: (region, name, change, token, signal) =>
      submitEndpointUpdate(clients.eks(region), name, change, token, signal),
    gatherFacts: (region, cluster, change, signal) =>
      gatherFacts(clients, account, region, cluster, change, signal),
  };
}
