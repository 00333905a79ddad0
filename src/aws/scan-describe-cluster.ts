import { type Cluster, DescribeClusterCommand } from '@aws-sdk/client-eks';

/**
 * DescribeCluster as the scan sends it. Through the SDK's stack it is DescribeCluster; on the
 * short path (lean-calls.ts) its successful answer is read by readScanCluster instead of the SDK's
 * deserializer, and holds only the members the scan keeps (collect-clusters.ts, slimCluster).
 * Walking the whole Cluster shape against the service schema cost about 0.09 ms of CPU a call,
 * a sixth of a call's cost, for members the scan drops at once.
 */
export class DescribeClusterForScanCommand extends DescribeClusterCommand {}

/**
 * The members the scan reads (slimCluster), and of those that are structures, the members it reads
 * of them. A test holds this to what slimCluster reads, and to what the SDK's schema says of them.
 */
export const READ: Readonly<Record<string, readonly string[] | null>> = {
  name: null,
  arn: null,
  status: null,
  version: null,
  endpoint: null,
  tags: null,
  resourcesVpcConfig: [
    'vpcId',
    'endpointPublicAccess',
    'endpointPrivateAccess',
    'publicAccessCidrs',
  ],
  kubernetesNetworkConfig: ['ipFamily'],
  certificateAuthority: ['data'],
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * A structure as the SDK's JSON deserializer reads one: the named members whose value is not
 * null, each as it came (strings, booleans, lists and maps of strings pass through unchanged);
 * a value that is not an object passes through unchanged too.
 */
function struct(value: unknown, members: readonly string[]): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const member of members) if (value[member] != null) out[member] = value[member];
  return out;
}

/**
 * The answer's timestamps (the EKS model: epoch seconds), the only members of the answer the SDK's
 * deserializer may refuse. An answer with anything but a number there is left to it, to accept
 * (a numeric string) or refuse as it would have. (A test checks this list against the schema.)
 */
export const CLUSTER_TIMESTAMPS: readonly (readonly string[])[] = [
  ['createdAt'],
  ['connectorConfig', 'activationExpiry'],
];

const timestampAt = (cluster: Record<string, unknown>, path: readonly string[]): unknown => {
  let value: unknown = cluster;
  for (const key of path) {
    // The SDK reads no further into a value that is not an object, nor does it refuse it.
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
};

/**
 * Whether the SDK's deserializer would read these members exactly as readScanCluster does: it
 * would not refuse a timestamp, and no structure carries a `__type` (with one, the SDK copies
 * every other key of the structure too, nulls included).
 */
function readAsTheSdkWould(cluster: Record<string, unknown>): boolean {
  const timestampsOk = CLUSTER_TIMESTAMPS.every((path) => {
    const value = timestampAt(cluster, path);
    return value == null || (typeof value === 'number' && Number.isFinite(value));
  });
  const typed = (value: unknown) => isRecord(value) && typeof value['__type'] === 'string';
  return (
    timestampsOk &&
    !typed(cluster) &&
    !Object.entries(READ).some(([member, nested]) => nested && typed(cluster[member]))
  );
}

/**
 * Pure: the cluster of a parsed DescribeCluster answer, reduced to the members the scan reads,
 * each as the SDK's deserializer would have given it (test/unit/aws/lean-calls.test.ts compares
 * the two on generated answers); undefined for an answer the SDK's deserializer is left to read
 * (not an object with a cluster object, or one it would refuse or read differently).
 */
export function readScanCluster(
  body: unknown,
): { cluster: Cluster } | { cluster?: undefined } | undefined {
  if (!isRecord(body) || Array.isArray(body)) return undefined;
  const cluster = body['cluster'];
  if (cluster == null) return {};
  if (!isRecord(cluster) || Array.isArray(cluster) || !readAsTheSdkWould(cluster)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [member, nested] of Object.entries(READ)) {
    const value = cluster[member];
    if (value != null) out[member] = nested ? struct(value, nested) : value;
  }
  return { cluster: out };
}
