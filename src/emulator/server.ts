import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ec2Api } from './ec2/ec2-api.js';
import { DEFAULT_UPDATE_DURATION_MS } from './eks/cluster-updates.js';
import { eksApi } from './eks/eks-api.js';
import { ApiError, authErrors, injectedError, type Service } from './errors.js';
import { type FaultRule, FaultPlan } from './faults.js';
import type { Fixture } from './fixture.js';
import { newSecurityHub } from './securityhub/findings.js';
import { organizationsApi } from './organizations/organizations-api.js';
import type { ServiceApi, WireResponse } from './service-api.js';
import { parseCredentialScope } from './sigv4.js';
import {
  buildState,
  callerOf,
  type EmulatorState,
  isRegionEnabled,
  type RegionState,
} from './state.js';
import { securityHubApi } from './securityhub/securityhub-api.js';
import { stsApi } from './sts/sts-api.js';
import { type TokenBucketConfig, TokenBuckets } from './token-bucket.js';

export interface EmulatorOptions {
  readonly fixture: Fixture;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Added after the fixture's own fault rules. */
  readonly faults?: readonly FaultRule[];
  readonly seed?: number;
  readonly clock?: () => Date;
  /** How long a cluster update stays InProgress; overrides the fixture's, default 3000. */
  readonly updateDurationMs?: number;
  /** Token buckets; a service named here replaces the fixture's `throttling` for it. */
  readonly tokenBuckets?: TokenBucketConfig;
}

export interface EmulatorStats {
  /** Calls per `service:operation`, injected failures included. */
  readonly calls: Map<string, number>;
  /** Injected failures per kind. */
  readonly injected: Map<string, number>;
  /** Calls refused by a token bucket, per `account/region/service`. */
  readonly throttled: Map<string, number>;
  /** Calls the client marks as a retry (`amz-sdk-request: attempt=2` or later, as the AWS SDKs send). */
  retried: number;
  inFlight: number;
  maxInFlight: number;
}

export interface RunningEmulator {
  readonly url: string;
  readonly state: EmulatorState;
  readonly faults: FaultPlan;
  readonly stats: EmulatorStats;
  close(): Promise<void>;
}

const APIS: Record<Service, ServiceApi> = {
  eks: eksApi,
  ec2: ec2Api,
  sts: stsApi,
  organizations: organizationsApi,
  securityhub: securityHubApi,
};

const isService = (name: string | undefined): name is Service =>
  name !== undefined && Object.hasOwn(APIS, name);

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** `amz-sdk-request: attempt=2; max=10`: the SDK's count of tries, sent with every call. */
const isRetry = (header: string | string[] | undefined): boolean =>
  typeof header === 'string' && Number(/attempt=(\d+)/.exec(header)?.[1] ?? 1) > 1;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Without a signature there is no scope to read the service from: EKS paths start with /clusters,
 * Organizations names itself in X-Amz-Target, STS's actions are its own.
 */
function guessService(path: string, target: unknown, body: string): Service {
  if (path.startsWith('/clusters')) return 'eks';
  if (path.startsWith('/findings')) return 'securityhub';
  if (typeof target === 'string' && target.startsWith('AWSOrganizations')) return 'organizations';
  if (/(^|&)Action=(AssumeRole|GetCallerIdentity)(&|$)/.test(body)) return 'sts';
  return 'ec2';
}

/** The region STS and Organizations calls run in: they touch no regional state. */
const noRegion = (name: string): RegionState => ({
  name,
  optInStatus: 'opt-in-not-required',
  clusters: new Map(),
  vpcs: new Map(),
  instances: [],
  securityGroups: new Map(),
  prefixLists: new Map(),
  updates: new Map(),
  securityHub: newSecurityHub(false),
});

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const state = buildState(options.fixture);
  const faults = new FaultPlan(
    [...(options.fixture.faults ?? []), ...(options.faults ?? [])],
    options.seed,
  );
  const clock = options.clock ?? (() => new Date());
  const updateDurationMs =
    options.updateDurationMs ?? options.fixture.updateDurationMs ?? DEFAULT_UPDATE_DURATION_MS;
  if (!(Number.isInteger(updateDurationMs) && updateDurationMs >= 0))
    throw new RangeError(`updateDurationMs must be a whole number of ms, got ${updateDurationMs}`);
  const buckets = new TokenBuckets({
    ...(options.fixture.throttling ?? {}),
    ...(options.tokenBuckets ?? {}),
  });
  const stats: EmulatorStats = {
    calls: new Map(),
    injected: new Map(),
    throttled: new Map(),
    retried: 0,
    inFlight: 0,
    maxInFlight: 0,
  };

  async function answer(req: http.IncomingMessage): Promise<WireResponse> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const scope = parseCredentialScope(req.headers.authorization);
    const service: Service = isService(scope?.service)
      ? scope.service
      : guessService(url.pathname, req.headers['x-amz-target'], body);
    const api = APIS[service];
    const requestId = randomUUID();
    if (!scope) return api.failure(authErrors[service].missing(), requestId);

    const caller = callerOf(state, scope.accessKeyId);
    if (caller.session) {
      const token =
        req.headers['x-amz-security-token'] ?? url.searchParams.get('X-Amz-Security-Token');
      if (token !== caller.session.sessionToken)
        return api.failure(authErrors[service].invalidToken(), requestId);
      if (clock() >= caller.session.expiresAt)
        return api.failure(authErrors[service].expired(), requestId);
    }
    const account = state.accounts.get(caller.accountId);
    const routed = api.route(
      {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body,
        headers: req.headers,
      },
      scope.region,
      caller.accountId,
    );
    if (routed instanceof ApiError) return api.failure(routed, requestId);
    bump(stats.calls, `${service}:${routed.operation}`);
    if (isRetry(req.headers['amz-sdk-request'])) stats.retried += 1;
    // Taken on arrival, as AWS counts a call when it comes in.
    const bucketOpen = buckets.take(
      { account: caller.accountId, region: scope.region, service },
      clock().getTime(),
    );

    const decision = faults.decide({
      service,
      operation: routed.operation,
      region: scope.region,
      cluster: routed.cluster,
      account: caller.accountId,
    });
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const region = api.regional ? account?.regions.get(scope.region) : noRegion(scope.region);
    if (!account || !isRegionEnabled(region))
      return api.failure(authErrors[service].regionDisabled(), requestId);
    const call = {
      action: routed.operation,
      resource: routed.resource,
      accountId: caller.accountId,
      callerArn: caller.arn,
    };
    if (!bucketOpen) {
      bump(stats.throttled, `${caller.accountId}/${scope.region}/${service}`);
      return api.failure(injectedError(service, 'throttle', call, decision.throttleAs), requestId);
    }
    if (decision.failure) {
      bump(stats.injected, decision.failure);
      return api.failure(
        injectedError(service, decision.failure, call, decision.throttleAs),
        requestId,
      );
    }
    try {
      const context = {
        state,
        account,
        caller,
        region,
        now: clock(),
        fault: decision,
        updateDurationMs,
      };
      return api.success(routed, routed.invoke(context), requestId);
    } catch (error) {
      if (error instanceof ApiError) return api.failure(error, requestId);
      throw error;
    }
  }

  // Each request is handled on its own; no lock or queue sits between them.
  const server = http.createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    answer(req)
      .then((wire) => {
        res.writeHead(wire.status, {
          ...wire.headers,
          'content-length': Buffer.byteLength(wire.body),
        });
        res.end(wire.body);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`emulator error: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        stats.inFlight -= 1;
      });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => socket.setNoDelay(true));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      { port: options.port ?? 0, host: options.host ?? '127.0.0.1', backlog: 4096 },
      resolve,
    );
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    state,
    faults,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
