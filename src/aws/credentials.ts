import { fromIni } from '@aws-sdk/credential-providers';
import type { CredentialsProvider } from './clients.js';
import { firstLine, isError } from '../model/errors.js';

export type CredentialCheck = { ok: true } | { ok: false; message: string };

/** Reads a profile's credentials alone, to learn why the whole chain failed. */
export type ProfileProbe = (profile: string | undefined) => Promise<unknown>;

const probeProfile: ProfileProbe = (profile) => fromIni(profile ? { profile } : {})();

/** The profile fromIni could not find: `Could not resolve credentials using profile: [name] ...`. */
const MISSING_PROFILE = /^Could not resolve credentials using profile: \[([^\]]*)\]/;
/** A failing credential_process: `Command failed: <command>\n<its stderr>`. */
const COMMAND_FAILED = /^Command failed: /;

/**
 * What the profile's own failure says, in one line: the chain's summary ("Could not load
 * credentials from any providers") hides it. The command line of a credential_process is left out
 * (it may carry arguments the user would not want printed); its own last error line is kept.
 */
export function explainProfileFailure(
  profile: string | undefined,
  error: unknown,
): string | undefined {
  const message = isError(error) ? error.message : String(error);
  const name = profile ?? 'default';
  const missing = MISSING_PROFILE.exec(message);
  if (missing) {
    // No profile was asked for and there is no default one: the chain's summary says it better.
    if (profile === undefined && missing[1] === 'default') return undefined;
    return missing[1] === name
      ? `profile "${name}" is not in ~/.aws/config or ~/.aws/credentials, or holds no credentials (aws configure list-profiles lists them)`
      : `profile "${name}" names profile "${missing[1]}", which is not in ~/.aws/config or ~/.aws/credentials`;
  }
  if (COMMAND_FAILED.test(message)) {
    const lines = message.split('\n').map((l) => l.trim());
    const said = lines.slice(1).filter(Boolean).at(-1) ?? 'it printed nothing';
    return `the credential_process of profile "${name}" failed: ${said}`;
  }
  return profile === undefined ? undefined : `profile "${name}": ${firstLine(message)}`;
}

/**
 * Resolves the credential chain once, before any AWS call, so that a missing or expired
 * credential is one actionable line instead of an error per region. Never returns key material.
 */
export async function checkCredentials(
  provider: CredentialsProvider,
  now: Date,
  profile: string | undefined,
  probe: ProfileProbe = probeProfile,
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
    const reason = isError(error) ? firstLine(error.message) : String(error);
    const explained = await probe(profile).then(
      () => undefined,
      (profileError: unknown) => explainProfileFailure(profile, profileError),
    );
    if (explained) {
      return { ok: false, message: `no usable AWS credentials: ${explained}.` };
    }
    return {
      ok: false,
      message: `no usable AWS credentials from ${where} (${reason}); set AWS_PROFILE or --profile, run aws configure or aws sso login, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
    };
  }
}
