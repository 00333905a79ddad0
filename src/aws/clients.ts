import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { finished, Readable } from 'node:stream';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, type EKSClientConfig } from '@aws-sdk/client-eks';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { type AttemptOutcome, failedAttempt, type PacedService, type Pacer } from './pacing.js';
import { isError } from '../model/errors.js';

export type CredentialsProvider = ReturnType<typeof fromNodeProviderChain>;

export interface AwsClientOptions {
  readonly credentials: CredentialsProvider;
  /** An endpoint per service, for every region; calls are still signed with their own region. */
  readonly endpoints?: {
    readonly eks?: string | undefined;
    readonly ec2?: string | undefined;
    readonly sts?: string | undefined;
    readonly organizations?: string | undefined;
  };
  readonly maxAttempts: number;
  /** Sockets per regional client: the region's concurrency plus room for listing. */
  readonly maxSockets: number;
  /** The most one attempt of a call may take, from sending it to the last byte of the answer. */
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Client-side pacing of every attempt (see pacing.ts); none when left out. */
  readonly pacer?: Pacer | undefined;
}

export interface AwsClients {
  eks(region: string): EKSClient;
  /** Loads the EC2 client module on first use (about 450 ms): an audit's first calls need only EKS. */
  ec2(region: string): Promise<EC2Client>;
  /** Loaded on first use: GetCallerIdentity. */
  sts(region: string): Promise<STSClient>;
  /** Loaded on first use; Organizations' API lives in us-east-1. */
  organizations(): Promise<OrganizationsClient>;
  /** Ends every call still in flight (it fails with an AbortError), refuses new ones, closes the connections. */
  destroy(): void;
}

/** The key under which the SDK keeps a call's `abortSignal` in the handler context. */
const SMITHY_CONTEXT_KEY = '__smithy_context';

interface AttemptContext {
  readonly [SMITHY_CONTEXT_KEY]?: { readonly abortSignal?: unknown };
}

type AttemptHandler<Args, Result> = (args: Args) => Promise<Result>;

function timeoutError(timeoutMs: number): Error {
  return Object.assign(
    new Error(`no complete answer within the request timeout (${timeoutMs / 1000} s)`),
    // The SDK retries a TimeoutError like any transient failure, within maxAttempts.
    { name: 'TimeoutError' },
  );
}

function abortError(): Error {
  return Object.assign(new Error('call abandoned before its answer (aborted)'), {
    name: 'AbortError',
  });
}

type Stop = (error: Error) => void;

const expire = (stop: Stop, timeoutMs: number) => stop(timeoutError(timeoutMs));

/**
 * The attempts waiting on each abort signal, behind one listener per signal: the clients' signal
 * and a scan's signal are shared by hundreds of attempts, and a listener per attempt costs CPU on
 * every call and trips Node's MaxListenersExceededWarning past ten.
 */
function abortWatch() {
  const waiting = new WeakMap<AbortSignal, Set<Stop>>();
  return {
    add(signal: AbortSignal, stop: Stop) {
      let stops = waiting.get(signal);
      if (!stops) {
        const created = new Set<Stop>();
        stops = created;
        waiting.set(signal, created);
        signal.addEventListener(
          'abort',
          () => {
            for (const s of [...created]) s(abortError());
          },
          { once: true },
        );
      }
      stops.add(stop);
    },
    remove(signal: AbortSignal, stop: Stop) {
      waiting.get(signal)?.delete(stop);
    },
  };
}

/**
 * One attempt of a call, bounded from the moment it is sent to the last byte of the answer.
 * The SDK's own `requestTimeout` stops at the response headers, and a socket timeout measures
 * only silence: a server that stalls after the headers or trickles its body defeats both.
 * Sits just above the HTTP handler, below the retry, so every attempt gets the whole budget.
 * It also ends the attempt when the call's `abortSignal` or the clients' own signal aborts,
 * including while the body is still arriving. Per attempt it costs one timer (unref'd, cleared
 * at the answer's last byte) and one entry in a set per signal.
 */
export function attemptDeadline(timeoutMs: number, clientsSignal: AbortSignal) {
  const watch = abortWatch();
  return <Args, Result extends { readonly response: unknown }>(
      next: AttemptHandler<Args, Result>,
      context: AttemptContext,
    ): AttemptHandler<Args, Result> =>
    (args) => {
      const given = context[SMITHY_CONTEXT_KEY]?.abortSignal;
      const callSignal = given instanceof AbortSignal ? given : undefined;
      if (clientsSignal.aborted || callSignal?.aborted) return Promise.reject(abortError());
      return new Promise<Result>((resolve, reject) => {
        let body: Readable | undefined;
        let settled = false;
        const cleanUp = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          watch.remove(clientsSignal, stop);
          if (callSignal) watch.remove(callSignal, stop);
        };
        const stop: Stop = (error) => {
          cleanUp();
          body?.destroy(error);
          reject(error);
        };
        const timer = setTimeout(expire, timeoutMs, stop, timeoutMs);
        // A call still pending keeps the process alive through its socket, not through this timer.
        timer.unref();
        watch.add(clientsSignal, stop);
        if (callSignal) watch.add(callSignal, stop);
        next(args).then(
          (result) => {
            const answer = (result.response as { body?: unknown } | undefined)?.body;
            if (!(answer instanceof Readable)) {
              cleanUp();
            } else if (settled) {
              // Too late: the attempt has already failed, and nobody will read this body.
              answer.destroy();
            } else {
              // The deadline stays armed until the deserializer has read the whole body.
              body = answer;
              finished(answer, cleanUp);
            }
            resolve(result);
          },
          (error: unknown) => {
            cleanUp();
            reject(isError(error) ? error : new Error(String(error)));
          },
        );
      });
    };
}

const ignore = () => undefined;

/**
 * The SDK's logger middleware builds a filtered copy of every call's input and output for
 * `logger.info`, and of its input for `logger.error`, even for its default no-op logger; it calls
 * them as `logger?.info?.(...)`, so a logger without them skips that work. The SDK's other messages
 * (warnings, debug) are dropped, as its default logger drops them.
 */
const SILENT_SDK_LOGGER = { debug: ignore, warn: ignore, trace: ignore } as unknown as NonNullable<
  EKSClientConfig['logger']
>;

/** Below the deserializer, which reads the body: the deadline covers that read too. */
const DEADLINE_PLACE = {
  step: 'deserialize',
  priority: 'low',
  name: 'eksposureAttemptDeadline',
} as const;

/** Right after the retry, so every attempt takes a token; before the attempt's deadline starts. */
export const PACING_PLACE = {
  step: 'finalizeRequest',
  priority: 'low',
  name: 'eksposurePacing',
} as const;

const SUCCEEDED: AttemptOutcome = { kind: 'succeeded' };

/** Waits for the pacer's token before each attempt, and tells it what became of the attempt. */
export function pacing(pacer: Pacer, service: PacedService, region: string) {
  return <Args, Result>(next: AttemptHandler<Args, Result>): AttemptHandler<Args, Result> =>
    async (args) => {
      await pacer.take(service, region);
      let result: Result;
      try {
        result = await next(args);
      } catch (error) {
        pacer.record(service, region, failedAttempt(error, Date.now()));
        throw error;
      }
      pacer.record(service, region, SUCCEEDED);
      return result;
    };
}

/** The pacing middleware as a plugin, for a client eksposure does not build itself (AssumeRole's). */
export const pacingPlugin = (pacer: Pacer, service: PacedService, region: string) => ({
  applyToStack: (stack: { add(middleware: unknown, options: object): void }) =>
    stack.add(pacing(pacer, service, region), PACING_PLACE),
});

/** Organizations is a global service whose API is in us-east-1 (aws partition). */
export const ORGANIZATIONS_REGION = 'us-east-1';

/**
 * One EKS and one EC2 client per region, created on first use. Each client has its own
 * connection pool, as it would against AWS's per-region hosts, and the SDK's standard retry
 * with a larger attempt budget: a scan where one call in five is throttled must still finish.
 * Every attempt of every call is bounded by the request timeout (see attemptDeadline).
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const eksClients = new Map<string, EKSClient>();
  const ec2Clients = new Map<string, EC2Client>();
  const lifetime = new AbortController();
  // Each attempt in flight listens to it (see attemptDeadline): many at once are expected.
  setMaxListeners(0, lifetime.signal);
  const deadline = attemptDeadline(options.requestTimeoutMs, lifetime.signal);

  const configFor = (region: string, endpoint: string | undefined) => ({
    region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts,
    retryMode: 'standard',
    logger: SILENT_SDK_LOGGER,
    ...(endpoint ? { endpoint } : {}),
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    },
  });

  const stsClients = new Map<string, STSClient>();
  const organizationsClients = new Map<string, OrganizationsClient>();
  const { pacer } = options;
  /** The deadline on every attempt, and pacing when asked for. */
  const equip = <C extends { readonly middlewareStack: object }>(
    client: C,
    service: PacedService,
    region: string,
  ): C => {
    // Each client's stack is typed with its own commands; these middlewares fit any of them.
    const stack = client.middlewareStack as unknown as {
      add(middleware: unknown, options: object): void;
    };
    stack.add(deadline, DEADLINE_PLACE);
    if (pacer) stack.add(pacing(pacer, service, region), PACING_PLACE);
    return client;
  };

  const cached = <T>(cache: Map<string, T>, region: string, create: () => T): T => {
    let client = cache.get(region);
    if (!client) {
      client = create();
      cache.set(region, client);
    }
    return client;
  };

  return {
    eks: (region) =>
      cached(eksClients, region, () =>
        equip(new EKSClient(configFor(region, options.endpoints?.eks)), 'eks', region),
      ),
    ec2: async (region) => {
      const { EC2Client } = await import('./sdk/ec2.js');
      return cached(ec2Clients, region, () =>
        equip(new EC2Client(configFor(region, options.endpoints?.ec2)), 'ec2', region),
      );
    },
    sts: async (region) => {
      const { STSClient } = await import('./sdk/sts.js');
      return cached(stsClients, region, () =>
        equip(new STSClient(configFor(region, options.endpoints?.sts)), 'sts', region),
      );
    },
    organizations: async () => {
      const { OrganizationsClient } = await import('./sdk/organizations.js');
      return cached(organizationsClients, ORGANIZATIONS_REGION, () =>
        equip(
          new OrganizationsClient(
            configFor(ORGANIZATIONS_REGION, options.endpoints?.organizations),
          ),
          'organizations',
          ORGANIZATIONS_REGION,
        ),
      );
    },
    destroy: () => {
      lifetime.abort();
      for (const client of [
        ...eksClients.values(),
        ...ec2Clients.values(),
        ...stsClients.values(),
        ...organizationsClients.values(),
      ])
        client.destroy();
    },
  };
}
