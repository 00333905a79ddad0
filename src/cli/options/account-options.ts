import { readFileSync } from 'node:fs';
import type { Options } from 'yargs';
import {
  ACCOUNT_PLACEHOLDER,
  accountIdOfRoleArn,
  parseAccountIds,
  parseAccountsFile,
} from '../../accounts/targets.js';
import type { Shard } from '../../accounts/shard.js';
import type { RoleOptions } from '../../aws/assume-role.js';
import {
  type BucketRate,
  DEFAULT_RATES,
  type PacedService,
  type PacePolicy,
} from '../../aws/pacing.js';
import { countFlag, wholeNumber } from './aws-options.js';
import { CliError } from '../cli-error.js';
import { systemErrorCause } from './file-checks.js';
import { resolveShard, shardOption } from './shard-option.js';
import { type AccountSource } from '../../model/accounts.js';

/** How each account's calls are paced; audit, remediate, apply, rollback and resume take it. */
export const paceOption = {
  pace: {
    type: 'string',
    array: true,
    describe:
      'Across accounts: client-side pacing per account, region and service, which learns (halved when AWS throttles, grown back while calls succeed) from eks=20/10 ec2=20/5 sts=10/10 organizations=5/2 securityhub=5/2 unless fixed here: SERVICE=BURST/PER_SECOND (eks, ec2, sts, organizations, securityhub; e.g. eks=40/20), or off; one account is paced only once AWS throttles it',
  },
} as const satisfies Record<string, Options>;

/** Flags choosing the accounts of audit and remediate, and the role assumed in each. */
export const accountOptions = {
  accounts: {
    type: 'string',
    array: true,
    describe: 'Scan these accounts (12-digit ids, comma-separated or repeated) through --role-arn',
  },
  'accounts-file': {
    type: 'string',
    describe: 'Scan the accounts in this file: one id a line, # comments, blank lines ignored',
  },
  organization: {
    type: 'boolean',
    describe:
      'Scan every ACTIVE account of the AWS Organization (ListAccounts with the current credentials: the management account or a delegated administrator)',
  },
  ou: {
    type: 'string',
    describe:
      'With --organization: only this organizational unit (ou-xxxx-yyyyyyyy, or the root r-xxxx) and the units under it',
  },
  'exclude-accounts': {
    type: 'string',
    array: true,
    describe: 'Leave these accounts out (comma-separated or repeated)',
  },
  'role-arn': {
    type: 'string',
    describe:
      "The role to assume in each account, e.g. 'arn:aws:iam::{account}:role/SecurityAudit' ({account} is required when several accounts are scanned)",
  },
  'external-id': {
    type: 'string',
    describe: "The ExternalId the role's trust policy asks for",
  },
  'role-session-name': {
    type: 'string',
    default: 'eksposure',
    describe: 'The session name CloudTrail shows for the assumed role',
  },
  'role-duration': countFlag('Seconds each assumed-role session lasts (900 to 43200)', 3600),
  'account-concurrency': countFlag('Accounts scanned at once', 20),
  ...paceOption,
  ...shardOption,
} as const satisfies Record<string, Options>;

export interface AccountArgs {
  readonly accounts?: readonly (string | number)[] | undefined;
  readonly 'accounts-file'?: string | undefined;
  readonly organization?: boolean | undefined;
  readonly ou?: string | undefined;
  readonly 'exclude-accounts'?: readonly (string | number)[] | undefined;
  readonly 'role-arn'?: string | undefined;
  readonly 'external-id'?: string | undefined;
  readonly 'role-session-name': string;
  readonly 'role-duration': number | string;
  readonly 'account-concurrency': number | string;
  readonly pace?: readonly string[] | undefined;
  readonly shard?: string | undefined;
}

export interface AccountScope {
  readonly source: AccountSource;
  readonly exclude: ReadonlySet<string>;
  /** With `{account}` where each account's id goes; undefined: the caller's credentials. */
  readonly roleArnTemplate: string | undefined;
  readonly role: RoleOptions;
  readonly accountConcurrency: number;
  /** How each service's buckets pace a run (learning, or fixed by --pace); null: --pace off. */
  readonly pacing: PacePolicies | null;
  /** --shard: this run's share of the account list; null: every account. */
  readonly shard: Shard | null;
}

// As IAM documents them: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|\{account\}):role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
// Organizations' own patterns for an OU id and a root id.
const PARENT_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

function accountIdsOf(flag: string, values: readonly (string | number)[]): readonly string[] {
  const { ids, malformed } = parseAccountIds(values);
  if (malformed.length > 0)
    throw new CliError(
      `--${flag}: ${quoted(malformed)} ${malformed.length === 1 ? 'is not an account id' : 'are not account ids'} (12 digits, e.g. 123456789012).`,
    );
  return ids;
}

export type ReadText = (path: string) => string;

const readUtf8: ReadText = (path) => readFileSync(path, 'utf8');

function accountsFileIds(path: string, read: ReadText): readonly string[] {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    throw new CliError(`--accounts-file ${path}: cannot be read: ${systemErrorCause(error)}.`);
  }
  const { ids, malformed } = parseAccountsFile(text);
  const [first] = malformed;
  if (first)
    throw new CliError(
      `--accounts-file ${path}, line ${first.line}: "${first.text}" is not an account id (12 digits, one a line, # for comments).`,
    );
  if (ids.length === 0)
    throw new CliError(`--accounts-file ${path} names no account: write one 12-digit id a line.`);
  return ids;
}

function sourceOf(args: AccountArgs, read: ReadText, roleArn: string | undefined): AccountSource {
  const named = args.accounts !== undefined || args['accounts-file'] !== undefined;
  if (args.organization && named)
    throw new CliError(
      '--organization lists the accounts itself: leave out --accounts and --accounts-file, or use --exclude-accounts.',
    );
  if (args.ou !== undefined && !args.organization)
    throw new CliError(`--ou needs --organization (--organization --ou ${args.ou}).`);
  if (args.organization) {
    if (args.ou !== undefined && !PARENT_ID.test(args.ou))
      throw new CliError(
        `--ou "${args.ou}" is not an organizational unit id: they look like ou-ab12-cd34ef56 (or r-ab12 for the root).`,
      );
    return { kind: 'organization', parentId: args.ou };
  }
  if (named) {
    const fromFlag = args.accounts === undefined ? [] : accountIdsOf('accounts', args.accounts);
    const path = args['accounts-file'];
    const fromFile = path === undefined ? [] : accountsFileIds(path, read);
    const accountIds = [...new Set([...fromFlag, ...fromFile])];
    if (accountIds.length === 0)
      throw new CliError('--accounts names no account: give 12-digit ids, e.g. 123456789012.');
    return { kind: 'named', accountIds };
  }
  if (roleArn !== undefined) {
    const accountId = accountIdOfRoleArn(roleArn);
    if (accountId === undefined)
      throw new CliError(
        `--role-arn with ${ACCOUNT_PLACEHOLDER} needs the accounts to fill it: add --accounts, --accounts-file or --organization.`,
      );
    return { kind: 'role', accountId };
  }
  return { kind: 'caller' };
}

function roleArnTemplateOf(args: AccountArgs): string | undefined {
  const arn = args['role-arn'];
  if (arn === undefined) return undefined;
  if (!ROLE_ARN.test(arn))
    throw new CliError(
      `--role-arn "${arn}" is not an IAM role ARN: write it as arn:aws:iam::{account}:role/NAME (or with a 12-digit account id).`,
    );
  return arn;
}

export type RoleArgs = Pick<AccountArgs, 'external-id' | 'role-session-name' | 'role-duration'>;
export type PaceArgs = Pick<AccountArgs, 'pace'>;

/** How roles are assumed; apply, rollback and resume take these alone (the roles come from the plan or journal). */
export const roleOptions = {
  'external-id': accountOptions['external-id'],
  'role-session-name': accountOptions['role-session-name'],
  'role-duration': accountOptions['role-duration'],
} as const satisfies Record<string, Options>;

/** Validates --external-id, --role-session-name and --role-duration. */
export function resolveRoleOptions(args: RoleArgs): RoleOptions {
  const externalId = args['external-id'];
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
    throw new CliError(
      '--external-id must be 2 to 1224 characters: letters, digits and _+=,.@:/- only.',
    );
  const sessionName = args['role-session-name'];
  if (!SESSION_NAME.test(sessionName))
    throw new CliError(
      `--role-session-name "${sessionName}" must be 2 to 64 characters: letters, digits and _+=,.@- only.`,
    );
  const duration = args['role-duration'];
  if (
    typeof duration !== 'number' ||
    !Number.isInteger(duration) ||
    duration < 900 ||
    duration > 43200
  )
    throw new CliError(
      `--role-duration must be a whole number of seconds from 900 to 43200, got ${typeof duration === 'number' ? String(duration) : `"${duration}"`}.`,
    );
  return {
    sessionName,
    durationSeconds: duration,
    ...(externalId === undefined ? {} : { externalId }),
  };
}

const PACE =
  /^(?<service>eks|ec2|sts|organizations|securityhub)=(?<burst>\d+)\/(?<perSecond>\d+(?:\.\d+)?)$/;

/** `--pace eks=40/20 --pace sts=5/5` over the defaults, or `--pace off`. */
export function parsePacing(
  values: readonly string[] | undefined,
): Readonly<Record<PacedService, BucketRate>> | null {
  const rates = { ...DEFAULT_RATES };
  for (const value of (values ?? []).flatMap((v) => String(v).split(','))) {
    const text = value.trim();
    if (text === 'off') return null;
    const match = PACE.exec(text);
    const burst = Number(match?.groups?.burst);
    const perSecond = Number(match?.groups?.perSecond);
    if (!match?.groups || burst < 1 || !(perSecond > 0))
      throw new CliError(
        `--pace "${text}" is not SERVICE=BURST/PER_SECOND with SERVICE one of eks, ec2, sts, organizations, securityhub, a burst of at least 1 and a rate above 0 (e.g. eks=20/10), nor off.`,
      );
    rates[match.groups.service as PacedService] = { burst, perSecond };
  }
  return rates;
}

export type PacePolicies = Readonly<Record<PacedService, PacePolicy>>;

/**
 * `--pace`: a service it names is paced at that fixed rate; the others start at our default rates
 * and learn; `off` paces nothing.
 */
export function resolvePace(values: readonly string[] | undefined): PacePolicies | null {
  const rates = parsePacing(values);
  if (rates === null) return null;
  const named = new Set(
    (values ?? []).flatMap((v) => String(v).split(',')).map((v) => v.trim().split('=')[0]),
  );
  const policyOf = (service: PacedService): PacePolicy =>
    named.has(service)
      ? { kind: 'fixed', rate: rates[service] }
      : { kind: 'learning', start: rates[service], resume: rates[service] };
  return {
    eks: policyOf('eks'),
    ec2: policyOf('ec2'),
    sts: policyOf('sts'),
    organizations: policyOf('organizations'),
    securityhub: policyOf('securityhub'),
  };
}

/** Validates the account flags (reading --accounts-file), before any credential or network is touched. */
export function resolveAccountScope(args: AccountArgs, read: ReadText = readUtf8): AccountScope {
  const roleArnTemplate = roleArnTemplateOf(args);
  const source = sourceOf(args, read, roleArnTemplate);
  const exclude = new Set(
    args['exclude-accounts'] === undefined
      ? []
      : accountIdsOf('exclude-accounts', args['exclude-accounts']),
  );
  const several =
    source.kind === 'organization' || (source.kind === 'named' && source.accountIds.length > 1);
  if (source.kind === 'named' || source.kind === 'organization') {
    const flag = source.kind === 'organization' ? '--organization' : '--accounts';
    if (roleArnTemplate === undefined)
      throw new CliError(
        `${flag} needs --role-arn, the role to assume in each account, e.g. --role-arn 'arn:aws:iam::{account}:role/SecurityAudit'.`,
      );
    if (several && !roleArnTemplate.includes(ACCOUNT_PLACEHOLDER))
      throw new CliError(
        `--role-arn "${roleArnTemplate}" names one account, but several are scanned: put ${ACCOUNT_PLACEHOLDER} where the account id goes.`,
      );
  }
  if (source.kind === 'named' && source.accountIds.every((id) => exclude.has(id)))
    throw new CliError('nothing to scan: --exclude-accounts leaves out every account named.');
  if (args['external-id'] !== undefined && roleArnTemplate === undefined)
    throw new CliError(
      '--external-id goes with --role-arn, the role whose trust policy asks for it.',
    );
  return {
    source,
    exclude,
    roleArnTemplate,
    role: resolveRoleOptions(args),
    accountConcurrency: wholeNumber('account-concurrency', args['account-concurrency'], 500),
    pacing: resolvePace(args.pace),
    shard: resolveShard(args.shard, source.kind === 'named' || source.kind === 'organization'),
  };
}
