import { exemptedClusters, exemptedInAccount } from '../audit/exempted-clusters.js';
import type { Exemption } from '../config/config.js';
import type { DeclaredManager } from '../model/managed-by.js';
import { silentProgress } from '../model/scan.js';
import type { RemediationPlan } from '../remediation/plan.js';
import {
  mergeScannedPlans,
  planFromScans,
  type ScannedPlan,
  type ScanSelection,
} from '../remediation/plan-from-scans.js';
import { assemblePlan, type RemediationRequest } from '../remediation/planner.js';
import { nodeExposureAdvice } from '../remediation/node-advice.js';
import { eks001EndpointPublicAccess } from '../rules/eks-001-endpoint-public-access.js';
import { eks003NodeExposure } from '../rules/eks-003-node-exposure.js';
import type { NotSelected, Refused } from './outcomes.js';
import { scan, type ScanPorts, type ScanRequest } from './scan-accounts.js';

export interface RemediationPorts extends Omit<ScanPorts, 'progress'> {
  /** The process's peak memory, logged with the plan's own figures. */
  peakMemoryKb(): number;
}

export interface PlanRequest extends Omit<ScanRequest, 'afterScan' | 'evaluation'> {
  readonly remediation: RemediationRequest;
  /** --cluster: only these names. */
  readonly clusterNames: readonly string[] | undefined;
  /** --my-ip, for the lock-out check. */
  readonly operatorIp: string | undefined;
  /** The config file's exemptions: an exempted failing cluster is planned as skip. */
  readonly exemptions: readonly Exemption[];
  /** The config file's `managers`: tags that mean a tool in the user's organization. */
  readonly managers: readonly DeclaredManager[];
  /** --allow-drift: change clusters managed as code anyway (an emergency), recorded in the plan. */
  readonly allowDrift: boolean;
  readonly planId: string;
  /** --nodes: also read the nodes (EKS-003) and add security-group advice to the plan. */
  readonly nodes?: boolean;
}

export type PlanOutcome =
  | { readonly kind: 'planned'; readonly plan: RemediationPlan }
  /** --cluster names found in no scanned region (the regions that were scanned, for the message). */
  | {
      readonly kind: 'not-found';
      readonly names: readonly string[];
      readonly regions: readonly string[];
    }
  /** SIGINT/SIGTERM during the scan or the planning: nothing is planned from facts cut short. */
  | { readonly kind: 'interrupted' }
  | Refused
  | NotSelected;

/**
 * remediate: scan (the caller's account, or each account through its role), then plan each
 * failing (or named) cluster with fresh pre-flight facts, each account while its clients are open.
 * Read-only: nothing is changed in AWS.
 */
export async function planRemediation(
  ports: RemediationPorts,
  request: PlanRequest,
): Promise<PlanOutcome> {
  const severalAccounts = request.scope.source.kind !== 'caller';
  const judgedAt = new Date(ports.clock.now());
  const selection: ScanSelection = {
    clusterNames: request.clusterNames,
    operatorIp: request.operatorIp,
    managedAsCode: {
      onManaged: request.allowDrift ? 'allow-drift' : 'block',
      declared: request.managers,
    },
    concurrency: request.concurrency,
    signal: request.signal,
  };
  const planned: ScannedPlan[] = [];
  const outcome = await scan(
    { ...ports, progress: silentProgress },
    {
      ...request,
      evaluation: {
        exemptions: request.exemptions,
        managers: request.managers,
        ...(request.nodes ? { rules: [eks001EndpointPublicAccess, eks003NodeExposure] } : {}),
      },
      // Across accounts, each account is planned while its clients (its role) are still open.
      afterScan: async (result, aws) => {
        if (!result.ok) return;
        const exempted = exemptedInAccount(result, request.exemptions, judgedAt);
        planned.push(
          await planFromScans(
            [{ account: result.target, ok: true, aws, scans: result.scans }],
            request.remediation,
            { ...selection, exempted },
          ),
        );
      },
    },
  );
  if (outcome.kind === 'not-selected') return outcome;
  if (request.signal.aborted) return { kind: 'interrupted' };
  if (outcome.kind === 'refused') return outcome;
  const exempted = exemptedClusters(outcome.report);
  for (const account of outcome.accounts) {
    if (!account.ok) {
      planned.push(
        await planFromScans(
          [{ account: account.target, ok: false, error: account.error }],
          request.remediation,
          selection,
        ),
      );
    } else if (!severalAccounts) {
      planned.push(
        await planFromScans(
          [{ account: account.target, ok: true, aws: ports.caller.own, scans: account.scans }],
          request.remediation,
          { ...selection, exempted },
        ),
      );
    }
  }
  const scanned = mergeScannedPlans(planned);
  // Nothing is planned from facts cut short.
  if (request.signal.aborted) return { kind: 'interrupted' };
  if (scanned.notFound.length > 0) {
    return {
      kind: 'not-found',
      names: scanned.notFound,
      regions: outcome.report.regions.filter((r) => r.status !== 'skipped').map((r) => r.region),
    };
  }
  const { remediation } = request;
  const assembled = assemblePlan(
    {
      planId: request.planId,
      createdAt: new Date(ports.clock.now()),
      toolVersion: ports.toolVersion,
      mode: remediation.mode,
      allowCidrs: remediation.mode === 'allowlist' ? remediation.allowCidrs : null,
      operatorIp: request.operatorIp ?? null,
      allowDrift: request.allowDrift,
      sourceJournal: null,
      unread: scanned.unread,
    },
    scanned.clusters,
  );
  const plan = request.nodes
    ? {
        ...assembled,
        nodeExposure: nodeExposureAdvice(
          outcome.report.findings,
          remediation.mode === 'allowlist' ? remediation.allowCidrs : null,
        ),
      }
    : assembled;
  ports.logger.info(
    { planId: plan.planId, ...plan.summary, maxRssKb: ports.peakMemoryKb() },
    'plan made',
  );
  return { kind: 'planned', plan };
}
