import {
  type AccountSelection,
  type AccountTarget,
  type SkippedAccount,
  type OrganizationAccount,
} from '../model/accounts.js';
/**
 * Which accounts a run scans: pure decisions over the flags' values, an accounts file's text or an
 * Organizations listing. Nothing here calls AWS or reads a file.
 */

/** An AWS account id: exactly twelve digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** The placeholder --role-arn replaces with each account's id. */
export const ACCOUNT_PLACEHOLDER = '{account}';

/** The role to assume in an account: the template with `{account}` replaced; null without a template. */
export function roleArnFor(template: string | undefined, accountId: string): string | null {
  return template === undefined ? null : template.replaceAll(ACCOUNT_PLACEHOLDER, accountId);
}

/** The account an IAM role ARN names (`arn:aws:iam::123456789012:role/Name`), if it names one. */
export function accountIdOfRoleArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && ACCOUNT_ID_PATTERN.test(account) ? account : undefined;
}

export interface ParsedAccountIds {
  /** Distinct, in the order first given. */
  readonly ids: readonly string[];
  /** Values that are not 12-digit account ids, as given. */
  readonly malformed: readonly string[];
}

/** `--accounts 111111111111,222222222222` (repeatable): comma-separated ids, blanks ignored. */
export function parseAccountIds(values: readonly (string | number)[]): ParsedAccountIds {
  const given = values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return {
    ids: [...new Set(given.filter((v) => ACCOUNT_ID_PATTERN.test(v)))],
    malformed: given.filter((v) => !ACCOUNT_ID_PATTERN.test(v)),
  };
}

export interface ParsedAccountsFile {
  readonly ids: readonly string[];
  /** Lines that hold something other than an account id, numbered from 1. */
  readonly malformed: readonly { readonly line: number; readonly text: string }[];
}

/** An accounts file: one id a line; `#` starts a comment; blank lines and surrounding spaces are ignored. */
export function parseAccountsFile(text: string): ParsedAccountsFile {
  const ids: string[] = [];
  const malformed: { line: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const value = (raw.split('#')[0] ?? '').trim();
    if (value === '') return;
    if (ACCOUNT_ID_PATTERN.test(value)) ids.push(value);
    else malformed.push({ line: index + 1, text: value });
  });
  return { ids: [...new Set(ids)], malformed };
}

const byAccountId = <T extends { readonly accountId: string }>(a: T, b: T) =>
  a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;

/** Accounts named on the command line or in a file, less the excluded ones, each with its role. */
export function selectNamedAccounts(
  ids: readonly string[],
  exclude: ReadonlySet<string>,
  roleArnTemplate: string | undefined,
): AccountSelection {
  const scan = [...new Set(ids)]
    .filter((id) => !exclude.has(id))
    .map((accountId) => ({
      accountId,
      name: null,
      roleArn: roleArnFor(roleArnTemplate, accountId),
    }))
    .sort(byAccountId);
  return { scan, skipped: [] };
}

/**
 * Pure: the accounts of an Organizations listing to scan (State ACTIVE, or Status ACTIVE when an
 * older answer has no State) and the others, skipped with their state. Excluded ids are left out.
 */
export function selectOrganizationAccounts(
  listing: readonly OrganizationAccount[],
  exclude: ReadonlySet<string>,
  roleArnTemplate: string | undefined,
): AccountSelection {
  const seen = new Map<string, OrganizationAccount>();
  for (const account of listing) {
    if (account.Id && !exclude.has(account.Id) && !seen.has(account.Id))
      seen.set(account.Id, account);
  }
  const scan: AccountTarget[] = [];
  const skipped: SkippedAccount[] = [];
  for (const [accountId, account] of seen) {
    const name = account.Name ?? null;
    const state = account.State ?? account.Status ?? 'UNKNOWN';
    if (state === 'ACTIVE')
      scan.push({ accountId, name, roleArn: roleArnFor(roleArnTemplate, accountId) });
    else skipped.push({ accountId, name, reason: `state ${state}` });
  }
  return { scan: scan.sort(byAccountId), skipped: skipped.sort(byAccountId) };
}
