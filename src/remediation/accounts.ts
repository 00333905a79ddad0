import { ACCOUNT_ID_PATTERN, accountIdOfRoleArn } from '../accounts/targets.js';
import { type AccountRef } from '../model/accounts.js';

/** arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE: the account field of a cluster or role ARN. */
export const accountOfArn = accountIdOfRoleArn;

const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Pure: why an entry's account and role cannot be right for its cluster ARN, if they cannot. */
export function accountProblem(
  value: { readonly accountId?: unknown; readonly roleArn?: unknown },
  clusterArn: string,
): string | undefined {
  const { accountId, roleArn } = value;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId))
    return 'has no 12-digit accountId';
  if (accountOfArn(clusterArn) !== accountId)
    return `has accountId ${accountId}, but its cluster ARN is in account ${accountOfArn(clusterArn) ?? '(none)'}`;
  if (roleArn === null) return undefined;
  if (typeof roleArn !== 'string' || !ROLE_ARN_PATTERN.test(roleArn))
    return 'has a roleArn that is neither null nor an IAM role ARN';
  if (accountOfArn(roleArn) !== accountId)
    return `has roleArn ${roleArn}, which is not in its account ${accountId}`;
  return undefined;
}

/** The same account reached the same way. */
export const accountKey = (ref: AccountRef) => `${ref.accountId}/${ref.roleArn ?? ''}`;

/** Each account and role once, by account id. */
export function distinctAccounts(refs: readonly AccountRef[]): AccountRef[] {
  const seen = new Map<string, AccountRef>();
  for (const ref of refs) {
    const key = accountKey(ref);
    if (!seen.has(key)) seen.set(key, { accountId: ref.accountId, roleArn: ref.roleArn });
  }
  return [...seen.values()].sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || accountKey(a).localeCompare(accountKey(b)),
  );
}

/** The accounts reached with the caller's own credentials. */
export const ownCredentialAccounts = (refs: readonly AccountRef[]) => [
  ...new Set(refs.filter((r) => r.roleArn === null).map((r) => r.accountId)),
];

/**
 * Pure: the one-line refusal when the caller's own credentials act in another account than the
 * entries without a role were made in (a plan applied with the wrong profile), else undefined.
 * `what` names the file, e.g. "the plan plan.json"; `orElse`, another way out.
 */
export function wrongAccountRefusal(
  callerAccount: string,
  refs: readonly AccountRef[],
  what: string,
  orElse?: string,
): string | undefined {
  const planned = ownCredentialAccounts(refs).filter((a) => a !== callerAccount);
  if (planned.length === 0) return undefined;
  const accounts = planned.join(', ');
  return `${what} changes clusters of account ${accounts} with the caller's own credentials, but these credentials act in account ${callerAccount}; use credentials of account ${accounts} (--profile or AWS_PROFILE)${orElse ? `, or ${orElse}` : ''}. Nothing was changed.`;
}

/** How one account is named in progress lines and errors. */
export const describeAccount = (ref: AccountRef) =>
  ref.roleArn === null
    ? `account ${ref.accountId}`
    : `account ${ref.accountId} (role ${ref.roleArn})`;

/**
 * A cluster as progress lines and messages name it: with its account when reached through a role
 * (a plan may then span many accounts); entries without a role all share the caller's account.
 */
export const clusterLabel = (
  c: AccountRef & { readonly region: string; readonly clusterName: string },
) => `${c.roleArn === null ? '' : `${c.accountId}/`}${c.region}/${c.clusterName}`;
