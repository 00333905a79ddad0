import pLimit from 'p-limit';
import type { AccountRef } from '../model/accounts.js';
import type { ErrorInfo } from '../model/errors.js';
import type { ClusterRecord, RegionScan } from '../model/scan.js';
import { check as eks001 } from '../rules/eks-001-endpoint-public-access.js';
import type { ChangePort } from './change-port.js';
import { gatherFacts } from './facts.js';
import type { ClusterPlan, UnreadScope } from './plan.js';
import type { ManagedAsCodePolicy } from './preflight/types.js';
import {
  changeFor,
  planPassingCluster,
  planRemediationCluster,
  planSkippedCluster,
  type RemediationRequest,
} from './planner.js';

export interface ScanSelection {
  /** --cluster: only these names; clusters named here that pass are listed as skipped. */
  readonly clusterNames: readonly string[] | undefined;
  readonly operatorIp: string | undefined;
  /** Block clusters managed as code, or allow the drift (--allow-drift). */
  readonly managedAsCode: ManagedAsCodePolicy;
  readonly concurrency: number;
  /** Failing clusters an exemption in force accepts, by ARN, with why: planned as skip, never changed. */
  readonly exempted?: ReadonlyMap<string, string>;
  /** Aborts the reads in flight (SIGINT/SIGTERM). */
  readonly signal: AbortSignal;
}

export interface ScannedPlan {
  readonly clusters: ClusterPlan[];
  readonly unread: UnreadScope[];
  /** --cluster names found in no scanned region. */
  readonly notFound: string[];
}

/** What a scan read in one account: its regions, or why the account could not be read at all. */
export type AccountScan = { readonly account: AccountRef } & (
  | { readonly ok: true; readonly aws: ChangePort; readonly scans: readonly RegionScan[] }
  | { readonly ok: false; readonly error: ErrorInfo }
);

interface Candidate {
  readonly account: AccountRef;
  readonly aws: ChangePort;
  readonly region: string;
  readonly cluster: ClusterRecord;
  readonly fails: boolean;
}

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
  const candidates: Candidate[] = [];
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
            aws: read.aws,
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
    candidates.map(({ account, aws, region, cluster, fails }) =>
      limit(async () => {
        const facts = await gatherFacts(aws, account, region, cluster, change, selection.signal);
        return fails
          ? planRemediationCluster(facts, request, selection.operatorIp, selection.managedAsCode)
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
