import type { AwsCredentialIdentity } from '@smithy/types';

import { type CredentialsProvider, pacingPlugin } from './clients.js';
import type { Pacer } from './pacing.js';
import { type AccountTarget } from '../model/accounts.js';

export interface RoleOptions {
  /** Sent as ExternalId when the role's trust policy asks for one. */
  readonly externalId?: string | undefined;
  readonly sessionName: string;
  /** 900..43200; the role's own maximum session duration must allow it. */
  readonly durationSeconds: number;
}

/** How AssumeRole calls are sent; every field has a default. */
export interface StsSettings {
  /** STS is regional; the home region's endpoint is the one AWS recommends. */
  readonly region?: string | undefined;
  readonly maxAttempts?: number | undefined;
  readonly requestTimeoutMs?: number | undefined;
  /**
   * Connection options shared by every account's STS calls (one keep-alive pool, not one per
   * account): `{ httpAgent, httpsAgent, ... }` as the SDK's requestHandler takes them.
   */
  readonly requestHandler?: object | undefined;
  /** Paces each attempt of AssumeRole, and learns from its throttling (client-side pacing). */
  readonly pacer?: Pacer | undefined;
  /** Milliseconds since the epoch; Date.now by default. */
  readonly now?: (() => number) | undefined;
}

/** Credentials are fetched again this long before they expire, as the SDK's own clients do. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * One fetch shared by every caller until the credentials come within `refreshBeforeMs` of their
 * expiration; then the next caller fetches fresh ones (concurrent callers wait on the same fetch).
 * A failed fetch is not kept: the next call tries again. Without this each regional client would
 * assume the role on its own (34 AssumeRole calls per account for 17 regions of EKS and EC2).
 */
export function refreshingCredentials(
  fetch: () => Promise<AwsCredentialIdentity>,
  now: () => number,
  refreshBeforeMs = REFRESH_BEFORE_EXPIRY_MS,
): CredentialsProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) =>
    c.expiration === undefined || c.expiration.getTime() - refreshBeforeMs > now();
  return () => {
    if (current && fresh(current)) return Promise.resolve(current);
    pending ??= fetch().then(
      (credentials) => {
        current = credentials;
        pending = undefined;
        return credentials;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

/**
 * The credentials to act in `target`'s account: the role its ARN names, assumed with `base`
 * (the caller's credentials) through STS, refreshed before they expire so a long run never signs
 * with expired keys. A target without a role (the caller's own account) gets `base` itself.
 * Loads the STS code on the first call only. Throws (on that call) when the role cannot be assumed.
 */
export function accountCredentials(
  base: CredentialsProvider,
  target: AccountTarget,
  role: RoleOptions,
  stsEndpoint?: string,
  settings: StsSettings = {},
): CredentialsProvider {
  const { roleArn } = target;
  if (roleArn === null) return base;
  let assume: CredentialsProvider | undefined;
  const region = settings.region ?? 'us-east-1';
  const fetch = async () => {
    if (!assume) {
      const { fromTemporaryCredentials } = await import('./sdk/temporary-credentials.js');
      assume = fromTemporaryCredentials({
        masterCredentials: base,
        params: {
          RoleArn: roleArn,
          RoleSessionName: role.sessionName,
          DurationSeconds: role.durationSeconds,
          ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
        },
        clientConfig: {
          region,
          maxAttempts: settings.maxAttempts ?? 10,
          retryMode: 'standard',
          ...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
          ...(settings.requestHandler ? { requestHandler: settings.requestHandler } : {}),
        },
        ...(settings.pacer ? { clientPlugins: [pacingPlugin(settings.pacer, 'sts', region)] } : {}),
      });
    }
    return assume();
  };
  return refreshingCredentials(fetch, settings.now ?? Date.now);
}
