import type { Logger } from 'pino';
import type { AwsClients, CredentialsProvider } from '../aws/clients.js';
import type { Pacer } from '../aws/pacing.js';
import { checkCredentials } from '../aws/credentials.js';
import { REGION_NAME_PATTERN } from '../aws-names.js';
import type { AwsAccess } from './aws-options.js';
import { CliError } from './cli-error.js';
import { keepHeapNearLiveSize } from './heap-growth.js';
import type { CliDeps } from './deps.js';

const DEFAULT_HOME_REGION = 'us-east-1';
export const CONNECT_TIMEOUT_MS = 5_000;

export interface AwsSession {
  readonly clients: AwsClients;
  /** The caller's credentials (what roles in other accounts are assumed with). */
  readonly credentials: CredentialsProvider;
  /** Where account-wide calls (DescribeRegions) go. */
  readonly homeRegion: string;
}

/**
 * Resolves the credentials once (a missing or expired one is a usage error, before any AWS call),
 * picks the home region and wires the per-region clients.
 */
export async function openAwsSession(
  deps: CliDeps,
  access: AwsAccess,
  options: {
    readonly maxSockets: number;
    readonly fallbackRegion?: string | undefined;
    readonly pacer?: Pacer | undefined;
  },
): Promise<AwsSession> {
  if (deps.runtimeNote) deps.stderr.write(`${deps.runtimeNote}\n`);
  if (access.profile && deps.env.AWS_ACCESS_KEY_ID && deps.env.AWS_SECRET_ACCESS_KEY) {
    deps.stderr.write(
      `eksposure: note: using profile "${access.profile}"; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are ignored.\n`,
    );
  }
  const credentials = await deps.createCredentials(access.profile);
  const credentialCheck = await checkCredentials(credentials, deps.clock(), access.profile);
  if (!credentialCheck.ok) throw new CliError(credentialCheck.message);

  const homeRegion =
    (await deps.configuredRegion(access.profile)) ?? options.fallbackRegion ?? DEFAULT_HOME_REGION;
  if (!REGION_NAME_PATTERN.test(homeRegion)) {
    throw new CliError(
      `the configured region "${homeRegion}" (AWS_REGION or the profile's region) is not a region name such as us-east-1.`,
    );
  }
  keepHeapNearLiveSize();
  const clients = await deps.createClients({
    credentials,
    endpoints: access.endpoints,
    maxAttempts: access.maxAttempts,
    maxSockets: options.maxSockets,
    requestTimeoutMs: access.requestTimeoutMs,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    pacer: options.pacer,
  });
  return { clients, credentials, homeRegion };
}

/** Logs the process's peak memory with the command's own figures. */
export function logFinished(logger: Logger, what: string, fields: Record<string, unknown>): void {
  logger.info({ ...fields, maxRssKb: process.resourceUsage().maxRSS }, what);
}
