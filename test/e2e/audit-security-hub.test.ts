/**
 * `audit --security-hub` against the emulator: findings imported in each account and region,
 * updated in place, archived when the cluster is closed or gone, left alone where the run could
 * not read; a Security Hub that refuses is one line and exit 3.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fixture, parseFixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import type { JsonObject } from '../../src/emulator/validation.js';
import type { AuditReport } from '../../src/model/findings.js';
import { isolatedAwsEnv, REPO_ROOT, runCli } from '../support/cli.js';
import { parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';

const ACCOUNT = '111122223333';

const fixture: Fixture = parseFixture({
  accountId: ACCOUNT,
  regions: {
    'us-east-1': {
      clusters: [
        { name: 'open-a' },
        { name: 'to-close' },
        { name: 'to-delete' },
        { name: 'to-open', endpointPublicAccess: false, endpointPrivateAccess: true },
      ],
    },
    'eu-west-1': { clusters: [{ name: 'open-eu' }] },
    'ap-south-1': { clusters: [{ name: 'open-ap' }], securityHub: { enabled: false } },
  },
});

function hubOf(emulator: RunningEmulator, account: string, region: string) {
  const hub = emulator.state.accounts.get(account)?.regions.get(region)?.securityHub;
  if (!hub) throw new Error(`no Security Hub for ${account} ${region}`);
  return hub;
}

/** "cluster RULE STATE" for every finding Security Hub holds in the account and region. */
function held(emulator: RunningEmulator, region: string, account = ACCOUNT): string[] {
  return [...hubOf(emulator, account, region).findings.values()]
    .map((f) => {
      const [, , , cluster, rule] = String(f.Id).split('/');
      return `${cluster} ${rule} ${String(f.RecordState)}`;
    })
    .sort();
}

function validReport(stdout: string): AuditReport {
  const report = parseReport(stdout);
  expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
  return report;
}

/** `audit --security-hub` against the emulator at `url`, logs silent, with `args`. */
const hubAudit = (url: string, ...args: string[]) =>
  runCli(
    ['audit', '--endpoint-url', url, '--log-level', 'silent', '--security-hub', ...args],
    isolatedAwsEnv(),
  );

/** What stderr says about Security Hub beyond the summary line every run with --security-hub ends with. */
const problems = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.includes('Security Hub') && !l.startsWith('eksposure: Security Hub: '));

describe('audit --security-hub', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture });
  });
  afterAll(() => emulator.close());

  const audit = (...args: string[]) => hubAudit(emulator.url, '--output', 'json', ...args);

  it('imports, updates in place, archives what no longer applies, and leaves a failed region alone', async () => {
    const first = await audit('--regions', 'us-east-1,eu-west-1');
    expect(problems(first.stderr)).toEqual([]);
    expect(first.stderr).toContain(
      'eksposure: Security Hub: 4 imported, 0 updated, 0 archived, 0 refused\n',
    );
    expect(first.code).toBe(1);
    const report1 = validReport(first.stdout);
    expect(report1.schemaVersion).toBe('2.5.0');
    expect(report1.securityHub).toMatchObject({ imported: 4, updated: 0, archived: 0, failed: 0 });
    expect(held(emulator, 'us-east-1')).toEqual([
      'open-a EKS-001 ACTIVE',
      'to-close EKS-001 ACTIVE',
      'to-delete EKS-001 ACTIVE',
    ]);
    expect(held(emulator, 'eu-west-1')).toEqual(['open-eu EKS-001 ACTIVE']);
    const euBefore = [...hubOf(emulator, ACCOUNT, 'eu-west-1').findings.values()].map((f) => ({
      ...f,
    }));

    // Close one, delete one, open one; eu-west-1 can no longer be listed.
    const east = emulator.state.regions.get('us-east-1')!;
    const closed = east.clusters.get('to-close')!.resourcesVpcConfig;
    closed.endpointPublicAccess = false;
    closed.endpointPrivateAccess = true;
    east.clusters.delete('to-delete');
    const opened = east.clusters.get('to-open')!.resourcesVpcConfig;
    opened.endpointPublicAccess = true;
    emulator.faults.replace([
      { service: 'eks', operation: 'ListClusters', region: 'eu-west-1', fail: 'access-denied' },
    ]);

    const second = await audit('--regions', 'us-east-1,eu-west-1');
    expect(second.code).toBe(3);
    const report2 = validReport(second.stdout);
    expect(report2.securityHub).toMatchObject({ imported: 1, updated: 1, archived: 2, failed: 0 });
    expect(report2.securityHub?.targets.map((t) => [t.region, t.status, t.archiveSkipped])).toEqual(
      [
        ['eu-west-1', 'skipped', expect.stringContaining('could not be read completely')],
        ['us-east-1', 'ok', null],
      ],
    );
    expect(held(emulator, 'us-east-1')).toEqual([
      'open-a EKS-001 ACTIVE',
      'to-close EKS-001 ARCHIVED',
      'to-delete EKS-001 ARCHIVED',
      'to-open EKS-001 ACTIVE',
    ]);
    const eastHub = hubOf(emulator, ACCOUNT, 'us-east-1').findings;
    const closedFinding = [...eastHub.values()].find((f) => String(f.Id).includes('/to-close/'));
    // The closed cluster's fresh finding, archived: it says it passes now.
    expect((closedFinding?.Compliance as JsonObject).Status).toBe('PASSED');
    // An update keeps when the finding was first seen.
    const openA = [...eastHub.values()].find((f) => String(f.Id).includes('/open-a/'));
    expect(openA?.CreatedAt).toBe(report1.finishedAt);
    expect(openA?.UpdatedAt).toBe(report2.finishedAt);
    // The region that failed keeps exactly what it had.
    expect([...hubOf(emulator, ACCOUNT, 'eu-west-1').findings.values()]).toEqual(euBefore);

    // A re-run changes nothing: the same findings active, the same archived.
    emulator.faults.replace([]);
    const before = { east: held(emulator, 'us-east-1'), eu: held(emulator, 'eu-west-1') };
    const third = await audit('--regions', 'us-east-1,eu-west-1');
    expect(third.code).toBe(1);
    expect(validReport(third.stdout).securityHub).toMatchObject({
      imported: 0,
      updated: 3,
      archived: 0,
      failed: 0,
    });
    expect({ east: held(emulator, 'us-east-1'), eu: held(emulator, 'eu-west-1') }).toEqual(before);
  });

  it('a region without Security Hub is one line, the others are synced, and the run exits 3', async () => {
    const run = await audit('--regions', 'ap-south-1,eu-west-1');
    expect(run.code).toBe(3);
    const lines = problems(run.stderr);
    expect(lines).toEqual([
      `eksposure: Security Hub is not enabled for account ${ACCOUNT} in ap-south-1 (InvalidAccessException: Account ${ACCOUNT} is not subscribed to AWS Security Hub): its findings were not sent; enable it, or leave the region out with --security-hub-regions.`,
    ]);
    const summary = validReport(run.stdout).securityHub;
    expect(summary?.targets.map((t) => [t.region, t.status])).toEqual([
      ['ap-south-1', 'not-enabled'],
      ['eu-west-1', 'ok'],
    ]);
    expect(held(emulator, 'ap-south-1')).toEqual([]);
  });

  it('--security-hub-regions leaves the other regions out: nothing sent, nothing refused', async () => {
    const calls = () => emulator.stats.calls.get('securityhub:GetFindings') ?? 0;
    const before = calls();
    const run = await audit(
      '--regions',
      'ap-south-1,eu-west-1',
      '--security-hub-regions',
      'eu-west-1',
    );
    expect(run.code).toBe(1);
    expect(problems(run.stderr)).toEqual([]);
    expect(validReport(run.stdout).securityHub?.targets.map((t) => t.region)).toEqual([
      'eu-west-1',
    ]);
    expect(calls() - before).toBe(1);
  });

  it('a finding Security Hub refuses is reported per finding, in one line, and the run exits 3', async () => {
    // An earlier finding of ours that AWS would not take back as it is (no Title): archiving it fails.
    const id = `eksposure/${ACCOUNT}/eu-west-1/long-gone/EKS-001`;
    const eu = hubOf(emulator, ACCOUNT, 'eu-west-1');
    const model = [...eu.findings.values()][0]!;
    const untitled: JsonObject = { ...model, Id: id, RecordState: 'ACTIVE' };
    delete untitled.Title;
    eu.findings.set(id, untitled);
    const run = await audit('--regions', 'eu-west-1');
    expect(run.code).toBe(3);
    const lines = problems(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `Security Hub refused 1 finding in account ${ACCOUNT} in eu-west-1 (${id}: InvalidInput`,
    );
    const summary = validReport(run.stdout).securityHub;
    expect(summary).toMatchObject({ failed: 1, updated: 1, archived: 0 });
    expect(summary?.failedFindings).toEqual([
      expect.objectContaining({
        accountId: ACCOUNT,
        region: 'eu-west-1',
        id,
        code: 'InvalidInput',
      }),
    ]);
    eu.findings.delete(id);
  });

  it('says in the table what the exit code says when Security Hub is off in a region', async () => {
    const run = await hubAudit(emulator.url, '--regions', 'ap-south-1,eu-west-1');
    expect(run.code).toBe(3);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(
      'Exit 3: Security Hub did not take every finding (see above).',
    );
  });

  it('with --baseline, sends each finding with what changed since', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksposure-hub-baseline-'));
    const before = join(dir, 'before.json');
    const first = await audit('--regions', 'eu-west-1');
    writeFileSync(before, first.stdout);
    const second = await audit('--regions', 'eu-west-1', '--baseline', before);
    expect(validReport(second.stdout).findings.map((f) => f.change)).toEqual(['unchanged']);
    const sent = [...hubOf(emulator, ACCOUNT, 'eu-west-1').findings.values()].find(
      (f) => f.RecordState === 'ACTIVE',
    ) as { ProductFields?: Record<string, string> } | undefined;
    expect(sent?.ProductFields?.['eksposure/Change']).toBe('unchanged');
  });

  it('refuses a malformed --security-hub-regions in one line, before any AWS call', async () => {
    const run = await audit('--security-hub-regions', 'mars-1');
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'eksposure: --security-hub-regions: "mars-1" is not a region name (e.g. us-east-1).',
    );
  });
});

describe('audit --organization --security-hub', () => {
  const organization: Fixture = parseFixture(
    JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'organization.json'), 'utf8')),
  );
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture: organization });
  });
  afterAll(() => emulator.close());

  it("imports each account's findings in that account, through its role", async () => {
    const run = await hubAudit(
      emulator.url,
      '--organization',
      '--role-arn',
      'arn:aws:iam::{account}:role/SecurityAudit',
      '--output',
      'json',
    );
    const report = validReport(run.stdout);
    const failing = report.findings
      .filter((f) => f.status === 'FAIL')
      .map((f) => `${f.accountId} ${f.region} ${f.clusterName}`)
      .sort();
    expect(failing.length).toBeGreaterThan(1);
    const imported: string[] = [];
    for (const [accountId, account] of emulator.state.accounts)
      for (const [region, state] of account.regions)
        for (const f of state.securityHub.findings.values()) {
          // Each finding sits in its own account: the emulator refuses any other.
          expect(f.AwsAccountId).toBe(accountId);
          imported.push(`${accountId} ${region} ${String(f.Id).split('/')[3]}`);
        }
    expect(imported.sort()).toEqual(failing);
    const scanned = report.accounts.filter((a) => a.status === 'ok').length;
    expect(new Set(report.securityHub?.targets.map((t) => t.accountId)).size).toBe(scanned);
    expect(report.securityHub?.imported).toBe(failing.length);
  });
});
