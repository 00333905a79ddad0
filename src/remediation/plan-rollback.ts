import type { Cluster } from '@aws-sdk/client-eks';
import pLimit from 'p-limit';
import type { AccountRef } from '../model/accounts.js';
import { toErrorInfo } from '../model/errors.js';
import { applyChange } from './endpoint-config.js';
import { gatherFacts } from './facts.js';
import type { JournalEntry } from './journal.js';
import type { ClusterPlan, UnreadScope } from './plan.js';
import type { AccountPort } from './change-port.js';
import { planCluster, restoreChange } from './planner.js';

/**
 * Rollback: each cluster the journal shows changed and verified, planned back to its configuration
 * before, read in its own account with the journal line's role.
 */
export async function planRollback(
  portFor: (account: AccountRef) => AccountPort,
  verified: readonly JournalEntry[],
  operatorIp: string | undefined,
  concurrency: number,
  signal: AbortSignal,
): Promise<{ clusters: ClusterPlan[]; unread: UnreadScope[] }> {
  const limit = pLimit(concurrency);
  const unread: UnreadScope[] = [];
  const planned = await Promise.all(
    verified.map((entry) =>
      limit(async () => {
        const { region, accountId } = entry;
        const account = { accountId, roleArn: entry.roleArn };
        const reached = portFor(account);
        if (!reached.ok) {
          unread.push({ accountId, region, clusterName: entry.clusterName, error: reached.error });
          return undefined;
        }
        const { aws } = reached;
        let cluster: Cluster;
        try {
          cluster = await aws.describeCluster(region, entry.clusterName, signal);
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
        const facts = await gatherFacts(aws, account, region, cluster, change, signal);
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
