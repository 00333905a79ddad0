import { readFile } from 'node:fs/promises';
import { THROTTLE_CODES, type FaultRule } from './faults.js';
import { checkTokenBuckets, type TokenBucketConfig } from './token-bucket.js';
import { EKS_CLUSTER_NAME, isJsonObject as isObject, readPublicAccessCidr } from './validation.js';

/**
 * The fixture file format; docs/fixtures.md documents it for people. Two forms: one account
 * (`accountId` and `regions`), or several (`accounts`, each with its regions, and `accountId`
 * naming the account that unknown access keys act in).
 */
export interface Fixture {
  readonly accountId?: string;
  /** The single-account form; absent when `accounts` is given. */
  readonly regions?: Readonly<Record<string, FixtureRegion>>;
  readonly accounts?: Readonly<Record<string, FixtureAccount>>;
  /** Static access key id to the account it belongs to; unknown keys act in `accountId`. */
  readonly accessKeys?: Readonly<Record<string, string>>;
  /** Roles every account has (an account's own `roles` add to these and win on a name). */
  readonly roles?: Readonly<Record<string, FixtureRole>>;
  readonly organization?: FixtureOrganization;
  /** Token buckets per account, region and service; off for a service not named. */
  readonly throttling?: TokenBucketConfig;
  readonly faults?: readonly FaultRule[];
  /** How long a cluster update stays InProgress (default 3000). */
  readonly updateDurationMs?: number;
}

export const ACCOUNT_STATES = [
  'PENDING_ACTIVATION',
  'ACTIVE',
  'SUSPENDED',
  'PENDING_CLOSURE',
  'CLOSED',
] as const;
export type OrganizationAccountState = (typeof ACCOUNT_STATES)[number];

export interface FixtureAccount {
  readonly name?: string;
  readonly email?: string;
  /** Organizations' State; default ACTIVE. */
  readonly state?: OrganizationAccountState;
  /** The OU (ou-...) the account sits in; default the root. */
  readonly parent?: string;
  /** false: a standalone account, outside the organization. Default true. */
  readonly inOrganization?: boolean;
  readonly joinedTimestamp?: string;
  readonly regions?: Readonly<Record<string, FixtureRegion>>;
  readonly roles?: Readonly<Record<string, FixtureRole>>;
}

export interface FixtureRole {
  /** AssumeRole must pass exactly this ExternalId. */
  readonly externalId?: string;
  /** Seconds, 3600 to 43200 as IAM allows; default 3600. */
  readonly maxSessionDuration?: number;
  /** Accounts whose principals the trust policy names; default any account. [] denies everyone. */
  readonly trustedAccounts?: readonly string[];
}

export interface FixtureOrganization {
  /** o- followed by 10 to 32 lowercase letters or digits; default o-exampleorgid. */
  readonly id?: string;
  readonly managementAccountId: string;
  /** Accounts that may list the organization besides the management account. */
  readonly delegatedAdministrators?: readonly string[];
  /** r- followed by 4 to 32 lowercase letters or digits; default r-examplerootid111. */
  readonly rootId?: string;
  /** OUs by id (ou-<root part>-<8 to 32>); parent default the root. */
  readonly organizationalUnits?: Readonly<Record<string, { name: string; parent?: string }>>;
  /** Organizations may answer fewer items than MaxResults: at most this many a page. */
  readonly pageSize?: number;
  /** The first N pages of every listing are empty and still carry a NextToken. */
  readonly emptyFirstPages?: number;
}

export type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface FixtureRegion {
  readonly optInStatus?: OptInStatus;
  readonly vpcs?: Readonly<Record<string, FixtureVpc>>;
  readonly clusters?: readonly FixtureCluster[];
  /** Many look-alike clusters: `count` clusters named `${namePrefix}${n}` (n from 1), each from `cluster`. */
  readonly generate?: readonly {
    count: number;
    namePrefix: string;
    cluster?: Omit<FixtureCluster, 'name'>;
  }[];
}

export interface FixtureVpc {
  readonly enableDnsSupport?: boolean;
  readonly enableDnsHostnames?: boolean;
}

export interface FixtureCluster {
  readonly name: string;
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  /** Default ["0.0.0.0/0"], and ["0.0.0.0/0", "::/0"] for a dual-stack endpoint. */
  readonly publicAccessCidrs?: readonly string[];
  /** kubernetesNetworkConfig.ipFamily; default ipv4. */
  readonly ipFamily?: 'ipv4' | 'ipv6';
  /**
   * IPv6 clusters only: whether the endpoint is dual-stack (on api.aws, takes IPv6 ranges), as for
   * IPv6 clusters made since October 2024. Default true; false models an older IPv6 cluster.
   */
  readonly dualStackEndpoint?: boolean;
  readonly status?: string;
  readonly version?: string;
  readonly vpcId?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly createdAt?: string;
  /** The API server's URL (https://host[:port]); default a generated EKS host name. Tests point it at a local server. */
  readonly endpoint?: string;
  /** certificateAuthority.data: the base64 of the CA's PEM; default a generated placeholder. */
  readonly certificateAuthority?: string;
}

export class FixtureError extends Error {
  override name = 'FixtureError';
}

const OPT_IN_STATUSES = ['opt-in-not-required', 'opted-in', 'not-opted-in'];
const CLUSTER_STATUSES = ['CREATING', 'ACTIVE', 'DELETING', 'FAILED', 'UPDATING', 'PENDING'];
const SERVICES = ['eks', 'ec2', 'sts', 'organizations'];
const FAILURES = ['access-denied', 'server-error', 'unavailable'];
const UPDATE_OUTCOMES = ['Failed', 'Cancelled'];
const IP_FAMILIES = ['ipv4', 'ipv6'];

type Json = unknown;

/** Checks one value; throws a FixtureError naming the path of the first problem. */
function expect(ok: boolean, path: string, what: string): void {
  if (!ok) throw new FixtureError(`${path}: ${what}`);
}

function checkOptional(value: Json, path: string, type: 'boolean' | 'string'): void {
  expect(value === undefined || typeof value === type, path, `must be a ${type}`);
}

function checkOneOf(value: Json, path: string, allowed: readonly string[]): void {
  expect(
    value === undefined || allowed.includes(value as string),
    path,
    `must be one of ${allowed.join(', ')}`,
  );
}

function checkMilliseconds(value: Json, path: string): void {
  expect(
    value === undefined || (Number.isInteger(value) && (value as number) >= 0),
    path,
    'must be a whole number of milliseconds',
  );
}

function checkRate(value: Json, path: string): void {
  expect(
    value === undefined || (typeof value === 'number' && value >= 0 && value <= 1),
    path,
    'must be a number from 0 to 1',
  );
}

function checkFault(value: Json, path: string): void {
  expect(isObject(value), path, 'must be an object');
  const rule = value as Record<string, Json>;
  checkOneOf(rule.service, `${path}.service`, SERVICES);
  checkOptional(rule.operation, `${path}.operation`, 'string');
  checkOptional(rule.region, `${path}.region`, 'string');
  checkOptional(rule.cluster, `${path}.cluster`, 'string');
  checkOptional(rule.account, `${path}.account`, 'string');
  checkMilliseconds(rule.latencyMs, `${path}.latencyMs`);
  checkRate(rule.throttleRate, `${path}.throttleRate`);
  checkOneOf(rule.throttleAs, `${path}.throttleAs`, THROTTLE_CODES);
  expect(
    rule.throttleAs === undefined || rule.service === 'eks',
    `${path}.throttleAs`,
    'needs "service": "eks" (EC2 throttles only as RequestLimitExceeded)',
  );
  checkRate(rule.serverErrorRate, `${path}.serverErrorRate`);
  checkOneOf(rule.fail, `${path}.fail`, FAILURES);
  checkOneOf(rule.updateOutcome, `${path}.updateOutcome`, UPDATE_OUTCOMES);
  checkMilliseconds(rule.updateDurationMs, `${path}.updateDurationMs`);
  checkOptional(rule.updateErrorCode, `${path}.updateErrorCode`, 'string');
  checkOptional(rule.updateErrorMessage, `${path}.updateErrorMessage`, 'string');
}

function checkCluster(value: Json, path: string, needsName: boolean): void {
  expect(isObject(value), path, 'must be an object');
  const c = value as Record<string, Json>;
  if (needsName) {
    expect(
      typeof c.name === 'string' && EKS_CLUSTER_NAME.test(c.name),
      `${path}.name`,
      'must be a cluster name (letters, digits, - and _, up to 100)',
    );
  }
  checkOptional(c.endpointPublicAccess, `${path}.endpointPublicAccess`, 'boolean');
  checkOptional(c.endpointPrivateAccess, `${path}.endpointPrivateAccess`, 'boolean');
  checkOptional(c.version, `${path}.version`, 'string');
  checkOptional(c.vpcId, `${path}.vpcId`, 'string');
  checkOptional(c.createdAt, `${path}.createdAt`, 'string');
  expect(
    c.endpoint === undefined ||
      (typeof c.endpoint === 'string' && /^https:\/\/[^/\s]+$/.test(c.endpoint)),
    `${path}.endpoint`,
    'must be an https URL without a path, e.g. "https://127.0.0.1:8443"',
  );
  checkOptional(c.certificateAuthority, `${path}.certificateAuthority`, 'string');
  checkOneOf(c.ipFamily, `${path}.ipFamily`, IP_FAMILIES);
  checkOptional(c.dualStackEndpoint, `${path}.dualStackEndpoint`, 'boolean');
  expect(
    c.dualStackEndpoint !== true || c.ipFamily === 'ipv6',
    `${path}.dualStackEndpoint`,
    'needs "ipFamily": "ipv6" (EKS gives only IPv6 clusters a dual-stack endpoint)',
  );
  expect(
    c.publicAccessCidrs === undefined ||
      (Array.isArray(c.publicAccessCidrs) &&
        c.publicAccessCidrs.every((x) => typeof x === 'string')),
    `${path}.publicAccessCidrs`,
    'must be an array of strings',
  );
  // What EKS itself would hold: CIDRs in network form, IPv6 ones only on a dual-stack endpoint.
  const dualStack = c.ipFamily === 'ipv6' && c.dualStackEndpoint !== false;
  ((c.publicAccessCidrs as Json[] | undefined) ?? []).forEach((cidr, i) => {
    const read = readPublicAccessCidr(cidr as string);
    expect(
      read !== undefined && !read.hostBitsSet,
      `${path}.publicAccessCidrs[${i}]`,
      'must be a CIDR in network form, as EKS holds them',
    );
    expect(
      read?.family !== 'ipv6' || dualStack,
      `${path}.publicAccessCidrs[${i}]`,
      'is IPv6, which EKS holds only for a dual-stack cluster ("ipFamily": "ipv6")',
    );
  });
  expect(
    c.status === undefined || CLUSTER_STATUSES.includes(c.status as string),
    `${path}.status`,
    `must be one of ${CLUSTER_STATUSES.join(', ')}`,
  );
  expect(
    c.tags === undefined ||
      (isObject(c.tags) && Object.values(c.tags).every((x) => typeof x === 'string')),
    `${path}.tags`,
    'must map strings to strings',
  );
}

function checkRegion(value: Json, path: string): void {
  expect(isObject(value), path, 'must be an object');
  const r = value as Record<string, Json>;
  expect(
    r.optInStatus === undefined || OPT_IN_STATUSES.includes(r.optInStatus as string),
    `${path}.optInStatus`,
    `must be one of ${OPT_IN_STATUSES.join(', ')}`,
  );
  expect(
    r.vpcs === undefined || isObject(r.vpcs),
    `${path}.vpcs`,
    'must be an object keyed by VPC id',
  );
  for (const [id, vpc] of Object.entries((r.vpcs as Record<string, Json> | undefined) ?? {})) {
    expect(isObject(vpc), `${path}.vpcs.${id}`, 'must be an object');
    checkOptional(
      (vpc as Record<string, Json>).enableDnsSupport,
      `${path}.vpcs.${id}.enableDnsSupport`,
      'boolean',
    );
    checkOptional(
      (vpc as Record<string, Json>).enableDnsHostnames,
      `${path}.vpcs.${id}.enableDnsHostnames`,
      'boolean',
    );
  }
  expect(
    r.clusters === undefined || Array.isArray(r.clusters),
    `${path}.clusters`,
    'must be an array',
  );
  ((r.clusters as Json[] | undefined) ?? []).forEach((c, i) =>
    checkCluster(c, `${path}.clusters[${i}]`, true),
  );
  expect(
    r.generate === undefined || Array.isArray(r.generate),
    `${path}.generate`,
    'must be an array',
  );
  ((r.generate as Json[] | undefined) ?? []).forEach((g, i) => {
    const at = `${path}.generate[${i}]`;
    expect(isObject(g), at, 'must be an object');
    const spec = g as Record<string, Json>;
    expect(
      Number.isInteger(spec.count) && (spec.count as number) >= 0,
      `${at}.count`,
      'must be a whole number',
    );
    expect(
      typeof spec.namePrefix === 'string' && spec.namePrefix.length > 0,
      `${at}.namePrefix`,
      'must be a non-empty string',
    );
    if (spec.cluster !== undefined) checkCluster(spec.cluster, `${at}.cluster`, false);
  });
}

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

function checkAccountId(value: Json, path: string): void {
  expect(typeof value === 'string' && ACCOUNT_ID.test(value), path, 'must be 12 digits');
}

function checkRegions(value: Json, path: string, required: boolean): void {
  if (!required && value === undefined) return;
  expect(
    isObject(value) && (!required || Object.keys(value).length > 0),
    path,
    required ? 'must be an object with at least one region' : 'must be an object keyed by region',
  );
  for (const [name, region] of Object.entries(value as Record<string, Json>))
    checkRegion(region, `${path}.${name}`);
}

function checkRoles(value: Json, path: string): void {
  if (value === undefined) return;
  expect(isObject(value), path, 'must be an object keyed by role name');
  for (const [name, role] of Object.entries(value as Record<string, Json>)) {
    const at = `${path}.${name}`;
    expect(/^[\w+=,.@-]{1,64}$/.test(name), at, 'must be named as IAM names roles');
    expect(isObject(role), at, 'must be an object');
    const r = role as Record<string, Json>;
    expect(
      r.externalId === undefined ||
        (typeof r.externalId === 'string' && /^[\w+=,.@:/-]{2,1224}$/.test(r.externalId)),
      `${at}.externalId`,
      'must be 2 to 1224 of letters, digits and +=,.@:/-',
    );
    expect(
      r.maxSessionDuration === undefined ||
        (Number.isInteger(r.maxSessionDuration) &&
          (r.maxSessionDuration as number) >= 3600 &&
          (r.maxSessionDuration as number) <= 43200),
      `${at}.maxSessionDuration`,
      'must be whole seconds from 3600 to 43200',
    );
    expect(
      r.trustedAccounts === undefined ||
        (Array.isArray(r.trustedAccounts) &&
          r.trustedAccounts.every((id) => typeof id === 'string' && ACCOUNT_ID.test(id))),
      `${at}.trustedAccounts`,
      'must be an array of 12-digit account ids',
    );
  }
}

function checkAccount(value: Json, path: string, parents: readonly string[]): void {
  expect(isObject(value), path, 'must be an object');
  const a = value as Record<string, Json>;
  checkOptional(a.name, `${path}.name`, 'string');
  checkOptional(a.email, `${path}.email`, 'string');
  checkOneOf(a.state, `${path}.state`, ACCOUNT_STATES);
  checkOptional(a.inOrganization, `${path}.inOrganization`, 'boolean');
  checkOptional(a.joinedTimestamp, `${path}.joinedTimestamp`, 'string');
  expect(
    a.parent === undefined || parents.includes(a.parent as string),
    `${path}.parent`,
    'must be the root or an OU listed in organization.organizationalUnits',
  );
  checkRegions(a.regions, `${path}.regions`, false);
  checkRoles(a.roles, `${path}.roles`);
}

function checkCount(value: Json, path: string, least: number): void {
  expect(
    value === undefined || (Number.isInteger(value) && (value as number) >= least),
    path,
    `must be a whole number from ${least}`,
  );
}

/** The OU and root ids accounts may name as their parent. */
function checkOrganization(value: Json, accounts: readonly string[]): string[] {
  if (value === undefined) return [];
  expect(isObject(value), 'organization', 'must be an object');
  const o = value as Record<string, Json>;
  expect(
    o.id === undefined || (typeof o.id === 'string' && ORGANIZATION_ID.test(o.id)),
    'organization.id',
    'must be o- and 10 to 32 lowercase letters or digits',
  );
  checkAccountId(o.managementAccountId, 'organization.managementAccountId');
  expect(
    accounts.includes(o.managementAccountId as string),
    'organization.managementAccountId',
    'must be one of accounts',
  );
  expect(
    o.delegatedAdministrators === undefined ||
      (Array.isArray(o.delegatedAdministrators) &&
        o.delegatedAdministrators.every((id) => accounts.includes(id as string))),
    'organization.delegatedAdministrators',
    'must be an array of ids from accounts',
  );
  expect(
    o.rootId === undefined || (typeof o.rootId === 'string' && ROOT_ID.test(o.rootId)),
    'organization.rootId',
    'must be r- and 4 to 32 lowercase letters or digits',
  );
  checkCount(o.pageSize, 'organization.pageSize', 1);
  checkCount(o.emptyFirstPages, 'organization.emptyFirstPages', 0);
  const rootId = (o.rootId as string | undefined) ?? DEFAULT_ROOT_ID;
  const ous = (o.organizationalUnits ?? {}) as Record<string, Json>;
  expect(isObject(ous), 'organization.organizationalUnits', 'must be an object keyed by OU id');
  const parents = [rootId, ...Object.keys(ous)];
  for (const [id, ou] of Object.entries(ous)) {
    const at = `organization.organizationalUnits.${id}`;
    expect(OU_ID.test(id), at, 'must be named ou-<4 to 32>-<8 to 32> (lowercase letters, digits)');
    expect(isObject(ou), at, 'must be an object');
    const unit = ou as Record<string, Json>;
    expect(typeof unit.name === 'string' && unit.name.length > 0, `${at}.name`, 'must be a name');
    expect(
      unit.parent === undefined || (parents.includes(unit.parent as string) && unit.parent !== id),
      `${at}.parent`,
      'must be the root or another OU listed here',
    );
  }
  return parents;
}

export const DEFAULT_ROOT_ID = 'r-examplerootid111';
export const DEFAULT_ORGANIZATION_ID = 'o-exampleorgid';
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** Validates parsed JSON as a Fixture. */
export function parseFixture(value: Json): Fixture {
  expect(isObject(value), 'fixture', 'must be a JSON object');
  const f = value as Record<string, Json>;
  if (f.accountId !== undefined) checkAccountId(f.accountId, 'accountId');
  if (f.accounts === undefined) {
    checkRegions(f.regions, 'regions', true);
  } else {
    expect(
      f.regions === undefined,
      'regions',
      'goes inside each of accounts when accounts is given',
    );
    expect(
      isObject(f.accounts) && Object.keys(f.accounts).length > 0,
      'accounts',
      'must be an object with at least one account',
    );
  }
  const accountIds = Object.keys((f.accounts as Record<string, Json> | undefined) ?? {});
  if (f.accounts === undefined)
    accountIds.push((f.accountId as string | undefined) ?? DEFAULT_ACCOUNT_ID);
  expect(
    f.accountId === undefined || accountIds.includes(f.accountId as string),
    'accountId',
    'must be one of accounts (it names the account unknown access keys act in)',
  );
  const parents = checkOrganization(f.organization, accountIds);
  for (const [id, account] of Object.entries(
    (f.accounts as Record<string, Json> | undefined) ?? {},
  )) {
    checkAccountId(id, `accounts.${id}`);
    checkAccount(account, `accounts.${id}`, parents);
  }
  checkRoles(f.roles, 'roles');
  expect(f.accessKeys === undefined || isObject(f.accessKeys), 'accessKeys', 'must be an object');
  for (const [key, id] of Object.entries(
    (f.accessKeys as Record<string, Json> | undefined) ?? {},
  )) {
    expect(
      /^[A-Z0-9]{16,128}$/.test(key),
      `accessKeys.${key}`,
      'must be an access key id (A-Z, 0-9)',
    );
    expect(accountIds.includes(id as string), `accessKeys.${key}`, 'must name one of the accounts');
  }
  if (f.throttling !== undefined) checkTokenBuckets(f.throttling, 'throttling', expect);
  expect(f.faults === undefined || Array.isArray(f.faults), 'faults', 'must be an array');
  ((f.faults as Json[] | undefined) ?? []).forEach((rule, i) => checkFault(rule, `faults[${i}]`));
  checkMilliseconds(f.updateDurationMs, 'updateDurationMs');
  return value as Fixture;
}

export async function loadFixture(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FixtureError(`cannot read fixture file ${path}: ${(error as Error).message}`);
  }
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`fixture file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseFixture(json);
  } catch (error) {
    throw new FixtureError(`fixture file ${path}: ${(error as Error).message}`);
  }
}
