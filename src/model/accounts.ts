/** Which accounts a run reaches, and how: the caller's own credentials, or a role in each. */
import type { ErrorInfo } from './errors.js';

export interface AccountTarget {
  readonly accountId: string;
  /** The account's name in AWS Organizations, when known. */
  readonly name: string | null;
  /** The role assumed in the account; null: the caller's own credentials. */
  readonly roleArn: string | null;
}

export interface SkippedAccount {
  readonly accountId: string;
  readonly name: string | null;
  /** Why it is not scanned, e.g. "state SUSPENDED". */
  readonly reason: string;
}

export interface AccountSelection {
  /** Sorted by account id. */
  readonly scan: readonly AccountTarget[];
  readonly skipped: readonly SkippedAccount[];
}

/**
 * Which account a plan entry or journal line acts in, and with which role: null when the caller's
 * own credentials are used. Apply, rollback and resume assume the role again (never from stored
 * secrets) and check, before submitting anything, that the caller's own credentials act in the
 * account the entries without a role were planned in.
 */
export type AccountRef = Pick<AccountTarget, 'accountId' | 'roleArn'>;

/** An account as Organizations lists it (the SDK's field names). */
export interface OrganizationAccount {
  readonly Id?: string | undefined;
  readonly Name?: string | undefined;
  /** ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED (replaces Status). */
  readonly State?: string | undefined;
  /** ACTIVE | SUSPENDED | PENDING_CLOSURE: being retired by AWS; read only when State is absent. */
  readonly Status?: string | undefined;
}

export type OrganizationListing =
  | { readonly ok: true; readonly accounts: readonly OrganizationAccount[] }
  | { readonly ok: false; readonly error: ErrorInfo };

/** Where the list of accounts comes from. */
export type AccountSource =
  /** No account flag: the caller's own account, with its own credentials. */
  | { readonly kind: 'caller' }
  /** --role-arn alone: the one account that role belongs to. */
  | { readonly kind: 'role'; readonly accountId: string }
  /** --accounts and/or --accounts-file. */
  | { readonly kind: 'named'; readonly accountIds: readonly string[] }
  /** --organization [--ou]; `parentId` undefined: the whole organization. */
  | { readonly kind: 'organization'; readonly parentId: string | undefined };
