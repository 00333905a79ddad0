import { readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import FIXTURE_SCHEMA from '../../schemas/emulator-fixture.schema.json' with { type: 'json' };
import type { FaultRule } from './faults.js';
import type { TokenBucketConfig } from './token-bucket.js';
import { isJsonObject, type JsonObject, readPublicAccessCidr } from './validation.js';

/**
 * The fixture file format; schemas/emulator-fixture.schema.json defines it and docs/fixtures.md
 * documents it for people. Two forms: one account (`accountId` and `regions`), or several
 * (`accounts`, each with its regions, and `accountId` naming the account that unknown access keys
 * act in).
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

export type OrganizationAccountState =
  'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

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
  /** OUs by id (ou-<root part>-<8 to 32>); parent default the root. null is read as none. */
  readonly organizationalUnits?: Readonly<Record<string, { name: string; parent?: string }>> | null;
  /** Organizations may answer fewer items than MaxResults: at most this many a page. */
  readonly pageSize?: number;
  /** The first N pages of every listing are empty and still carry a NextToken. */
  readonly emptyFirstPages?: number;
}

export type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface FixtureRegion {
  readonly optInStatus?: OptInStatus;
  /** Security Hub in this region; enabled when left out. Disabled, it answers "not subscribed". */
  readonly securityHub?: { readonly enabled?: boolean };
  readonly vpcs?: Readonly<Record<string, FixtureVpc>>;
  readonly clusters?: readonly FixtureCluster[];
  /** EC2 instances (DescribeInstances): nodes tie to a cluster by their tags. */
  readonly instances?: readonly FixtureInstance[];
  /** Security groups (DescribeSecurityGroups), by id. */
  readonly securityGroups?: Readonly<Record<string, FixtureSecurityGroup>>;
  /** Managed prefix lists (GetManagedPrefixListEntries), by id. */
  readonly prefixLists?: Readonly<Record<string, FixturePrefixList>>;
  /** Many look-alike clusters: `count` clusters named `${namePrefix}${n}` (n from 1), each from `cluster`. */
  readonly generate?: readonly {
    count: number;
    namePrefix: string;
    cluster?: Omit<FixtureCluster, 'name'>;
  }[];
}

export interface FixtureInstance {
  readonly instanceId: string;
  /** Default running. */
  readonly state?: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  readonly tags?: Readonly<Record<string, string>>;
  readonly privateIp?: string;
  readonly publicIp?: string;
  readonly ipv6Addresses?: readonly string[];
  /** The primary network interface's security groups. */
  readonly securityGroups?: readonly string[];
}

/** One ingress rule: a protocol (tcp, udp, icmp, -1), ports, and its sources. */
export interface FixtureIngressRule {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrs?: readonly string[];
  readonly ipv6Cidrs?: readonly string[];
  readonly groupIds?: readonly string[];
  readonly prefixListIds?: readonly string[];
}

export interface FixtureSecurityGroup {
  readonly name?: string;
  readonly vpcId?: string;
  readonly ingress?: readonly FixtureIngressRule[];
}

export interface FixturePrefixList {
  readonly name?: string;
  /** IPv4 or IPv6; default IPv4. */
  readonly addressFamily?: 'IPv4' | 'IPv6';
  readonly cidrs: readonly string[];
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

export const DEFAULT_ROOT_ID = 'r-examplerootid111';
export const DEFAULT_ORGANIZATION_ID = 'o-exampleorgid';
export const DEFAULT_ACCOUNT_ID = '123456789012';

const THROTTLED_SERVICES = Object.keys(FIXTURE_SCHEMA.properties.throttling.properties).join(', ');

/**
 * How each problem the schema finds is worded, by where the schema says it: a subschema's JSON
 * pointer words the problems of that subschema and of those inside it that have no wording of their
 * own, at that subschema's place in the fixture; a pointer ending in a keyword words only that
 * keyword. Other problems are said plainly (`must be a string`, `must be one of ...`).
 */
export const SCHEMA_PROBLEMS: Readonly<Record<string, string>> = {
  '#/type': 'must be a JSON object',
  '#/then/properties/regions': 'goes inside each of accounts when accounts is given',
  '#/else/required': 'must be an object with at least one region',
  '#/properties/regions': 'must be an object with at least one region',
  '#/properties/accounts': 'must be an object with at least one account',
  '#/properties/accessKeys/propertyNames': 'must be an access key id (A-Z, 0-9)',
  '#/properties/accessKeys/additionalProperties': 'must name one of the accounts',
  '#/properties/throttling/type': 'must be an object keyed by service',
  '#/properties/throttling/additionalProperties': `must be one of ${THROTTLED_SERVICES}`,
  '#/$defs/accountId': 'must be 12 digits',
  '#/$defs/milliseconds': 'must be a whole number of milliseconds',
  '#/$defs/rate': 'must be a number from 0 to 1',
  '#/$defs/region/properties/vpcs': 'must be an object keyed by VPC id',
  '#/$defs/region/properties/clusters/items/properties/name':
    'must be a cluster name (letters, digits, - and _, up to 100)',
  '#/$defs/cluster/properties/endpoint':
    'must be an https URL without a path, e.g. "https://127.0.0.1:8443"',
  '#/$defs/cluster/properties/publicAccessCidrs': 'must be an array of strings',
  '#/$defs/cluster/properties/tags': 'must map strings to strings',
  '#/$defs/clusterGenerator/properties/count': 'must be a whole number',
  '#/$defs/clusterGenerator/properties/namePrefix': 'must be a non-empty string',
  '#/$defs/account/properties/parent':
    'must be the root or an OU listed in organization.organizationalUnits',
  '#/$defs/account/properties/regions': 'must be an object keyed by region',
  '#/$defs/roles': 'must be an object keyed by role name',
  '#/$defs/roles/propertyNames': 'must be named as IAM names roles',
  '#/$defs/role/properties/externalId': 'must be 2 to 1224 of letters, digits and +=,.@:/-',
  '#/$defs/role/properties/maxSessionDuration': 'must be whole seconds from 3600 to 43200',
  '#/$defs/role/properties/trustedAccounts': 'must be an array of 12-digit account ids',
  '#/$defs/organization/properties/id': 'must be o- and 10 to 32 lowercase letters or digits',
  '#/$defs/organization/properties/managementAccountId': 'must be 12 digits',
  '#/$defs/organization/properties/delegatedAdministrators':
    'must be an array of ids from accounts',
  '#/$defs/organization/properties/rootId': 'must be r- and 4 to 32 lowercase letters or digits',
  '#/$defs/organization/properties/pageSize': 'must be a whole number from 1',
  '#/$defs/organization/properties/emptyFirstPages': 'must be a whole number from 0',
  '#/$defs/organization/properties/organizationalUnits': 'must be an object keyed by OU id',
  '#/$defs/organization/properties/organizationalUnits/propertyNames':
    'must be named ou-<4 to 32>-<8 to 32> (lowercase letters, digits)',
  '#/$defs/organizationalUnit/properties/name': 'must be a name',
  '#/$defs/organizationalUnit/properties/parent': 'must be the root or another OU listed here',
  '#/$defs/tokenBucket':
    'must be { "capacity": whole number from 1, "refillPerSecond": number above 0 }',
};

/** Where a subschema sits in the schema. */
interface SchemaPlace {
  readonly pointer: string;
  /** The subschema around it; none at the top and for a $defs entry, which a $ref reaches from anywhere. */
  readonly around?: JsonObject;
  /** How many keys into the fixture it is from the subschema around it. */
  readonly steps: number;
}

const STEPS_INTO: Readonly<Record<string, number>> = {
  properties: 1,
  items: 1,
  additionalProperties: 1,
  propertyNames: 1,
  if: 0,
  then: 0,
  else: 0,
  not: 0,
};

/**
 * Every subschema, by identity (an Ajv error's `parentSchema`), with its place: Ajv's own
 * `schemaPath` starts again at `#` inside a $ref it compiles apart, so it cannot say where.
 */
function placeSubschemas(
  node: JsonObject,
  place: SchemaPlace,
  places = new Map<unknown, SchemaPlace>(),
): Map<unknown, SchemaPlace> {
  places.set(node, place);
  const visit = (child: unknown, pointer: string, steps: number | undefined) => {
    if (isJsonObject(child))
      placeSubschemas(
        child,
        { pointer, steps: steps ?? 0, around: steps === undefined ? undefined : node },
        places,
      );
  };
  for (const [keyword, value] of Object.entries(node)) {
    const pointer = `${place.pointer}/${keyword}`;
    if (keyword === 'properties' || keyword === '$defs') {
      for (const [name, child] of Object.entries(value as JsonObject))
        visit(child, `${pointer}/${name}`, STEPS_INTO[keyword]);
    } else if (keyword in STEPS_INTO) visit(value, pointer, STEPS_INTO[keyword]);
  }
  return places;
}

/** `regions.r.clusters[0].name` for the keys of a place in the fixture; `fixture` for the whole. */
function pathOf(fixture: unknown, keys: readonly string[]): string {
  let path = '';
  let value = fixture;
  for (const key of keys) {
    path += Array.isArray(value) ? `[${key}]` : path === '' ? key : `.${key}`;
    value = (value as Record<string, unknown> | null | undefined)?.[key];
  }
  return path || 'fixture';
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'a boolean',
  number: 'a number',
  integer: 'a whole number',
};

/**
 * Ajv's complaint (made with `verbose`, so it carries its subschema) as `path: problem`, worded by
 * SCHEMA_PROBLEMS for the failing keyword or else for the nearest subschema around it that has a
 * wording, and said at that subschema's place.
 */
function problemOf(
  error: ErrorObject,
  fixture: unknown,
  places: ReadonlyMap<unknown, SchemaPlace>,
): string {
  const keys = error.instancePath
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.propertyName !== undefined) keys.push(error.propertyName);
  const schema = error.parentSchema as JsonObject;
  // `required` and `additionalProperties` fail at the object, about one of its keys: the place.
  const key = (error.params.missingProperty ?? error.params.additionalProperty) as
    string | undefined;
  const atKey = key === undefined ? keys : [...keys, key];
  const ofKeyword = SCHEMA_PROBLEMS[`${places.get(schema)?.pointer}/${error.keyword}`];
  if (ofKeyword !== undefined) return `${pathOf(fixture, atKey)}: ${ofKeyword}`;
  // A missing key is worded by its own subschema, when the object declares one.
  const keySchema =
    key === undefined ? undefined : (schema.properties as JsonObject | undefined)?.[key];
  let depth = keySchema === undefined ? keys.length : atKey.length;
  for (let place = places.get(keySchema ?? schema); place; place = places.get(place.around)) {
    const problem = SCHEMA_PROBLEMS[place.pointer];
    if (problem !== undefined) return `${pathOf(fixture, atKey.slice(0, depth))}: ${problem}`;
    depth -= place.steps;
  }
  const plainly =
    error.keyword === 'type'
      ? `must be ${TYPE_NAMES[error.params.type as string] ?? String(error.params.type)}`
      : error.keyword === 'enum'
        ? `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`
        : (error.message ?? 'is not valid');
  return `${pathOf(fixture, atKey)}: ${plainly}`;
}

let schemaCheck:
  | { readonly validate: ValidateFunction<Fixture>; readonly places: Map<unknown, SchemaPlace> }
  | undefined;

/** The schema, compiled on first use (only the emulator reads fixtures). */
function checkAgainstSchema(value: unknown): void {
  schemaCheck ??= {
    // strictRequired: false, as `if`/`else` require top-level properties that `properties` declares;
    // allowUnionTypes: organizationalUnits may be null; verbose: errors carry their subschema.
    validate: new Ajv2020({
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      verbose: true,
    }).compile<Fixture>(FIXTURE_SCHEMA),
    places: placeSubschemas(FIXTURE_SCHEMA, { pointer: '#', steps: 0 }),
  };
  const { validate, places } = schemaCheck;
  const error = validate(value) ? undefined : validate.errors?.[0];
  if (error) throw new FixtureError(problemOf(error, value, places));
}

/** Throws a FixtureError naming the path, for the checks the schema cannot make. */
function expect(ok: boolean, path: string, what: string): void {
  if (!ok) throw new FixtureError(`${path}: ${what}`);
}

/** What EKS itself would hold: a dual-stack endpoint only for IPv6, CIDRs in network form, IPv6 ones only on a dual-stack endpoint. */
function checkCluster(cluster: Omit<FixtureCluster, 'name'>, path: string): void {
  expect(
    cluster.dualStackEndpoint !== true || cluster.ipFamily === 'ipv6',
    `${path}.dualStackEndpoint`,
    'needs "ipFamily": "ipv6" (EKS gives only IPv6 clusters a dual-stack endpoint)',
  );
  const dualStack = cluster.ipFamily === 'ipv6' && cluster.dualStackEndpoint !== false;
  (cluster.publicAccessCidrs ?? []).forEach((cidr, i) => {
    const read = readPublicAccessCidr(cidr);
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
}

function checkClusters(regions: Fixture['regions'], path: string): void {
  for (const [name, region] of Object.entries(regions ?? {})) {
    region.clusters?.forEach((c, i) => checkCluster(c, `${path}.${name}.clusters[${i}]`));
    region.generate?.forEach((g, i) => {
      if (g.cluster) checkCluster(g.cluster, `${path}.${name}.generate[${i}].cluster`);
    });
  }
}

/** The OU and root ids accounts may name as their parent. */
function checkOrganization(
  o: FixtureOrganization | undefined,
  accounts: readonly string[],
): string[] {
  if (o === undefined) return [];
  expect(
    accounts.includes(o.managementAccountId),
    'organization.managementAccountId',
    'must be one of accounts',
  );
  expect(
    (o.delegatedAdministrators ?? []).every((id) => accounts.includes(id)),
    'organization.delegatedAdministrators',
    'must be an array of ids from accounts',
  );
  const ous = o.organizationalUnits ?? {};
  const parents = [o.rootId ?? DEFAULT_ROOT_ID, ...Object.keys(ous)];
  for (const [id, ou] of Object.entries(ous)) {
    expect(
      ou.parent === undefined || (parents.includes(ou.parent) && ou.parent !== id),
      `organization.organizationalUnits.${id}.parent`,
      'must be the root or another OU listed here',
    );
  }
  return parents;
}

/**
 * Validates parsed JSON as a Fixture: against schemas/emulator-fixture.schema.json, then the
 * checks a schema cannot make (what EKS would hold, ids that must name an account or an OU).
 */
export function parseFixture(value: unknown): Fixture {
  checkAgainstSchema(value);
  const f = value as Fixture;
  checkClusters(f.regions, 'regions');
  const accountIds = f.accounts ? Object.keys(f.accounts) : [f.accountId ?? DEFAULT_ACCOUNT_ID];
  expect(
    f.accountId === undefined || accountIds.includes(f.accountId),
    'accountId',
    'must be one of accounts (it names the account unknown access keys act in)',
  );
  const parents = checkOrganization(f.organization, accountIds);
  for (const [id, account] of Object.entries(f.accounts ?? {})) {
    expect(
      account.parent === undefined || parents.includes(account.parent),
      `accounts.${id}.parent`,
      'must be the root or an OU listed in organization.organizationalUnits',
    );
    checkClusters(account.regions, `accounts.${id}.regions`);
  }
  for (const [key, id] of Object.entries(f.accessKeys ?? {}))
    expect(accountIds.includes(id), `accessKeys.${key}`, 'must name one of the accounts');
  f.faults?.forEach((rule, i) =>
    expect(
      rule.throttleAs === undefined || rule.service === 'eks',
      `faults[${i}].throttleAs`,
      'needs "service": "eks" (EC2 throttles only as RequestLimitExceeded)',
    ),
  );
  return f;
}

export async function loadFixture(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FixtureError(`cannot read fixture file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
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
