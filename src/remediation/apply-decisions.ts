import type { Cluster, Update } from '@aws-sdk/client-eks';
import type { ErrorInfo } from '../model/errors.js';
import { check as eks001 } from '../rules/eks-001-endpoint-public-access.js';
import {
  endpointConfigOf,
  fingerprintOf,
  formatEndpointChange,
  formatEndpointConfig,
  sameEndpointChange,
  sameEndpointConfig,
} from './endpoint-config.js';
import type { ClusterPlan, PlanMode, RemediationPlan } from './plan.js';
import { type ClusterFacts, planCluster, planRemediationCluster } from './planner.js';
import type { ManagedAsCodePolicy } from './preflight/types.js';
import { type EndpointChange, type EndpointConfig } from '../model/endpoint.js';

/** What the plan as a whole claims: the mode and allowlist every `change` must follow from. */
export type PlanIntent = Pick<RemediationPlan, 'mode' | 'allowCidrs' | 'operatorIp' | 'allowDrift'>;

/**
 * A cluster managed as code is blocked unless the plan was made with --allow-drift. The tags are
 * read again, as they are now; the tags the plan found meaning a tool (the config file's
 * `managers` among them) still count, so a cluster planned as managed stays managed.
 */
const managedAsCodeOf = (intent: PlanIntent, entry: ClusterPlan): ManagedAsCodePolicy => {
  const tool = entry.managedBy?.tool;
  return {
    onManaged: intent.allowDrift === true ? 'allow-drift' : 'block',
    declared:
      tool === undefined || tool === 'unknown'
        ? []
        : (entry.managedBy?.evidence ?? []).map((e) => ({ tag: e.tag, value: e.value, tool })),
  };
};

export type RefusalCode =
  | 'ClusterArnMismatch'
  | 'ConfigurationDrifted'
  | 'ChangeNotFromPlan'
  | 'ChangeDoesNotFixEks001'
  | 'PreflightBlocked';

/** What to do with one planned cluster, given what AWS says about it now. */
export type SubmitDecision =
  | { readonly kind: 'submit' }
  | { readonly kind: 'already-done' }
  /** Another update runs on the cluster, and is the only thing in the way: wait for it, then decide again. */
  | { readonly kind: 'wait-busy'; readonly updateId: string }
  | { readonly kind: 'refuse'; readonly code: RefusalCode; readonly reason: string };

const refuse = (code: RefusalCode, reason: string): SubmitDecision => ({
  kind: 'refuse',
  code,
  reason,
});

/** The cluster as it would read once the configuration is in place. */
function clusterWith(cluster: Cluster, config: EndpointConfig): Cluster {
  return {
    ...cluster,
    resourcesVpcConfig: {
      ...cluster.resourcesVpcConfig,
      endpointPublicAccess: config.endpointPublicAccess,
      endpointPrivateAccess: config.endpointPrivateAccess,
      publicAccessCidrs: [...config.publicAccessCidrs],
    },
  };
}

/**
 * The plan entry the plan's own intent gives on these facts: the remediation planner for private
 * and allowlist plans; for rollback (whose target came from a journal) the entry's own change,
 * with the pre-flight checks run again.
 */
function replan(entry: ClusterPlan, intent: PlanIntent, facts: ClusterFacts): ClusterPlan {
  const operatorIp = intent.operatorIp ?? undefined;
  switch (intent.mode) {
    case 'private':
      return planRemediationCluster(
        facts,
        { mode: 'private' },
        operatorIp,
        managedAsCodeOf(intent, entry),
      );
    case 'allowlist':
      return planRemediationCluster(
        facts,
        { mode: 'allowlist', allowCidrs: intent.allowCidrs ?? [] },
        operatorIp,
        managedAsCodeOf(intent, entry),
      );
    case 'rollback':
      return planCluster(facts, { change: entry.change, updateReason: entry.reason }, operatorIp);
  }
}

const blockers = (plan: ClusterPlan) =>
  plan.preflight
    .filter((r) => r.status === 'block')
    .map((r) => `${r.check}: ${r.message}`)
    .join(' ');

/**
 * Pure: whether the plan's change for this cluster may be submitted now. The plan file is not
 * trusted: the cluster must be the one planned (same ARN, same configuration), the change must be
 * what the plan's mode and allowlist produce on these fresh facts, it must make EKS-001 pass
 * (outside rollback), and the pre-flight checks must pass again.
 */
export function decideSubmit(
  entry: ClusterPlan,
  intent: PlanIntent,
  facts: ClusterFacts,
): SubmitDecision {
  const arn = facts.cluster.arn ?? '(none)';
  if (arn !== entry.arn) {
    return refuse(
      'ClusterArnMismatch',
      `refused: the cluster these credentials reach is ${arn}, not the plan's ${entry.arn} (another account?); nothing submitted.`,
    );
  }
  const current = endpointConfigOf(facts.cluster);
  if (sameEndpointConfig(current, entry.after)) return { kind: 'already-done' };
  if (fingerprintOf(current) !== entry.fingerprint) {
    return refuse(
      'ConfigurationDrifted',
      `refused: the endpoint configuration changed since the plan (now ${formatEndpointConfig(current)}, planned from ${formatEndpointConfig(entry.before)}); plan again.`,
    );
  }
  const expected = replan(entry, intent, facts);
  if (!sameEndpointChange(expected.change, entry.change)) {
    return refuse(
      'ChangeNotFromPlan',
      `refused: the plan asks for ${formatEndpointChange(entry.change)}, but its mode ${intent.mode}${intent.allowCidrs ? ` and allowlist` : ''} give ${formatEndpointChange(expected.change)} (was the plan edited?); nothing submitted, plan again.`,
    );
  }
  if (
    intent.mode !== 'rollback' &&
    eks001(clusterWith(facts.cluster, entry.after)).status !== 'PASS'
  ) {
    return refuse(
      'ChangeDoesNotFixEks001',
      `refused: ${formatEndpointConfig(entry.after)} would still fail EKS-001; nothing submitted, plan again.`,
    );
  }
  if (expected.action === 'blocked') {
    const inProgress = facts.updatesInProgress.ok ? facts.updatesInProgress.value : [];
    const busy = inProgress[0];
    // While an update runs EKS reports the cluster UPDATING; once it ends, ACTIVE again.
    const status = facts.cluster.status === 'UPDATING' ? 'ACTIVE' : facts.cluster.status;
    const idle = replan(entry, intent, {
      ...facts,
      cluster: { ...facts.cluster, status },
      updatesInProgress: { ok: true, value: [] },
    });
    if (busy !== undefined && idle.action !== 'blocked')
      return { kind: 'wait-busy', updateId: busy };
    return refuse(
      'PreflightBlocked',
      `refused: the pre-flight checks, run again now, block this change: ${blockers(expected)}`,
    );
  }
  return { kind: 'submit' };
}

/** Pure: whether a cluster read back after a Successful update is what was asked. */
export function verifyProblems(
  mode: PlanMode,
  wanted: EndpointConfig,
  cluster: Cluster,
  arn: string,
): string | undefined {
  if (cluster.arn !== arn)
    return `the cluster read back is ${cluster.arn ?? '(no ARN)'}, not ${arn}`;
  const now = endpointConfigOf(cluster);
  const problems: string[] = [];
  if (!sameEndpointConfig(now, wanted)) {
    problems.push(
      `configuration is ${formatEndpointConfig(now)}, not ${formatEndpointConfig(wanted)}`,
    );
  }
  if (mode !== 'rollback' && eks001(cluster).status !== 'PASS')
    problems.push('EKS-001 still fails');
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/**
 * Pure: whether UpdateClusterConfig's failure says EKS refused the call (its answer arrived and
 * is a 4xx), as opposed to an answer that was lost (network, timeout, abort, a body that could
 * not be read, a 5xx): after a lost answer the update may well be running.
 */
export function submitWasRefused(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  const fault = (error as { $fault?: string } | null)?.$fault;
  return status !== undefined && status >= 400 && status < 500 && fault === 'client';
}

/** An update's params as EKS reports them for an endpoint change. */
function paramsMatch(update: Update, change: EndpointChange): boolean {
  const params = new Map((update.params ?? []).map((p) => [p.type ?? '', p.value ?? '']));
  if (params.get('EndpointPublicAccess') !== String(change.endpointPublicAccess)) return false;
  if (params.get('EndpointPrivateAccess') !== String(change.endpointPrivateAccess)) return false;
  const listed = params.get('PublicAccessCidrs');
  if (change.publicAccessCidrs === undefined) return listed === undefined;
  if (listed === undefined) return false;
  let cidrs: unknown;
  try {
    cidrs = JSON.parse(listed);
  } catch {
    return false;
  }
  return (
    Array.isArray(cidrs) &&
    sameEndpointChange(change, { ...change, publicAccessCidrs: cidrs.map(String) })
  );
}

/** How far before the journal's Submitting line an update may have been created (clock skew). */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Pure: among the cluster's updates, the one a submit whose answer was lost started: an
 * EndpointAccessUpdate with the same params, created since the submit (allowing for clock skew),
 * the newest if several.
 */
export function findSubmittedUpdate(
  updates: readonly Update[],
  change: EndpointChange,
  submittedAt: Date,
): Update | undefined {
  const since = submittedAt.getTime() - CLOCK_SKEW_MS;
  return updates
    .filter(
      (u) =>
        u.type === 'EndpointAccessUpdate' &&
        paramsMatch(u, change) &&
        (u.createdAt === undefined || u.createdAt.getTime() >= since),
    )
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
}

export const updateErrors = (update: Update): ErrorInfo[] =>
  (update.errors ?? []).map((e) => ({
    code: e.errorCode ?? 'Unknown',
    message: e.errorMessage ?? 'no message',
  }));
