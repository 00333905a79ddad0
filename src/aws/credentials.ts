import type { CredentialsProvider } from './clients.js';
import { firstLine } from './errors.js';

export type CredentialCheck = { ok: true } | { ok: false; message: string };

/**
 * Resolves the credential chain once, before any AWS call, so that a missing or expired
 * credential is one actionable line instead of an error per region. Never returns key material.
 */
export async function checkCredentials(
  provider: CredentialsProvider,
  now: Date,
  profile: string | undefined,
): Promise<CredentialCheck> {
  const where = profile ? `profile "${profile}"` : 'the default credential chain';
  try {
    const identity = await provider();
    if (identity.expiration && identity.expiration.getTime() <= now.getTime()) {
      return {
        ok: false,
        message: `AWS credentials from ${where} expired at ${identity.expiration.toISOString()}; refresh them (for SSO: aws sso login) and retry.`,
      };
    }
    return { ok: true };
  } catch (error) {
    const reason = error instanceof Error ? firstLine(error.message) : String(error);
    return {
      ok: false,
      message: `no usable AWS credentials from ${where} (${reason}); set AWS_PROFILE or --profile, run aws configure or aws sso login, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
    };
  }
}
