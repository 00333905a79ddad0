import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.js';
import type { UpdateFault } from '../faults.js';
import { type ClusterRecord, hasDualStackEndpoint, type RegionState } from '../state.js';
import { readPublicAccessCidr } from '../validation.js';
import type { EndpointAccessChange, Update, UpdatePlan, UpdateRecord } from './update-record.js';

export const DEFAULT_UPDATE_DURATION_MS = 3000;
/** The "Public endpoint access CIDR ranges per cluster" quota. */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

type EndpointAccess = Pick<
  ClusterRecord['resourcesVpcConfig'],
  'endpointPublicAccess' | 'endpointPrivateAccess' | 'publicAccessCidrs'
>;

const invalidParameter = (message: string, members?: Record<string, string>) =>
  new ApiError(400, 'InvalidParameterException', message, members);

export function clusterUpdates(region: RegionState, clusterName: string): readonly UpdateRecord[] {
  return region.updates.get(clusterName) ?? [];
}

export function planUpdate(fault: UpdateFault | undefined, defaultDurationMs: number): UpdatePlan {
  return {
    outcome: fault?.outcome ?? 'Successful',
    durationMs: fault?.durationMs ?? defaultDurationMs,
    errorCode: fault?.errorCode,
    errorMessage: fault?.errorMessage,
  };
}

function withChange(current: EndpointAccess, change: EndpointAccessChange): EndpointAccess {
  return {
    endpointPublicAccess: change.endpointPublicAccess ?? current.endpointPublicAccess,
    endpointPrivateAccess: change.endpointPrivateAccess ?? current.endpointPrivateAccess,
    publicAccessCidrs: [...(change.publicAccessCidrs ?? current.publicAccessCidrs)],
  };
}

function sameAccess(a: EndpointAccess, b: EndpointAccess): boolean {
  const cidrsA = new Set(a.publicAccessCidrs);
  const cidrsB = new Set(b.publicAccessCidrs);
  return (
    a.endpointPublicAccess === b.endpointPublicAccess &&
    a.endpointPrivateAccess === b.endpointPrivateAccess &&
    cidrsA.size === cidrsB.size &&
    [...cidrsA].every((cidr) => cidrsB.has(cidr))
  );
}

/**
 * EKS refuses IPv4 blocks with host bits set (10.0.0.1/24) as well as what is not a CIDR. That it
 * refuses IPv6 blocks with host bits set too is our reading.
 */
function isValidPublicAccessCidr(text: string): boolean {
  const cidr = readPublicAccessCidr(text);
  return cidr !== undefined && !cidr.hostBitsSet;
}

/** The updates whose time has come end as planned; the cluster is ACTIVE again after each. */
export function settleUpdates(region: RegionState, cluster: ClusterRecord, now: Date): void {
  for (const record of clusterUpdates(region, cluster.name)) {
    if (record.update.status !== 'InProgress' || record.completesAt > now) continue;
    const { update, plan } = record;
    update.status = plan.outcome;
    if (plan.outcome === 'Successful') {
      Object.assign(
        cluster.resourcesVpcConfig,
        withChange(cluster.resourcesVpcConfig, record.change),
      );
    } else if (plan.outcome === 'Failed') {
      update.errors = [
        {
          errorCode: plan.errorCode ?? 'Unknown',
          errorMessage: plan.errorMessage ?? 'The update failed (injected by the emulator).',
          resourceIds: [cluster.name],
        },
      ];
    }
    cluster.status = 'ACTIVE';
  }
}

/** The update an earlier call with this token started, if any; another request may not reuse it. */
export function replayedUpdate(
  region: RegionState,
  clusterName: string,
  request: { clientRequestToken: string | undefined; requestFingerprint: string },
): UpdateRecord | undefined {
  const { clientRequestToken: token } = request;
  if (token === undefined) return undefined;
  const earlier = clusterUpdates(region, clusterName).find((r) => r.clientRequestToken === token);
  if (earlier && earlier.requestFingerprint !== request.requestFingerprint) {
    throw invalidParameter(
      `The clientRequestToken ${token} was already used for a different request.`,
      { clusterName },
    );
  }
  return earlier;
}

export function findUpdate(region: RegionState, clusterName: string, id: string): UpdateRecord {
  const record = clusterUpdates(region, clusterName).find((r) => r.update.id === id);
  if (!record) {
    throw new ApiError(404, 'ResourceNotFoundException', `No update found for ID: ${id}`, {
      clusterName,
      updateId: id,
    });
  }
  return record;
}

/** One update at a time, and only on an ACTIVE cluster; AWS's wording. */
export function checkCanStartUpdate(
  region: RegionState,
  cluster: ClusterRecord,
  type: string,
): void {
  const inFlight = clusterUpdates(region, cluster.name).find(
    (r) => r.update.status === 'InProgress',
  );
  const busy = inFlight
    ? `currently has update ${inFlight.update.id} in progress`
    : cluster.status !== 'ACTIVE'
      ? `is currently in ${cluster.status} state`
      : undefined;
  if (busy) {
    throw new ApiError(
      409,
      'ResourceInUseException',
      `Cannot ${type} because cluster ${cluster.name} ${busy}`,
      {
        clusterName: cluster.name,
      },
    );
  }
}

/** EKS's checks on an endpoint access change, in EKS's order; AWS's wording. */
export function checkEndpointAccessChange(
  cluster: ClusterRecord,
  change: EndpointAccessChange,
): void {
  const current = cluster.resourcesVpcConfig;
  const desired = withChange(current, change);
  if (!desired.endpointPublicAccess && !desired.endpointPrivateAccess)
    throw invalidParameter('Both private and public endpoint access cannot be false');
  const cidrs = change.publicAccessCidrs ?? [];
  const invalid = cidrs.filter((cidr) => !isValidPublicAccessCidr(cidr));
  if (invalid.length > 0)
    throw invalidParameter(
      `The following CIDRs are invalid in publicAccessCidrs: [${invalid.join(',')}]`,
    );
  // AWS's word: IPv6 blocks cannot be added to IPv4 clusters, nor to IPv6 clusters made before
  // October 2024 (no dual-stack endpoint). The error type is EKS's usual one; the wording is ours.
  const ipv6 = cidrs.filter((cidr) => readPublicAccessCidr(cidr)?.family === 'ipv6');
  if (ipv6.length > 0 && !hasDualStackEndpoint(cluster))
    throw invalidParameter(
      `IPv6 CIDR blocks in publicAccessCidrs are only supported for IPv6 clusters with a dual-stack endpoint; cluster ${cluster.name} has none: [${ipv6.join(',')}]`,
      { clusterName: cluster.name },
    );
  if (cidrs.length > MAX_PUBLIC_ACCESS_CIDRS)
    throw invalidParameter(
      `publicAccessCidrs can contain at most ${MAX_PUBLIC_ACCESS_CIDRS} CIDR blocks.`,
    );
  if (sameAccess(current, desired)) {
    throw invalidParameter(
      `Cluster is already at the desired configuration with endpointPrivateAccess: ${current.endpointPrivateAccess} , ` +
        `endpointPublicAccess: ${current.endpointPublicAccess}, ` +
        `and Public Endpoint Restrictions: [${current.publicAccessCidrs.join(', ')}]`,
      { clusterName: cluster.name },
    );
  }
}

/** One param per field the change sets, as EKS reports them. */
function endpointAccessParams(change: EndpointAccessChange): Update['params'] {
  return [
    ...(change.endpointPublicAccess === undefined
      ? []
      : [{ type: 'EndpointPublicAccess', value: String(change.endpointPublicAccess) }]),
    ...(change.endpointPrivateAccess === undefined
      ? []
      : [{ type: 'EndpointPrivateAccess', value: String(change.endpointPrivateAccess) }]),
    ...(change.publicAccessCidrs === undefined
      ? []
      : [{ type: 'PublicAccessCidrs', value: JSON.stringify(change.publicAccessCidrs) }]),
  ];
}

export function newEndpointAccessUpdate(start: {
  readonly change: EndpointAccessChange;
  readonly plan: UpdatePlan;
  readonly now: Date;
  readonly clientRequestToken: string | undefined;
  readonly requestFingerprint: string;
}): UpdateRecord {
  return {
    update: {
      id: randomUUID(),
      status: 'InProgress',
      type: 'EndpointAccessUpdate',
      params: endpointAccessParams(start.change),
      createdAt: start.now,
      errors: [],
    },
    clientRequestToken: start.clientRequestToken,
    requestFingerprint: start.requestFingerprint,
    change: start.change,
    plan: start.plan,
    completesAt: new Date(start.now.getTime() + start.plan.durationMs),
  };
}

/** The cluster stays UPDATING, its configuration unchanged, until the update settles. */
export function startUpdate(
  region: RegionState,
  cluster: ClusterRecord,
  record: UpdateRecord,
): void {
  region.updates.set(cluster.name, [...clusterUpdates(region, cluster.name), record]);
  cluster.status = 'UPDATING';
}
