import { setMaxListeners } from 'node:events';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, type EKSClientConfig } from '@aws-sdk/client-eks';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import {
  type AttemptOutcome,
  failedAttempt,
  type PacedService,
  type Pacer,
  type PacerLane,
} from './pacing.js';
import { abortWatch, AttemptBoundHandler } from './http-handler.js';
import { sendScanCallsLean } from './lean-calls.js';
import {
  fixedUserAgent,
  SDK_USER_AGENT_MIDDLEWARE,
  USER_AGENT_PLACE,
  type UserAgentConfig,
  userAgentSections,
} from './user-agent.js';

export type CredentialsProvider = ReturnType<typeof fromNodeProviderChain>;

export interface AwsClientOptions {
  readonly credentials: CredentialsProvider;
  /** An endpoint per service, for every region; calls are still signed with their own region. */
  readonly endpoints?: {
    readonly eks?: string | undefined;
    readonly ec2?: string | undefined;
    readonly sts?: string | undefined;
    readonly organizations?: string | undefined;
    readonly securityhub?: string | undefined;
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
  /** Loaded on first use: `audit --security-hub`'s GetFindings and BatchImportFindings. */
  securityHub(region: string): Promise<SecurityHubClient>;
  /** Ends every call still in flight (it fails with an AbortError), refuses new ones, closes the connections. */
  destroy(): void;
}

/** The key under which the SDK keeps a call's `abortSignal` in the handler context. */
const SMITHY_CONTEXT_KEY = '__smithy_context';

interface AttemptContext {
  readonly [SMITHY_CONTEXT_KEY]?: { readonly abortSignal?: unknown };
}

type AttemptHandler<Args, Result> = (args: Args) => Promise<Result>;

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

/** First of all: the signal it puts in the call's context is the one the retry's backoff races. */
const LIFETIME_PLACE = {
  step: 'initialize',
  priority: 'high',
  name: 'eksposureEndsWithClients',
} as const;

/**
 * Gives a call sent without an abort signal of its own the clients' lifetime signal, so that
 * destroy() also ends a call waiting in the SDK's retry backoff (up to 20 s under throttling),
 * not only the attempts in flight. It runs when a command's middleware stack is resolved (once per
 * client with cacheMiddleware), not on each call.
 */
export function endWithClients(lifetime: AbortSignal) {
  return <Args, Result>(
    next: AttemptHandler<Args, Result>,
    context: AttemptContext,
  ): AttemptHandler<Args, Result> => {
    // Typed writable: the SDK declares it read-only for middleware that runs per call.
    const smithy: { abortSignal?: unknown } | undefined = context[SMITHY_CONTEXT_KEY];
    if (smithy && smithy.abortSignal === undefined) smithy.abortSignal = lifetime;
    return next;
  };
}

/**
 * Inside the retry, so every attempt takes a token, and before signing, so that an attempt that
 * waited for its token is signed when it leaves: a signature older than five minutes is refused.
 */
export const PACING_PLACE = {
  relation: 'before',
  toMiddleware: 'httpSigningMiddleware',
  name: 'eksposurePacing',
} as const;

const SUCCEEDED: AttemptOutcome = { kind: 'succeeded' };

/** One attempt, its outcome told to the lane. */
const attemptThrough = <Args, Result>(
  lane: PacerLane,
  next: AttemptHandler<Args, Result>,
  args: Args,
): Promise<Result> =>
  next(args).then(
    (result) => {
      lane.record(SUCCEEDED);
      return result;
    },
    (error: unknown) => {
      lane.record(failedAttempt(error, Date.now()));
      throw error;
    },
  );

/** Waits for the lane's token before each attempt, and tells it what became of the attempt. */
export function pacing(lane: PacerLane) {
  return <Args, Result>(next: AttemptHandler<Args, Result>): AttemptHandler<Args, Result> =>
    (args) => {
      const wait = lane.take();
      return wait === undefined
        ? attemptThrough(lane, next, args)
        : wait.then(() => attemptThrough(lane, next, args));
    };
}

/** The pacing middleware as a plugin, for a client eksposure does not build itself (AssumeRole's). */
export const pacingPlugin = (pacer: Pacer, service: PacedService, region: string) => ({
  applyToStack: (stack: { addRelativeTo(middleware: unknown, options: object): void }) =>
    stack.addRelativeTo(pacing(pacer.lane(service, region)), PACING_PLACE),
});

type SignerProvider = EKSClient['config']['signer'];

/**
 * The SDK builds a new SigV4 signer for every call: a copy of the client's whole configuration,
 * then the signer's constructor, about a tenth of a call's CPU. What it builds depends only on
 * that configuration (the signing region and name are written into it on the first call), so one
 * signer per client serves every call alike. The signer asks the client's credential provider on
 * each call, so refreshed credentials are still used; should the provider be replaced, a new
 * signer is built.
 */
export function reuseSigner(config: { signer: SignerProvider; credentials?: unknown }): void {
  const build = config.signer;
  let built: { credentials: unknown; signer: ReturnType<SignerProvider> } | undefined;
  config.signer = (authScheme) => {
    if (!built || built.credentials !== config.credentials) {
      const signer = build(authScheme);
      built = { credentials: config.credentials, signer };
      // A signer that could not be built is not kept: the next call tries again.
      signer.then(undefined, () => {
        if (built?.signer === signer) built = undefined;
      });
    }
    return built.signer;
  };
}

/**
 * An endpoint given as a URL, parsed once: the SDK parses a string endpoint again for every call.
 * (The shape is the SDK's Endpoint; a bracketed IPv6 host stays bracketed, as the SDK keeps it.)
 */
export function parsedEndpoint(url: string) {
  const { protocol, hostname, port, pathname } = new URL(url);
  return { protocol, hostname, port: port ? Number(port) : undefined, path: pathname };
}

/** Organizations is a global service whose API is in us-east-1 (aws partition). */
export const ORGANIZATIONS_REGION = 'us-east-1';

/**
 * One client per service and region, created on first use, with the SDK's standard retry and a
 * larger attempt budget: a scan where one call in five is throttled must still finish. Every
 * attempt of every call is bounded by the request timeout, and ended by destroy(), in the
 * request handler (see http-handler.ts).
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const cached = <T>(cache: Map<string, T>, region: string, create: () => T): T => {
    let client = cache.get(region);
    if (!client) {
      client = create();
      cache.set(region, client);
    }
    return client;
  };

  const eksClients = new Map<string, EKSClient>();
  const ec2Clients = new Map<string, EC2Client>();
  const lifetime = new AbortController();
  // The SDK's retry races each call's first token and every backoff against this signal (see
  // endWithClients): one listener per call in flight, many at once, not a leak.
  setMaxListeners(0, lifetime.signal);
  const watch = abortWatch();
  // One handler, so one connection pool, per service and region: against AWS, each is its own
  // host; against a stand-in serving every service on one endpoint, STS's one call must not queue
  // behind a region's busy DescribeCluster sockets.
  const handlers = new Map<string, AttemptBoundHandler>();
  const handlerFor = (service: PacedService, region: string) =>
    cached(
      handlers,
      `${service} ${region}`,
      () =>
        new AttemptBoundHandler({
          requestTimeoutMs: options.requestTimeoutMs,
          connectTimeoutMs: options.connectTimeoutMs,
          maxSockets: options.maxSockets,
          lifetime: lifetime.signal,
          watch,
        }),
    );

  const configFor = (service: PacedService, region: string, endpoint: string | undefined) => ({
    region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts,
    retryMode: 'standard',
    logger: SILENT_SDK_LOGGER,
    // Each command's middleware stack is resolved once per client, not once per call. The SDK
    // resolves it again for a call sent with options: the scan sends none (its calls end on
    // destroy(), through the lifetime signal the handler and endWithClients watch), only the few
    // calls of the change path do. The cached stack shares one handler context between concurrent
    // calls of a command, and a few middlewares write into it (the endpoint, the selected auth
    // scheme, the clock-skew bookkeeping of signing): for one client these are the same for every
    // call, so a call that reads another's write reads what it would have written itself.
    cacheMiddleware: true,
    ...(endpoint ? { endpoint: parsedEndpoint(endpoint) } : {}),
    requestHandler: handlerFor(service, region),
  });

  const endsWithClients = endWithClients(lifetime.signal);
  const stsClients = new Map<string, STSClient>();
  const organizationsClients = new Map<string, OrganizationsClient>();
  const securityHubClients = new Map<string, SecurityHubClient>();
  const { pacer } = options;
  /** The clients' lifetime on every call, and pacing when asked for. */
  const equip = <
    C extends {
      readonly middlewareStack: object;
      readonly config: Parameters<typeof reuseSigner>[0] & UserAgentConfig;
    },
  >(
    client: C,
    service: PacedService,
    region: string,
  ): C => {
    // Each client's stack is typed with its own commands; these middlewares fit any of them.
    const stack = client.middlewareStack as unknown as {
      add(middleware: unknown, options: object): void;
      addRelativeTo(middleware: unknown, options: object): void;
      remove(name: string): boolean;
    };
    stack.add(endsWithClients, LIFETIME_PLACE);
    stack.remove(SDK_USER_AGENT_MIDDLEWARE);
    stack.add(
      fixedUserAgent(() => userAgentSections(client.config)),
      USER_AGENT_PLACE,
    );
    if (pacer) stack.addRelativeTo(pacing(pacer.lane(service, region)), PACING_PLACE);
    reuseSigner(client.config);
    return client;
  };

  /** The EKS client, whose scan calls take the short way (lean-calls.ts) with the same pieces. */
  const eksClient = (region: string) => {
    const client = equip(
      new EKSClient(configFor('eks', region, options.endpoints?.eks)),
      'eks',
      region,
    );
    const asIs = <Args, Result>(next: AttemptHandler<Args, Result>) => next;
    return sendScanCallsLean(client, {
      handler: handlerFor('eks', region),
      lifetime: lifetime.signal,
      build: fixedUserAgent(() => userAgentSections(client.config)),
      eachAttempt: pacer ? pacing(pacer.lane('eks', region)) : asIs,
    });
  };

  return {
    eks: (region) => cached(eksClients, region, () => eksClient(region)),
    ec2: async (region) => {
      const { EC2Client } = await import('./sdk/ec2.js');
      return cached(ec2Clients, region, () =>
        equip(new EC2Client(configFor('ec2', region, options.endpoints?.ec2)), 'ec2', region),
      );
    },
    sts: async (region) => {
      const { STSClient } = await import('./sdk/sts.js');
      return cached(stsClients, region, () =>
        equip(new STSClient(configFor('sts', region, options.endpoints?.sts)), 'sts', region),
      );
    },
    organizations: async () => {
      const { OrganizationsClient } = await import('./sdk/organizations.js');
      return cached(organizationsClients, ORGANIZATIONS_REGION, () =>
        equip(
          new OrganizationsClient(
            configFor('organizations', ORGANIZATIONS_REGION, options.endpoints?.organizations),
          ),
          'organizations',
          ORGANIZATIONS_REGION,
        ),
      );
    },
    securityHub: async (region) => {
      const { SecurityHubClient } = await import('./sdk/securityhub.js');
      return cached(securityHubClients, region, () =>
        equip(
          new SecurityHubClient(configFor('securityhub', region, options.endpoints?.securityhub)),
          'securityhub',
          region,
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
        ...securityHubClients.values(),
      ])
        client.destroy();
    },
  };
}
