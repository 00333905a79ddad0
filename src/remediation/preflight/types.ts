import type { LeftOutCidr } from '../endpoint-stack.js';
import { type ClusterRecord } from '../../model/scan.js';
import { type EndpointConfig } from '../../model/endpoint.js';
import { type Fact, type VpcDns } from '../../model/facts.js';
import type { DeclaredManager } from '../../model/managed-by.js';

/**
 * What to do with a cluster managed as code. block: remediation, by default (the fix belongs in the
 * code). allow-drift: remediation with --allow-drift. warn: rollback (it undoes eksposure's own change).
 */
export interface ManagedAsCodePolicy {
  readonly onManaged: 'block' | 'allow-drift' | 'warn';
  /** The config file's `managers`: tags that mean a tool in the user's organization. */
  readonly declared: readonly DeclaredManager[];
}

export type PreflightStatus = 'ok' | 'warn' | 'block';

/** One check's verdict on one planned change, with a sentence a person can act on. */
export interface PreflightResult {
  readonly check: string;
  readonly status: PreflightStatus;
  readonly message: string;
}

/** Everything a check may look at: plain data, gathered beforehand by the AWS layer. */
export interface PreflightInput {
  readonly region: string;
  /** As DescribeCluster returned it: the fields a scan keeps. */
  readonly cluster: ClusterRecord;
  readonly before: EndpointConfig;
  readonly after: EndpointConfig;
  /** Ids of the cluster's updates whose status is InProgress (ListUpdates + DescribeUpdate). */
  readonly updatesInProgress: Fact<readonly string[]>;
  /** The cluster VPC's DNS attributes; undefined when the change does not need them (private access stays off). */
  readonly vpcDns: Fact<VpcDns> | undefined;
  /** --my-ip: the operator's public IPv4 address, already validated. */
  readonly operatorIp: string | undefined;
  /** Allowlist entries the planner left out because this cluster's endpoint cannot take them. */
  readonly leftOutCidrs?: readonly LeftOutCidr[];
  /** Warn when left out. */
  readonly managedAsCode?: ManagedAsCodePolicy;
}

export interface PreflightCheck {
  readonly id: string;
  readonly title: string;
  /** Pure. undefined when the check does not apply to this change. */
  readonly run: (input: PreflightInput) => PreflightResult | undefined;
}
