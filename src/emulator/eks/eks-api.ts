import { ApiError } from '../errors.js';
import type {
  CallContext,
  IncomingCall,
  RoutedCall,
  ServiceApi,
  WireResponse,
} from '../service-api.js';
import type { ClusterRecord, RegionState } from '../state.js';

const MAX_RESULTS = 100;

/** Opaque to clients; bound to the region so a token cannot be replayed elsewhere. */
function encodeNextToken(region: string, offset: number): string {
  return Buffer.from(JSON.stringify({ r: region, o: offset })).toString('base64url');
}

function decodeNextToken(token: string, region: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      r?: unknown;
      o?: unknown;
    };
    if (parsed.r === region && Number.isInteger(parsed.o) && (parsed.o as number) > 0)
      return parsed.o as number;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'InvalidParameterException', 'The nextToken provided is invalid.');
}

function listClusters(region: RegionState, query: URLSearchParams) {
  const maxText = query.get('maxResults');
  const maxResults = maxText === null ? MAX_RESULTS : Number(maxText);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw new ApiError(
      400,
      'InvalidParameterException',
      `maxResults needs to be between 1 and ${MAX_RESULTS}, got ${maxText}.`,
    );
  }
  const include = query.get('include');
  if (include !== null && include !== 'all') {
    throw new ApiError(400, 'InvalidParameterException', "include must be 'all'.");
  }
  const token = query.get('nextToken');
  const start = token ? decodeNextToken(token, region.name) : 0;
  const names = [...region.clusters.keys()];
  const page = names.slice(start, start + maxResults);
  const next = start + maxResults;
  return next < names.length
    ? { clusters: page, nextToken: encodeNextToken(region.name, next) }
    : { clusters: page };
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

/** restJson1 timestamps are epoch seconds. */
function toWireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

type Handler = (context: CallContext, params: { name: string }, query: URLSearchParams) => unknown;

const ROUTES: { method: string; pattern: RegExp; operation: string; handler: Handler }[] = [
  {
    method: 'GET',
    pattern: /^\/clusters$/,
    operation: 'ListClusters',
    handler: (c, _p, q) => listClusters(c.region, q),
  },
  {
    method: 'GET',
    pattern: /^\/clusters\/(?<name>[^/]+)$/,
    operation: 'DescribeCluster',
    handler: (c, p) => ({ cluster: findCluster(c.region, p.name) }),
  },
];

export const eksApi: ServiceApi = {
  service: 'eks',
  route(call: IncomingCall, region: string, accountId: string): RoutedCall | ApiError {
    for (const route of ROUTES) {
      const match = route.pattern.exec(call.path);
      if (match && route.method === call.method) {
        const name = decodeURIComponent(match.groups?.name ?? '');
        return {
          operation: route.operation,
          resource: `arn:aws:eks:${region}:${accountId}:cluster/${name || '*'}`,
          invoke: (context) => route.handler(context, { name }, call.query),
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
