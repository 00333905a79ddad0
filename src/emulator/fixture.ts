import { CLUSTER_NAME_PATTERN } from '../aws-names.js';
import { isObject } from '../json-shape.js';
import { readFile } from 'node:fs/promises';
import type { FaultRule } from './faults.js';

/** The fixture file format; docs/fixtures.md documents it for people. */
export interface Fixture {
  readonly accountId?: string;
  readonly regions: Readonly<Record<string, FixtureRegion>>;
  readonly faults?: readonly FaultRule[];
  /** How long a cluster update stays InProgress (default 3000). */
  readonly updateDurationMs?: number;
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
  readonly publicAccessCidrs?: readonly string[];
  readonly status?: string;
  readonly version?: string;
  readonly vpcId?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly createdAt?: string;
}

export class FixtureError extends Error {
  override name = 'FixtureError';
}

const OPT_IN_STATUSES = ['opt-in-not-required', 'opted-in', 'not-opted-in'];
const CLUSTER_STATUSES = ['CREATING', 'ACTIVE', 'DELETING', 'FAILED', 'UPDATING', 'PENDING'];
const SERVICES = ['eks', 'ec2'];
const FAILURES = ['access-denied', 'server-error', 'unavailable'];
const UPDATE_OUTCOMES = ['Failed', 'Cancelled'];

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
  checkMilliseconds(rule.latencyMs, `${path}.latencyMs`);
  checkRate(rule.throttleRate, `${path}.throttleRate`);
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
      typeof c.name === 'string' && CLUSTER_NAME_PATTERN.test(c.name),
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
    c.publicAccessCidrs === undefined ||
      (Array.isArray(c.publicAccessCidrs) &&
        c.publicAccessCidrs.every((x) => typeof x === 'string')),
    `${path}.publicAccessCidrs`,
    'must be an array of strings',
  );
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

/** Validates parsed JSON as a Fixture. */
export function parseFixture(value: Json): Fixture {
  expect(isObject(value), 'fixture', 'must be a JSON object');
  const f = value as Record<string, Json>;
  expect(
    f.accountId === undefined || (typeof f.accountId === 'string' && /^\d{12}$/.test(f.accountId)),
    'accountId',
    'must be 12 digits',
  );
  expect(
    isObject(f.regions) && Object.keys(f.regions).length > 0,
    'regions',
    'must be an object with at least one region',
  );
  for (const [name, region] of Object.entries(f.regions as Record<string, Json>))
    checkRegion(region, `regions.${name}`);
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
