import type { LeftOutCidr } from './endpoint-stack.js';
import type { PreflightResult } from './preflight/types.js';
import { type AccountRef } from '../model/accounts.js';
import { type EndpointChange, type EndpointConfig } from '../model/endpoint.js';
import type { AsCodeFix, AsCodeSummary } from '../model/as-code.js';
import type { ManagedBy } from '../model/managed-by.js';
import type { Severity } from '../model/findings.js';

/**
 * remediate --nodes: what closes a cluster's nodes' security-group rules open to the internet
 * (EKS-003), as commands to run by hand. Advice only: apply never runs it (since 2.2.0).
 */
export interface NodeExposureAdvice {
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  readonly severity: Severity;
  readonly exposedNodeCount: number;
  /** The EKS-003 finding's message. */
  readonly message: string;
  /** `aws ec2 revoke-security-group-ingress ...` per offending rule; in allowlist mode each after its `authorize-security-group-ingress`. */
  readonly commands: readonly string[];
  readonly warning: string;
}

/** Bump the major version on any change a consumer could notice; schemas/remediation-plan.schema.json mirrors this. */
export const REMEDIATION_PLAN_SCHEMA_VERSION = '2.2.0';
export const PLAN_KIND = 'eksposure-remediation-plan';

/** private / allowlist fix EKS-001; rollback restores what a journal recorded as the configuration before. */
export type PlanMode = 'private' | 'allowlist' | 'rollback';

/**
 * update: will be submitted. blocked: a pre-flight check said no, never submitted.
 * skip: nothing to submit (already at the requested configuration, or passes EKS-001).
 */
export type PlanAction = 'update' | 'blocked' | 'skip';

/** accountId: the cluster's account; roleArn: the role assumed in it, null for the caller's own credentials. */
export interface ClusterPlan extends AccountRef {
  readonly region: string;
  readonly clusterName: string;
  readonly arn: string;
  readonly action: PlanAction;
  /** One sentence: why this action. */
  readonly reason: string;
  readonly before: EndpointConfig;
  /** The configuration once the change is applied. */
  readonly after: EndpointConfig;
  /** Exactly what UpdateClusterConfig's resourcesVpcConfig will be. */
  readonly change: EndpointChange;
  /**
   * Allowlist entries this cluster cannot take (IPv6 ranges on an IPv4-only endpoint), each with
   * why; absent when nothing was left out (and in plans older than 1.1.0).
   */
  readonly leftOutCidrs?: readonly LeftOutCidr[];
  /** fingerprintOf(before): apply refuses the cluster when its configuration no longer matches. */
  readonly fingerprint: string;
  readonly preflight: readonly PreflightResult[];
  /** The same change by hand. */
  readonly awsCliCommand: string;
  /** Who manages the cluster, read from its tags (since 2.1.0). */
  readonly managedBy?: ManagedBy;
  /** remediate --iac-dir: the cluster's definition in code and the patch to it, or why there is none (since 2.1.0). */
  readonly asCode?: AsCodeFix;
}

export interface UnreadScope {
  readonly accountId: string;
  /** null when the whole account could not be read (its role could not be assumed). */
  readonly region: string | null;
  /** null when the whole region (or account) could not be listed. */
  readonly clusterName: string | null;
  readonly error: { readonly code: string; readonly message: string };
}

export interface RemediationPlan {
  readonly kind: typeof PLAN_KIND;
  readonly schemaVersion: string;
  readonly planId: string;
  readonly createdAt: string;
  readonly tool: { readonly name: 'eksposure'; readonly version: string };
  readonly mode: PlanMode;
  /** Allowlist mode: the validated CIDRs. null otherwise. */
  readonly allowCidrs: readonly string[] | null;
  /** --my-ip, for the lock-out check; null when not given. */
  readonly operatorIp: string | null;
  /**
   * --allow-drift: clusters managed as code are changed anyway, for an emergency (since 2.1.0;
   * absent in older plans, which apply treats as false).
   */
  readonly allowDrift?: boolean;
  /** remediate --iac-dir: the directories searched and the patch written (since 2.1.0). */
  readonly asCode?: AsCodeSummary;
  /** Rollback plans: the journal they undo. null otherwise. */
  readonly sourceJournal: string | null;
  /** False when a region or cluster could not be read: clusters may be missing from the plan. */
  readonly complete: boolean;
  readonly unread: readonly UnreadScope[];
  readonly summary: {
    readonly update: number;
    readonly blocked: number;
    readonly skip: number;
  };
  readonly clusters: readonly ClusterPlan[];
  /** remediate --nodes: security-group advice per cluster EKS-003 failed; never applied (since 2.2.0). */
  readonly nodeExposure?: readonly NodeExposureAdvice[];
}
