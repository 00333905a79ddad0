import pLimit from 'p-limit';
import type { AccountRef } from '../model/accounts.js';
import { type ErrorInfo, formatErrorInfo } from '../model/errors.js';
import type { AccountPort } from '../remediation/change-port.js';
import {
  accountKey,
  distinctAccounts,
  ownCredentialAccounts,
  wrongAccountRefusal,
} from '../remediation/accounts.js';
import { type Refused, refused } from './outcomes.js';
import type { AccountAws, CallerAws, OpenedAccount } from './ports.js';

/** Each account a plan or journal names, reached once: its AWS, or why it cannot be reached. */
export interface ReachedAccounts {
  portFor(account: AccountRef): AccountPort;
  /** Closes the assumed roles' clients (the caller's own are the caller's to close). */
  destroy(): void;
}

/** Which file the accounts came from, for the wrong-account refusal. */
export interface AccountsSource {
  /** e.g. "the plan plan.json". */
  readonly what: string;
  /** Another way out, e.g. "plan again with them (eksposure remediate --out FILE)". */
  readonly orElse?: string | undefined;
}

/** AssumeRole calls in flight at once when a plan spans many accounts. */
const ROLES_AT_ONCE = 8;

const unreachable = (error: ErrorInfo): OpenedAccount => ({ ok: false, error });

/**
 * Reaches every account the entries name, before anything is submitted:
 * - entries without a role are refused as a whole unless the caller's own credentials act in their
 *   account (STS GetCallerIdentity): a plan applied with the wrong profile changes nothing;
 * - each role is assumed again now (never from stored secrets); a role that cannot be assumed
 *   leaves its account unreachable, which its clusters report, and the others go on.
 */
export async function reachAccounts(
  caller: CallerAws,
  homeRegion: string,
  refs: readonly AccountRef[],
  source: AccountsSource,
): Promise<{ readonly kind: 'reached'; readonly accounts: ReachedAccounts } | Refused> {
  const accounts = distinctAccounts(refs);
  if (ownCredentialAccounts(accounts).length > 0) {
    // Each attempt is bounded by the clients' request timeout: no signal needed.
    const identity = await caller.own.callerAccount(homeRegion, undefined);
    if (!identity.ok) {
      return refused(
        'bad-input',
        `could not tell which account these credentials act in (STS GetCallerIdentity: ${formatErrorInfo(identity.error)}), so ${source.what} was not used; check the credentials and the network. Nothing was changed.`,
      );
    }
    const refusal = wrongAccountRefusal(identity.accountId, accounts, source.what, source.orElse);
    if (refusal) return refused('bad-input', refusal);
  }
  const reached = new Map<string, OpenedAccount>();
  const opened: AccountAws[] = [];
  const limit = pLimit(ROLES_AT_ONCE);
  await Promise.all(
    accounts.map((account) =>
      limit(async () => {
        if (account.roleArn === null) {
          reached.set(accountKey(account), { ok: true, aws: caller.own });
          return;
        }
        const result = await caller.openAccount({ ...account, name: null });
        if (result.ok) opened.push(result.aws);
        reached.set(accountKey(account), result);
      }),
    ),
  );
  return {
    kind: 'reached',
    accounts: {
      portFor: (account) =>
        reached.get(accountKey(account)) ??
        unreachable({
          code: 'AccountNotOpened',
          message: `account ${account.accountId} was not among the accounts opened for this run`,
        }),
      destroy: () => {
        for (const aws of opened) aws.destroy();
      },
    },
  };
}
