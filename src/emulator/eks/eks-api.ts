import { ApiError } from '../errors.js';
import type {
  CallContext,
  IncomingCall,
  RoutedCall,
  ServiceApi,
  WireResponse,
} from '../service-api.js';
import type { ClusterRecord, RegionState } from '../state.js';
import {
  checkCanStartUpdate,
  checkEndpointAccessChange,
  clusterUpdates,
  findUpdate,
  newEndpointAccessUpdate,
  planUpdate,
  replayedUpdate,
  settleUpdates,
  startUpdate,
} from './cluster-updates.js';
import { paginate } from './pagination.js';
import { endpointAccessChangeOf, parseUpdateConfigRequest } from './update-config-request.js';

function listClusters(region: RegionState, query: URLSearchParams) {
  const include = query.get('include');
  if (include !== null && include !== 'all') {
    throw new ApiError(400, 'InvalidParameterException', "include must be 'all'.");
  }
  const { page, nextToken } = paginate([...region.clusters.keys()], query, region.name);
  return nextToken ? { clusters: page, nextToken } : { clusters: page };
}

export function findCluster(region: RegionState, name: string): ClusterRecord {
  const cluster = region.clusters.get(name);
  if (!cluster) {
    throw new ApiError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, {
      clusterName: name,
    });
  }
  return cluster;
}

/** The cluster once the updates whose time has come have ended. */
function settledCluster({ region, now }: CallContext, name: string): ClusterRecord {
  const cluster = findCluster(region, name);
  settleUpdates(region, cluster, now);
  return cluster;
}

/** AWS's order: token replay, what kind of update, whether the cluster can take one, the values. */
function updateClusterConfig(context: CallContext, name: string, body: string) {
  const { region } = context;
  const cluster = settledCluster(context, name);
  const request = parseUpdateConfigRequest(body);
  const replayed = replayedUpdate(region, name, request);
  if (replayed) return { update: replayed.update };
  const change = endpointAccessChangeOf(request);
  checkCanStartUpdate(region, cluster, 'EndpointAccessUpdate');
  checkEndpointAccessChange(cluster, change);
  const record = newEndpointAccessUpdate({
    change,
    plan: planUpdate(context.fault.update, context.updateDurationMs),
    now: context.now,
    clientRequestToken: request.clientRequestToken,
    requestFingerprint: request.requestFingerprint,
  });
  startUpdate(region, cluster, record);
  return { update: record.update };
}

function listUpdates(context: CallContext, name: string, query: URLSearchParams) {
  settledCluster(context, name);
  const ids = clusterUpdates(context.region, name).map((r) => r.update.id);
  const { page, nextToken } = paginate(ids, query, `${context.region.name}/${name}`);
  return nextToken ? { updateIds: page, nextToken } : { updateIds: page };
}

/** restJson1 timestamps are epoch seconds. */
function toWireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

interface PathParams {
  readonly name: string;
  readonly updateId: string;
}

type Handler = (context: CallContext, params: PathParams, call: IncomingCall) => unknown;

const ROUTES: { method: string; pattern: RegExp; operation: string; handler: Handler }[] = [
  {
    method: 'GET',
    pattern: /^\/clusters$/,
    operation: 'ListClusters',
    handler: (c, _p, call) => listClusters(c.region, call.query),
  },
  {
    method: 'GET',
    pattern: /^\/clusters\/(?<name>[^/]+)$/,
    operation: 'DescribeCluster',
    handler: (c, p) => ({ cluster: settledCluster(c, p.name) }),
  },
  {
    method: 'POST',
    pattern: /^\/clusters\/(?<name>[^/]+)\/update-config$/,
    operation: 'UpdateClusterConfig',
    handler: (c, p, call) => updateClusterConfig(c, p.name, call.body),
  },
  {
    method: 'GET',
    pattern: /^\/clusters\/(?<name>[^/]+)\/updates$/,
    operation: 'ListUpdates',
    handler: (c, p, call) => listUpdates(c, p.name, call.query),
  },
  {
    method: 'GET',
    pattern: /^\/clusters\/(?<name>[^/]+)\/updates\/(?<updateId>[^/]+)$/,
    operation: 'DescribeUpdate',
    handler: (c, p) => {
      settledCluster(c, p.name);
      return { update: findUpdate(c.region, p.name, p.updateId).update };
    },
  },
];

export const eksApi: ServiceApi = {
  service: 'eks',
  regional: true,
  route(call: IncomingCall, region: string, accountId: string): RoutedCall | ApiError {
    for (const route of ROUTES) {
      const match = route.pattern.exec(call.path);
      if (match && route.method === call.method) {
        const name = decodeURIComponent(match.groups?.name ?? '');
        const updateId = decodeURIComponent(match.groups?.updateId ?? '');
        return {
          operation: route.operation,
          resource: `arn:aws:eks:${region}:${accountId}:cluster/${name || '*'}`,
          ...(name ? { cluster: name } : {}),
          invoke: (context) => route.handler(context, { name, updateId }, call),
        };
      }
    }
    return new ApiError(
      404,
      'UnknownOperationException',
      `No operation matches ${call.method} ${call.path}`,
    );
  },
  success(_call, payload, requestId): WireResponse {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: toWireJson(payload),
    };
  },
  failure(error, requestId): WireResponse {
    return {
      status: error.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/com.amazonaws.eks/`,
      },
      body: JSON.stringify({ ...error.members, message: error.message }),
    };
  },
};
