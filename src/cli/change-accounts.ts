import pLimit from 'p-limit';
import type { OpenedAccount } from '../audit/run-audit.js';
import type { AwsClients } from '../aws/clients.js';
import { type ErrorInfo, formatErrorInfo } from '../model/errors.js';
import type { CallerAccount } from '../aws/identity.js';
import {
  type AccountRef,
  accountKey,
  distinctAccounts,
  ownCredentialAccounts,
  wrongAccountRefusal,
} from '../remediation/accounts.js';
import type { AccountPort } from '../remediation/executor.js';
import { type AccountClients, awsChangePort } from '../remediation/gather-plan.js';
import type { AccountScope } from './account-options.js';
import { accountOpener, realPacer } from './account-session.js';
import type { AwsAccess } from './aws-options.js';
import type { AwsSession } from './aws-session.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';

/** The caller's own session, and how other accounts are reached from it. */
export interface CallerSession {
  readonly clients: AwsClients;
  /** STS GetCallerIdentity with the caller's credentials: the account they act in. */
  callerAccount(): Promise<CallerAccount>;
  /** Assumes the account's role now and makes its clients, or says why it cannot. */
  openAccount(account: AccountRef): Promise<OpenedAccount>;
}

/**
 * The caller's session as apply, rollback and resume use it: roles assumed as `scope.role` says,
 * each account's calls paced as --pace says.
 */
export function callerSessionOf(
  deps: CliDeps,
  session: AwsSession,
  access: AwsAccess,
  scope: Pick<AccountScope, 'role' | 'pacing'>,
  concurrency: number,
): CallerSession {
  const open = accountOpener(
    deps,
    session.credentials,
    scope,
    { ...access, concurrency },
    session.homeRegion,
    realPacer(deps, scope),
  );
  return {
    clients: session.clients,
    // Each attempt is bounded by the clients' request timeout: no signal needed.
    callerAccount: async () =>
      (await import('../aws/identity.js')).callerAccountId(
        session.clients,
        session.homeRegion,
        undefined,
      ),
    openAccount: (account) => open({ ...account, name: null }),
  };
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
  /** Another way out, e.g. "plan again with them (eksposure remediate --out FILE)". */
  readonly orElse?: string | undefined;
}

/** AssumeRole calls in flight at once when a plan spans many accounts. */
const ROLES_AT_ONCE = 8;

const unreachable = (error: ErrorInfo): AccountClients => ({ ok: false, error });

/**
 * Reaches every account the entries name, before anything is submitted:
 * - entries without a role are refused as a whole (one line, exit 2) unless the caller's own
 *   credentials act in their account (STS GetCallerIdentity): a plan applied with the wrong
 *   profile changes nothing;
 * - each role is assumed again now (with this command's --external-id, --role-session-name and
 *   --role-duration, never stored secrets) through one refreshing credentials provider that all
 *   that account's clients share, so a long run never signs with expired keys; a role that cannot
 *   be assumed leaves its account unreachable, which its clusters report, and the others go on.
 */
export async function openAccountSessions(
  caller: CallerSession,
  refs: readonly AccountRef[],
  source: AccountSource,
): Promise<AccountSessions> {
  const accounts = distinctAccounts(refs);
  if (ownCredentialAccounts(accounts).length > 0) {
    const identity = await caller.callerAccount();
    if (!identity.ok) {
      throw new CliError(
        `could not tell which account these credentials act in (STS GetCallerIdentity: ${formatErrorInfo(identity.error)}), so ${source.what} was not used; check the credentials and the network. Nothing was changed.`,
      );
    }
    const refusal = wrongAccountRefusal(identity.accountId, accounts, source.what, source.orElse);
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
        const result = await caller.openAccount(account);
        if (result.ok) opened.push(result.clients);
        reached.set(accountKey(account), result);
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
