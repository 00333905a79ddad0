import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SERVICES } from '../../../src/emulator/errors.js';
import { THROTTLE_CODES } from '../../../src/emulator/faults.js';
import { FixtureError, parseFixture, SCHEMA_PROBLEMS } from '../../../src/emulator/fixture.js';
import { EKS_CLUSTER_NAME } from '../../../src/emulator/validation.js';
import { REPO_ROOT } from '../../support/cli.js';
import { remediationAccount } from '../../support/remediation.js';

type Json = Record<string, unknown>;

const SCHEMA = JSON.parse(
  readFileSync(join(REPO_ROOT, 'schemas', 'emulator-fixture.schema.json'), 'utf8'),
) as Json;

const FIXTURE_FILES = readdirSync(join(REPO_ROOT, 'fixtures')).filter((f) => f.endsWith('.json'));
const readFixture = (file: string): unknown =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', file), 'utf8'));

/** The subschema (or keyword value) a JSON pointer such as `#/$defs/cluster` names, if any. */
const at = (pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], SCHEMA);

describe('schemas/emulator-fixture.schema.json', () => {
  it('validates the fixture files on its own, with any strict Ajv', () => {
    // Ajv's strict mode wants these two said: `if`/`else` require properties declared beside
    // them, and organizationalUnits may be null. Both are plain JSON Schema 2020-12.
    const validate = new Ajv2020({
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      allErrors: true,
    }).compile(SCHEMA);
    expect(FIXTURE_FILES).toEqual(expect.arrayContaining(['demo.json', 'organization.json']));
    for (const file of FIXTURE_FILES) {
      validate(readFixture(file));
      expect({ file, errors: validate.errors ?? [] }).toEqual({ file, errors: [] });
    }
  });

  it('names the same services, throttling codes and cluster names as the emulator', () => {
    expect(at('#/$defs/fault/properties/service/enum')).toEqual(SERVICES);
    expect(Object.keys(at('#/properties/throttling/properties') as Json)).toEqual(SERVICES);
    expect(at('#/$defs/fault/properties/throttleAs/enum')).toEqual(THROTTLE_CODES);
    expect(at('#/$defs/region/properties/clusters/items/properties/name/pattern')).toBe(
      EKS_CLUSTER_NAME.source,
    );
  });

  it('words only problems of subschemas and keywords it has', () => {
    expect(Object.keys(SCHEMA_PROBLEMS).filter((pointer) => at(pointer) === undefined)).toEqual([]);
  });
});

describe('fixtures the tests use', () => {
  it.each([
    ...FIXTURE_FILES.map((file) => [`fixtures/${file}`, readFixture(file)] as const),
    ['test/support/remediation.ts remediationAccount', remediationAccount] as const,
  ])('%s loads', (_name, fixture) => {
    expect(parseFixture(JSON.parse(JSON.stringify(fixture)))).toEqual(fixture);
  });
});

describe('what the schema refuses, worded as before', () => {
  const region = (cluster: Json) => ({ regions: { r: { clusters: [{ name: 'a', ...cluster }] } } });

  it.each([
    // A key that is not one of a closed set: throttling names services only.
    [
      { regions: { r: {} }, throttling: { s3: { capacity: 1, refillPerSecond: 1 } } },
      'throttling.s3: must be one of eks, ec2, sts, organizations, securityhub',
    ],
    [{ regions: { r: {} }, accessKeys: { akia: '123456789012' } }, 'accessKeys.akia: must be'],
    [{ accounts: { '42': {} } }, 'accounts.42: must be 12 digits'],
    // Wrong types, worded by the subschema that fails or by the one around it.
    [42, 'fixture: must be a JSON object'],
    [{ regions: [] }, 'regions: must be an object with at least one region'],
    [region({ version: 1.32 }), 'regions.r.clusters[0].version: must be a string'],
    [
      region({ endpointPublicAccess: 'yes' }),
      'regions.r.clusters[0].endpointPublicAccess: must be a boolean',
    ],
    [region({ tags: { team: 7 } }), 'regions.r.clusters[0].tags: must map strings to strings'],
    [
      region({ publicAccessCidrs: ['0.0.0.0/0', 7] }),
      'regions.r.clusters[0].publicAccessCidrs: must be an array of strings',
    ],
    [
      region({ endpoint: 'https://host/path' }),
      'regions.r.clusters[0].endpoint: must be an https URL without a path',
    ],
    [{ regions: { r: { clusters: [{}] } } }, 'regions.r.clusters[0].name: must be a cluster name'],
    [
      { regions: { r: { generate: [{ count: 2 }] } } },
      'regions.r.generate[0].namePrefix: must be a non-empty string',
    ],
    [
      { regions: { r: {} }, faults: [{ latencyMs: '5' }] },
      'faults[0].latencyMs: must be a whole number of milliseconds',
    ],
    [
      { regions: { r: {} }, faults: [{ serverErrorRate: -0.1 }] },
      'faults[0].serverErrorRate: must be a number from 0 to 1',
    ],
    [
      { regions: { r: {} }, throttling: { eks: { capacity: 1 } } },
      'throttling.eks: must be { "capacity": whole number from 1, "refillPerSecond": number above 0 }',
    ],
    [
      { regions: { r: {} }, roles: { Audit: { trustedAccounts: ['42'] } } },
      'roles.Audit.trustedAccounts: must be an array of 12-digit account ids',
    ],
    [
      { regions: { r: {} }, organization: {} },
      'organization.managementAccountId: must be 12 digits',
    ],
    [
      {
        accounts: { '111111111111': {} },
        organization: { managementAccountId: '111111111111', organizationalUnits: [] },
      },
      'organization.organizationalUnits: must be an object keyed by OU id',
    ],
    // Values outside an enum.
    [
      region({ status: 'RUNNING' }),
      'regions.r.clusters[0].status: must be one of CREATING, ACTIVE, DELETING, FAILED, UPDATING, PENDING',
    ],
    [
      { regions: { r: {} }, faults: [{ service: 's3' }] },
      'faults[0].service: must be one of eks, ec2, sts, organizations, securityhub',
    ],
    [
      { accounts: { '111111111111': { state: 'OPEN' } } },
      'accounts.111111111111.state: must be one of PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED',
    ],
    // The two forms.
    [{ faults: [] }, 'regions: must be an object with at least one region'],
    [
      { accounts: { '111111111111': {} }, regions: {} },
      'regions: goes inside each of accounts when accounts is given',
    ],
  ])('%j: %s', (fixture, message) => {
    expect(() => parseFixture(fixture)).toThrow(FixtureError);
    expect(() => parseFixture(fixture)).toThrow(message);
  });

  it('accepts fields it does not know, as it always has, and organizationalUnits: null', () => {
    const fixture = {
      $schema: '../schemas/emulator-fixture.schema.json',
      note: 'ignored',
      regions: { r: { clusters: [{ name: 'a', comment: 'ignored' }] } },
      organization: { managementAccountId: '123456789012', organizationalUnits: null },
    };
    expect(parseFixture(fixture)).toBe(fixture);
  });
});
