import type { Cluster, Update } from '@aws-sdk/client-eks';
import type { EndpointChange } from '../model/endpoint.js';
import type { ErrorInfo } from '../model/errors.js';
import type { VpcDns } from '../model/facts.js';

/**
 * The AWS calls remediation makes in one account, as the planner and the executor need them
 * (src/aws/account-port.ts implements them with the SDK). Every call takes a signal that aborts it
 * (SIGINT/SIGTERM, or the deadline of the update being watched).
 */
export interface ChangePort {
  describeCluster(region: string, name: string, signal: AbortSignal): Promise<Cluster>;
  describeUpdate(
    region: string,
    name: string,
    updateId: string,
    signal: AbortSignal,
  ): Promise<Update>;
  /** Every update id of the cluster, whatever its status. */
  listUpdateIds(region: string, name: string, signal: AbortSignal): Promise<string[]>;
  /** Ids of the cluster's updates still InProgress. */
  listUpdatesInProgress(region: string, name: string, signal: AbortSignal): Promise<string[]>;
  /** The VPC's enableDnsSupport and enableDnsHostnames (EC2 DescribeVpcAttribute). */
  describeVpcDns(region: string, vpcId: string, signal: AbortSignal): Promise<VpcDns>;
  submitEndpointUpdate(
    region: string,
    name: string,
    change: EndpointChange,
    clientRequestToken: string,
    signal: AbortSignal,
  ): Promise<Update>;
}

/** One account's port (with its role's credentials), or why the account cannot be reached. */
export type AccountPort =
  | { readonly ok: true; readonly aws: ChangePort }
  | { readonly ok: false; readonly error: ErrorInfo };
