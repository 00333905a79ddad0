import http from 'node:http';
import https from 'node:https';
import type { AccountTarget } from '../model/accounts.js';
import { toErrorInfo } from '../model/errors.js';
import { accountPort } from './account-port.js';
import { accountCredentials, type RoleOptions } from './assume-role.js';
import type { AwsClientOptions, AwsClients, CredentialsProvider } from './clients.js';
import { listOrganizationAccounts } from './organization-accounts.js';
import { createPacer, type Pacer, type PacingModel } from './pacing.js';

/** How long a connection to AWS may take to open. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** Where each service's calls go; undefined: AWS's own endpoint for the region. */
export interface ServiceEndpoints {
  readonly eks: string | undefined;
  readonly ec2: string | undefined;
  /** The caller's account id (GetCallerIdentity) and AssumeRole into other accounts. */
  readonly sts: string | undefined;
  /** --organization's account listing. */
  readonly organizations: string | undefined;
  /** --security-hub's GetFindings and BatchImportFindings. */
  readonly securityhub: string | undefined;
}

/** How every account of a run is reached: endpoints, attempts, timeouts, roles and pacing. */
export interface ReachSettings {
  readonly endpoints: ServiceEndpoints;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
  /** Calls in flight per region (each client's pool gets two sockets more, for listing). */
  readonly concurrency: number;
  readonly role: RoleOptions;
  /** What the run's pacers start from and learn (one model for every account); null: --pace off. */
  readonly pacing: PacingModel | null;
}

/** The clock pacing waits on. */
export interface PaceClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The pacer of one account's calls, from what the run has learned; none with --pace off. */
export function accountPacer(pacing: PacingModel | null, clock: PaceClock): Pacer | undefined {
  if (pacing === null) return undefined;
  // A signal of its own per wait: one shared by every waiting call would collect their listeners.
  return createPacer(
    pacing,
    () => clock.now(),
    (ms) => clock.sleep(ms, new AbortController().signal),
  );
}

/**
 * How each account of a run is opened: its role assumed with the caller's credentials (STS paced
 * by one bucket, the caller's, and one connection pool for every account), then its own clients
 * with their own pacing. A role that cannot be assumed is the account's error, not the run's.
 */
export function accountOpener(options: {
  readonly createClients: (options: AwsClientOptions) => Promise<AwsClients>;
  readonly credentials: CredentialsProvider;
  readonly settings: ReachSettings;
  readonly homeRegion: string;
  readonly callerPacer: Pacer | undefined;
  readonly clock: PaceClock;
}) {
  const { settings, homeRegion, callerPacer } = options;
  const stsConnections = {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
    connectionTimeout: CONNECT_TIMEOUT_MS,
    requestTimeout: settings.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
  return async (target: AccountTarget) => {
    const credentials = accountCredentials(
      options.credentials,
      target,
      settings.role,
      settings.endpoints.sts,
      {
        region: homeRegion,
        maxAttempts: settings.maxAttempts,
        requestTimeoutMs: settings.requestTimeoutMs,
        requestHandler: stsConnections,
        pacer: callerPacer,
        now: () => options.clock.now(),
      },
    );
    try {
      await credentials();
    } catch (error) {
      const info = toErrorInfo(error);
      return {
        ok: false as const,
        error: {
          code: info.code,
          message: `could not assume ${target.roleArn ?? 'the role'}: ${info.message}`,
        },
      };
    }
    const clients = await options.createClients({
      credentials,
      endpoints: settings.endpoints,
      maxAttempts: settings.maxAttempts,
      maxSockets: settings.concurrency + 2,
      requestTimeoutMs: settings.requestTimeoutMs,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      pacer: accountPacer(settings.pacing, options.clock),
    });
    return { ok: true as const, aws: accountPort(clients) };
  };
}

/**
 * The caller's own account on its clients, the organization's account listing, and every other
 * account through its role (src/app/ports.ts CallerAws).
 */
export function callerAws(
  options: Parameters<typeof accountOpener>[0] & {
    /** The caller's own clients (paced, across accounts, by `callerPacer`). */
    readonly clients: AwsClients;
  },
) {
  return {
    own: accountPort(options.clients),
    listOrganizationAccounts: async (
      parentId: string | undefined,
      signal: AbortSignal | undefined,
    ) => listOrganizationAccounts(await options.clients.organizations(), parentId, signal),
    openAccount: accountOpener(options),
  };
}
