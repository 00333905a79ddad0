import type { Cluster, Update } from '@aws-sdk/client-eks';
import type { EndpointChange } from './endpoint-config.js';
import type { ClusterFacts } from './planner.js';

/**
 * The AWS calls the change path makes, as the executor needs them. Every call takes a signal that
 * aborts it (SIGINT/SIGTERM, or the deadline of the update being watched).
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
  submitEndpointUpdate(
    region: string,
    name: string,
    change: EndpointChange,
    clientRequestToken: string,
    signal: AbortSignal,
  ): Promise<Update>;
  /** What the pre-flight checks need about a freshly described cluster (never throws: facts carry errors). */
  gatherFacts(
    region: string,
    cluster: Cluster,
    change: EndpointChange,
    signal: AbortSignal,
  ): Promise<ClusterFacts>;
}
