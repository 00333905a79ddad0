import type { ClusterRecord } from '../../aws/collect-clusters.js';
import type { ErrorInfo } from '../../model/errors.js';
import type { EndpointConfig } from '../endpoint-config.js';
import type { LeftOutCidr } from '../endpoint-stack.js';

export type PreflightStatus = 'ok' | 'warn' | 'block';

/** One check's verdict on one planned change, with a sentence a person can act on. */
export interface PreflightResult {
  readonly check: string;
  readonly status: PreflightStatus;
  readonly message: string;
}

/** A fact read from AWS for the checks, or why it could not be read. */
export type Fact<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

export interface VpcDns {
  readonly vpcId: string;
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
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
}

export interface PreflightCheck {
  readonly id: string;
  readonly title: string;
  /** Pure. undefined when the check does not apply to this change. */
  readonly run: (input: PreflightInput) => PreflightResult | undefined;
}
