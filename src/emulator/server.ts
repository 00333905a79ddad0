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
import type { ServiceApi, WireResponse } from './service-api.js';
import { parseCredentialScope } from './sigv4.js';
import { buildState, type EmulatorState, isRegionEnabled } from './state.js';

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
}

export interface EmulatorStats {
  /** Calls per `service:operation`, injected failures included. */
  readonly calls: Map<string, number>;
  /** Injected failures per kind. */
  readonly injected: Map<string, number>;
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

const APIS: Record<Service, ServiceApi> = { eks: eksApi, ec2: ec2Api };

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Without a signature there is no scope to read the service from: EKS paths start with /clusters. */
function guessService(path: string): Service {
  return path.startsWith('/clusters') ? 'eks' : 'ec2';
}

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
  const stats: EmulatorStats = {
    calls: new Map(),
    injected: new Map(),
    inFlight: 0,
    maxInFlight: 0,
  };

  async function answer(req: http.IncomingMessage): Promise<WireResponse> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const scope = parseCredentialScope(req.headers.authorization);
    const service: Service =
      scope?.service === 'eks' || scope?.service === 'ec2'
        ? scope.service
        : guessService(url.pathname);
    const api = APIS[service];
    const requestId = randomUUID();
    if (!scope) return api.failure(authErrors[service].missing(), requestId);

    const routed = api.route(
      { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body },
      scope.region,
      state.accountId,
    );
    if (routed instanceof ApiError) return api.failure(routed, requestId);
    bump(stats.calls, `${service}:${routed.operation}`);

    const decision = faults.decide({
      service,
      operation: routed.operation,
      region: scope.region,
      cluster: routed.cluster,
    });
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const region = state.regions.get(scope.region);
    if (!isRegionEnabled(region))
      return api.failure(authErrors[service].regionDisabled(), requestId);
    if (decision.failure) {
      bump(stats.injected, decision.failure);
      const error = injectedError(
        service,
        decision.failure,
        { action: routed.operation, resource: routed.resource, accountId: state.accountId },
        decision.throttleAs,
      );
      return api.failure(error, requestId);
    }
    try {
      const context = { state, region, now: clock(), fault: decision, updateDurationMs };
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
