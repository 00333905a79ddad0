/**
 * --shard and merge through the built CLI against the organization fixture: the shards of an
 * organization, merged, are the one run over it; and what merge and --shard refuse.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fixture, parseFixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';

import { type CliRun, isolatedAwsEnv, oneLineRefusal, REPO_ROOT, runCli } from '../support/cli.js';
import { callsTo } from '../support/remediation.js';
import { parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';
import { type AuditReport } from '../../src/model/findings.js';

const SHARDS = 3;
const fixture: Fixture = parseFixture(
  JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'organization.json'), 'utf8')),
);
// Account 666666666666's role asks for this ExternalId; the other roles ignore it, as IAM does.
const ORGANIZATION_SCAN = [
  'audit',
  '--organization',
  '--role-arn',
  'arn:aws:iam::{account}:role/SecurityAudit',
  '--external-id',
  'eksposure-4f1c',
  '--output',
  'json',
];

let emulator: RunningEmulator;
let env: Record<string, string>;
let folder: string;
let single: CliRun;
let shardFiles: string[];
let shardCodes: (number | null)[];

beforeAll(async () => {
  emulator = await startEmulator({ fixture });
  env = isolatedAwsEnv({ AWS_ENDPOINT_URL: emulator.url });
  folder = mkdtempSync(join(tmpdir(), 'eksposure-shards-'));
  const runs = await Promise.all([
    runCli(ORGANIZATION_SCAN, env),
    ...Array.from({ length: SHARDS }, (_, i) =>
      runCli([...ORGANIZATION_SCAN, '--shard', `${i}/${SHARDS}`], env),
    ),
  ]);
  single = runs[0]!;
  shardCodes = runs.slice(1).map((run) => run.code);
  shardFiles = runs.slice(1).map((run, i) => {
    const path = join(folder, `report-${i}.json`);
    writeFileSync(path, run.stdout);
    return path;
  });
}, 20_000);

afterAll(async () => {
  await emulator.close();
});

describe('shards of an organization, merged', () => {
  it('equal one run over it: same accounts, regions, findings, summary and exit code', async () => {
    // The fixture's locked-down account refuses the role: one run exits 3, and so must the merge.
    expect(single.code).toBe(3);
    const one = parseReport(single.stdout);
    const shards = shardFiles.map((path) => parseReport(readFileSync(path, 'utf8')));
    expect(shards.map((s) => s.shard)).toEqual(
      Array.from({ length: SHARDS }, (_, index) => ({ index, count: SHARDS })),
    );
    // Every account in exactly one shard.
    expect(shards.flatMap((s) => s.accounts.map((a) => a.accountId)).sort()).toEqual(
      one.accounts.map((a) => a.accountId),
    );
    // This fixture's accounts all hash to shards 0 and 2: shard 1 is empty, reports so, and passes.
    expect(shards[1]!.accounts).toEqual([]);
    expect(shardCodes[1]).toBe(0);

    const merged = await runCli(['merge', ...shardFiles, '--output', 'json'], env);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(single.code);
    const report = parseReport(merged.stdout);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    const comparable = (r: AuditReport) => ({
      ...r,
      startedAt: undefined,
      finishedAt: undefined,
    });
    expect(comparable(report)).toEqual(comparable(one));
    expect(report.startedAt).toBe(shards.map((s) => s.startedAt).sort()[0]);
    expect(report.finishedAt).toBe(shards.map((s) => s.finishedAt).sort()[SHARDS - 1]);
  });

  it('give exit 1, as one run does, when every account is read and a cluster fails', async () => {
    const scan = [...ORGANIZATION_SCAN, '--exclude-accounts', '555555555555'];
    const [whole, ...shards] = await Promise.all([
      runCli(scan, env),
      ...Array.from({ length: SHARDS }, (_, i) =>
        runCli([...scan, '--shard', `${i}/${SHARDS}`], env),
      ),
    ]);
    const files = shards.map((run, i) => {
      const path = join(folder, `clean-${i}.json`);
      writeFileSync(path, run.stdout);
      return path;
    });
    const merged = await runCli(['merge', ...files, '--output', 'json'], env);
    expect(whole.code).toBe(1);
    expect(merged.code).toBe(1);
    expect(parseReport(merged.stdout).findings).toEqual(parseReport(whole.stdout).findings);
    // --fail-on is not in the reports: merge takes it too, and exits as `audit --fail-on` would.
    const [wholeNever, mergedNever] = await Promise.all([
      runCli([...scan, '--fail-on', 'never'], env),
      runCli(['merge', ...files, '--fail-on', 'never'], env),
    ]);
    expect(wholeNever.code).toBe(0);
    expect(mergedNever.code).toBe(0);
    expect(mergedNever.stdout).toContain('Exit 0: no FAIL at the --fail-on never level.');
  }, 15_000);

  it('prints the table of one run, with its exit code', async () => {
    const merged = await runCli(['merge', ...shardFiles], env);
    expect(merged.code).toBe(single.code);
    expect(merged.stdout).toContain('555555555555');
    expect(merged.stdout).toContain('Exit 3');
  });

  it('is incomplete (exit 3) without a shard, and says which', async () => {
    const merged = await runCli(['merge', shardFiles[2]!, shardFiles[1]!, '--output', 'json'], env);
    expect(merged.code).toBe(3);
    expect(merged.stderr).toContain('no report for shard 0/3');
    const report = parseReport(merged.stdout);
    expect(report.complete).toBe(false);
    expect(report.accounts.map((a) => a.accountId)).not.toContain('555555555555');
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses the same shard twice, a damaged file and a 1.x report, in one line (exit 2)', async () => {
    const twice = await runCli(['merge', shardFiles[0]!, ...shardFiles], env);
    expect(oneLineRefusal(twice)).toContain('are both shard 0/3');

    const damaged = join(folder, 'damaged.json');
    writeFileSync(damaged, readFileSync(shardFiles[0]!, 'utf8').slice(0, 200));
    expect(oneLineRefusal(await runCli(['merge', damaged, shardFiles[1]!], env))).toContain(
      `${damaged} is not a usable audit report: not valid JSON`,
    );

    const old = join(folder, 'old.json');
    writeFileSync(old, JSON.stringify({ ...parseReport(single.stdout), schemaVersion: '1.1.0' }));
    expect(oneLineRefusal(await runCli(['merge', old], env))).toContain('merge reads 2.x');

    const missing = join(folder, 'nowhere.json');
    expect(oneLineRefusal(await runCli(['merge', missing], env))).toContain(
      `cannot read report ${missing}`,
    );
  });

  it('refuses a malformed --shard, or one without an account list, before any AWS call', async () => {
    const before = callsTo(emulator);
    const pastTheEnd = await runCli([...ORGANIZATION_SCAN, '--shard', '3/3'], env);
    expect(oneLineRefusal(pastTheEnd)).toContain('INDEX must be from 0 to 2');
    const unsetIndex = await runCli([...ORGANIZATION_SCAN, '--shard', '/3'], env);
    expect(oneLineRefusal(unsetIndex)).toContain('--shard needs INDEX/COUNT');
    const noList = await runCli(['audit', '--shard', '0/3'], env);
    expect(oneLineRefusal(noList)).toContain('--accounts, --accounts-file or --organization');
    expect(callsTo(emulator)).toBe(before);
  });
});
