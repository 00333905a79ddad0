import pLimit from 'p-limit';
import type { AwsClientOptions, AwsClients, CredentialsProvider } from '../aws/clients.js';
import { type AwsErrorInfo, toErrorInfo, formatErrorInfo } from '../aws/errors.js';
import type { RoleOptions } from '../aws/assume-role.js';
import { accountCredentials } from '../aws/assume-role.js';
import {
  type AccountRef,
  accountKey,
  distinctAccounts,
  ownCredentialAccounts,
  wrongAccountRefusal,
} from '../remediation/accounts.js';
import type { AccountPort } from '../remediation/executor.js';
import { type AccountClients, awsChangePort } from '../remediation/gather-plan.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';

/** What the caller's own session brings: its credentials, its clients, and how to make more. */
export interface CallerSession {
  readonly credentials: CredentialsProvider;
  readonly clients: AwsClients;
  readonly clientOptions: AwsClientOptions;
  readonly homeRegion: string;
  readonly stsEndpoint: string | undefined;
  /** STS GetCallerIdentity with the caller's credentials: the account they act in. */
  callerAccount(): Promise<string>;
}

/** Each account a plan or journal names, reached once: its clients, or why it cannot be reached. */
export interface AccountSessions {
  clientsFor(account: AccountRef): AccountClients;
  portFor(account: AccountRef): AccountPort;
  /** Closes the clients of the assumed roles (the caller's own clients are the caller's to close). */
  destroy(): void;
}

/** Which file the accounts came from, for the wrong-account refusal. */
export interface AccountSource {
  /** e.g. "the plan plan.json". */
  readonly what: string;
  /** The other way out, e.g. "plan again with these (eksposure remediate --out FILE)". */
  readonly orElse?: string | undefined;
}

/** AssumeRole calls in flight at once when a plan spans many accounts. */
const ROLES_AT_ONCE = 8;

const unreachable = (error: AwsErrorInfo): AccountClients => ({ ok: false, error });

/**
 * Reaches every account the entries name, before anything is submitted:
 * - entries without a role are refused as a whole (one line, exit 2) unless the caller's own
 *   credentials act in their account (STS GetCallerIdentity): a plan applied with the wrong
 *   profile changes nothing;
 * - each role is assumed again now (with the flags given to this command, never stored secrets)
 *   through one refreshing credentials provider shared by that account's clients, so a long run
 *   never signs with expired keys; a role that cannot be assumed leaves its account unreachable,
 *   which its clusters report, and the other accounts go on.
 */
export async function openAccountSessions(
  deps: Pick<CliDeps, 'createClients'>,
  caller: CallerSession,
  refs: readonly AccountRef[],
  role: RoleOptions,
  source: AccountSource,
): Promise<AccountSessions> {
  const accounts = distinctAccounts(refs);
  if (ownCredentialAccounts(accounts).length > 0) {
    let callerAccount: string;
    try {
      callerAccount = await caller.callerAccount();
    } catch (error) {
      throw new CliError(
        `could not tell which account these credentials act in (STS GetCallerIdentity: ${formatErrorInfo(toErrorInfo(error))}), so ${source.what} was not applied to it; check the credentials and the network. Nothing was changed.`,
      );
    }
    const refusal = wrongAccountRefusal(callerAccount, accounts, source.what, source.orElse);
    if (refusal) throw new CliError(refusal);
  }
  const reached = new Map<string, AccountClients>();
  const opened: AwsClients[] = [];
  const limit = pLimit(ROLES_AT_ONCE);
  await Promise.all(
    accounts.map((account) =>
      limit(async () => {
        if (account.roleArn === null) {
          reached.set(accountKey(account), { ok: true, clients: caller.clients });
          return;
        }
        const credentials = accountCredentials(
          caller.credentials,
          { ...account, name: null },
          role,
          caller.stsEndpoint,
          {
            region: caller.homeRegion,
            maxAttempts: caller.clientOptions.maxAttempts,
            requestTimeoutMs: caller.clientOptions.requestTimeoutMs,
          },
        );
        try {
          // Assumed once here so a refused role is known before anything is submitted; the
          // provider keeps the credentials and refreshes them before they expire.
          await credentials();
        } catch (error) {
          const info = toErrorInfo(error);
          reached.set(
            accountKey(account),
            unreachable({
              code: info.code,
              message: `the role ${account.roleArn} could not be assumed: ${info.message}`,
            }),
          );
          return;
        }
        const clients = await deps.createClients({ ...caller.clientOptions, credentials });
        opened.push(clients);
        reached.set(accountKey(account), { ok: true, clients });
      }),
    ),
  );
  const clientsFor = (account: AccountRef): AccountClients =>
    reached.get(accountKey(account)) ??
    unreachable({
      code: 'AccountNotOpened',
      message: `account ${account.accountId} was not among the accounts opened for this run`,
    });
  return {
    clientsFor,
    portFor: (account) => {
      const found = clientsFor(account);
      return found.ok ? { ok: true, aws: awsChangePort(found.clients, account) } : found;
    },
    destroy: () => {
      for (const clients of opened) clients.destroy();
    },
  };
}
