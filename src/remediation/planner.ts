import { createHash } from 'node:crypto';
import type { Cluster } from '@aws-sdk/client-eks';

import { check as eks001 } from '../rules/eks-001-endpoint-public-access.js';
import {
  applyChange,
  endpointConfigOf,
  fingerprintOf,
  sameEndpointConfig,
} from './endpoint-config.js';

import { fitChangeToCluster } from './endpoint-stack.js';
import {
  type ClusterPlan,
  PLAN_KIND,
  type PlanMode,
  REMEDIATION_PLAN_SCHEMA_VERSION,
  type RemediationPlan,
  type UnreadScope,
} from './plan.js';
import { managedByOf } from '../model/managed-by.js';
import { runPreflight } from './preflight/registry.js';
import type { ManagedAsCodePolicy, PreflightInput, PreflightResult } from './preflight/types.js';
import { type ClusterRecord } from '../model/scan.js';
import { type EndpointChange, type EndpointConfig } from '../model/endpoint.js';
import { type AccountRef } from '../model/accounts.js';
import { type Fact, type VpcDns } from '../model/facts.js';

/** What the operator asked for, validated. */
export type RemediationRequest =
  | { readonly mode: 'private' }
  | { readonly mode: 'allowlist'; readonly allowCidrs: readonly string[] };

/**
 * Private: public off, private on; EKS keeps the old publicAccessCidrs but ignores them.
 * Allowlist: public on for the listed CIDRs only, and private on, so nodes and Fargate pods keep
 * reaching the API inside the VPC (with private off they would come through the public endpoint,
 * and an allowlist without their NAT addresses would cut them off).
 * Given the cluster, the list keeps only the entries its endpoint can take (IPv6 ranges go to
 * dual-stack endpoints only), as planCluster does; without it, the whole list.
 */
export function changeFor(request: RemediationRequest, cluster?: Cluster): EndpointChange {
  const change: EndpointChange =
    request.mode === 'private'
      ? { endpointPublicAccess: false, endpointPrivateAccess: true }
      : {
          endpointPublicAccess: true,
          endpointPrivateAccess: true,
          publicAccessCidrs: [...request.allowCidrs],
        };
  return cluster === undefined ? change : fitChangeToCluster(change, cluster).change;
}

/** Rollback puts all three fields back as they were. */
export function restoreChange(before: EndpointConfig): EndpointChange {
  return {
    endpointPublicAccess: before.endpointPublicAccess,
    endpointPrivateAccess: before.endpointPrivateAccess,
    publicAccessCidrs: [...before.publicAccessCidrs],
  };
}

/** Whether the cluster's VPC DNS attributes matter to this change, so the AWS layer fetches them. */
export function needsVpcDns(change: EndpointChange): boolean {
  return change.endpointPrivateAccess;
}

const shellQuote = (text: string) =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

/** The equivalent AWS CLI call, paste-able into a shell. */
export function awsCliCommand(region: string, clusterName: string, change: EndpointChange): string {
  const fields = [
    `endpointPublicAccess=${String(change.endpointPublicAccess)}`,
    `endpointPrivateAccess=${String(change.endpointPrivateAccess)}`,
  ];
  if (change.publicAccessCidrs) {
    fields.push(`publicAccessCidrs=[${change.publicAccessCidrs.map((c) => `"${c}"`).join(',')}]`);
  }
  return (
    `aws eks update-cluster-config --region ${region} --name ${shellQuote(clusterName)} ` +
    `--resources-vpc-config ${shellQuote(fields.join(','))}`
  );
}

/**
 * Idempotency token for UpdateClusterConfig: the same plan applied to the same cluster always
 * sends the same token, so EKS answers a repeated submit with the update it already started.
 */
export function clientRequestToken(planId: string, arn: string): string {
  const hex = createHash('sha256').update(`${planId}\n${arn}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A cluster as read for planning: the DescribeCluster answer (the fields a scan keeps) and the facts the checks need. */
export interface ClusterFacts {
  /** The account the cluster was read in, and the role used to read it. */
  readonly account: AccountRef;
  readonly region: string;
  readonly cluster: ClusterRecord;
  readonly updatesInProgress: Fact<readonly string[]>;
  readonly vpcDns: Fact<VpcDns> | undefined;
}

export interface PlanTarget {
  readonly change: EndpointChange;
  /**
   * Rollback only: the configuration eksposure left the cluster in. If the cluster has moved
   * since, someone else changed it and rolling back would overwrite their change.
   */
  readonly expectedCurrent?: EndpointConfig;
  /** Why the change is wanted, shown when it is planned. */
  readonly updateReason: string;
}

/**
 * Pure: one cluster's plan from what was read and what is wanted. The wanted allowlist is first
 * fitted to the cluster's endpoint: entries it cannot take are left out and named in the plan.
 */
export function planCluster(
  facts: ClusterFacts,
  target: PlanTarget,
  operatorIp: string | undefined,
  managedAsCode?: ManagedAsCodePolicy,
): ClusterPlan {
  const { cluster, region } = facts;
  const clusterName = cluster.name ?? '';
  const before = endpointConfigOf(cluster);
  const { change, leftOut } = fitChangeToCluster(target.change, cluster);
  const after = applyChange(before, change);
  const base = {
    accountId: facts.account.accountId,
    roleArn: facts.account.roleArn,
    region,
    clusterName,
    arn: cluster.arn ?? '',
    before,
    after,
    change,
    ...(leftOut.length > 0 ? { leftOutCidrs: leftOut } : {}),
    fingerprint: fingerprintOf(before),
    awsCliCommand: awsCliCommand(region, clusterName, change),
    managedBy: managedByOf(cluster.tags, managedAsCode?.declared),
  };
  if (sameEndpointConfig(before, after)) {
    return {
      ...base,
      action: 'skip',
      reason:
        'already at the requested configuration; EKS rejects a no-op update, so nothing is submitted.',
      preflight: [],
    };
  }
  const input: PreflightInput = {
    region,
    cluster,
    before,
    after,
    updatesInProgress: facts.updatesInProgress,
    vpcDns: facts.vpcDns,
    operatorIp,
    leftOutCidrs: leftOut,
    ...(managedAsCode ? { managedAsCode } : {}),
  };
  const preflight = runPreflight(input);
  if (target.expectedCurrent && !sameEndpointConfig(before, target.expectedCurrent)) {
    return {
      ...base,
      action: 'blocked',
      reason:
        'the endpoint configuration changed after eksposure set it; rolling back would overwrite that change.',
      preflight,
    };
  }
  const blocking = preflight.filter((r) => r.status === 'block');
  if (blocking.length > 0) {
    return {
      ...base,
      action: 'blocked',
      reason: preflightBlockReason(blocking),
      preflight,
    };
  }
  return { ...base, action: 'update', reason: target.updateReason, preflight };
}

/** The reason a plan entry gives when pre-flight checks block it. */
export function preflightBlockReason(blocking: readonly PreflightResult[]): string {
  return `blocked by pre-flight: ${blocking.map((r) => r.check).join(', ')}.`;
}

/**
 * Pure: a planned entry with one pre-flight check's result replaced by a later finding (what
 * `remediate --iac-dir` found in code); a result that blocks blocks the entry.
 */
export function withPreflightResult(entry: ClusterPlan, result: PreflightResult): ClusterPlan {
  const preflight = [...entry.preflight.filter((r) => r.check !== result.check), result];
  if (result.status !== 'block') return { ...entry, preflight };
  return {
    ...entry,
    action: 'blocked',
    reason: preflightBlockReason(preflight.filter((r) => r.status === 'block')),
    preflight,
  };
}

export const REMEDIATION_REASON = 'EKS-001 fails; the change below fixes it.';

/**
 * Pure: the plan entry remediate makes for a failing cluster. apply calls it again on fresh facts
 * to check that a saved plan's change is the one its mode and allowlist produce.
 */
export function planRemediationCluster(
  facts: ClusterFacts,
  request: RemediationRequest,
  operatorIp: string | undefined,
  managedAsCode: ManagedAsCodePolicy,
): ClusterPlan {
  return planCluster(
    facts,
    { change: changeFor(request), updateReason: REMEDIATION_REASON },
    operatorIp,
    managedAsCode,
  );
}

/** A cluster named with --cluster that already passes: shown, never changed. */
export function planPassingCluster(facts: ClusterFacts): ClusterPlan {
  return planSkippedCluster(
    facts.account,
    facts.region,
    facts.cluster,
    `passes EKS-001 (${eks001(facts.cluster).message}); nothing to change.`,
  );
}

/** Pure: a cluster shown in the plan and never changed (it passes, or an exemption accepts its risk). */
export function planSkippedCluster(
  account: AccountRef,
  region: string,
  cluster: ClusterRecord,
  reason: string,
): ClusterPlan {
  const before = endpointConfigOf(cluster);
  const name = cluster.name ?? '';
  const noChange = restoreChange(before);
  return {
    accountId: account.accountId,
    roleArn: account.roleArn,
    region,
    clusterName: name,
    arn: cluster.arn ?? '',
    action: 'skip',
    reason,
    before,
    after: before,
    change: noChange,
    fingerprint: fingerprintOf(before),
    preflight: [],
    awsCliCommand: awsCliCommand(region, name, noChange),
  };
}

export interface PlanHeader {
  readonly planId: string;
  readonly createdAt: Date;
  readonly toolVersion: string;
  readonly mode: PlanMode;
  readonly allowCidrs: readonly string[] | null;
  readonly operatorIp: string | null;
  /** Remediation plans: --allow-drift. */
  readonly allowDrift?: boolean;
  readonly sourceJournal: string | null;
  readonly unread: readonly UnreadScope[];
}

const byRegionThenName = new Intl.Collator('en', { numeric: true });

export function assemblePlan(
  header: PlanHeader,
  clusters: readonly ClusterPlan[],
): RemediationPlan {
  const sorted = [...clusters].sort(
    (a, b) =>
      a.accountId.localeCompare(b.accountId) ||
      byRegionThenName.compare(a.region, b.region) ||
      byRegionThenName.compare(a.clusterName, b.clusterName),
  );
  const count = (action: string) => sorted.filter((c) => c.action === action).length;
  return {
    kind: PLAN_KIND,
    schemaVersion: REMEDIATION_PLAN_SCHEMA_VERSION,
    planId: header.planId,
    createdAt: header.createdAt.toISOString(),
    tool: { name: 'eksposure', version: header.toolVersion },
    mode: header.mode,
    allowCidrs: header.allowCidrs ? [...header.allowCidrs] : null,
    operatorIp: header.operatorIp,
    ...(header.allowDrift !== undefined ? { allowDrift: header.allowDrift } : {}),
    sourceJournal: header.sourceJournal,
    complete: header.unread.length === 0,
    unread: header.unread,
    summary: { update: count('update'), blocked: count('blocked'), skip: count('skip') },
    clusters: sorted,
  };
}
