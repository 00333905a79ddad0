/**
 * `audit --baseline` and `merge --baseline` against the emulator: a run, the clusters changed
 * between runs (one opened, one closed, one deleted, a region made to fail), a second run against
 * the first; and the baselines refused before any AWS call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import {
  AUDIT_REPORT_SCHEMA_VERSION,
  type AuditReport,
  type BaselineEntry,
} from '../../src/model/findings.js';
import { type CliRun, isolatedAwsEnv, oneLineRefusal, runCli } from '../support/cli.js';
import { callsTo } from '../support/remediation.js';
import { parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';

const ACCOUNT = '111122223333';
const REGIONS = ['--regions', 'us-east-1,eu-west-1'];

const fixture: Fixture = {
  accountId: ACCOUNT,
  regions: {
    'us-east-1': {
      clusters: [
        { name: 'stays-open' },
        { name: 'to-close' },
        { name: 'to-delete' },
        { name: 'to-open', endpointPublicAccess: false, endpointPrivateAccess: true },
        { name: 'stays-private', endpointPublicAccess: false, endpointPrivateAccess: true },
      ],
    },
    'eu-west-1': {
      clusters: [
        { name: 'eu-open' },
        { name: 'eu-private', endpointPublicAccess: false, endpointPrivateAccess: true },
      ],
    },
  },
};

let emulator: RunningEmulator;
let env: Record<string, string>;
let folder: string;
let baselineFile: string;
let baselineReport: AuditReport;

const audit = (...args: string[]) => runCli(['audit', ...REGIONS, ...args], env);
const cluster = (region: string, name: string) => {
  const found = emulator.state.regions.get(region)?.clusters.get(name);
  if (!found) throw new Error(`no cluster ${region}/${name} in the emulator`);
  return found;
};
const changes = (report: AuditReport) =>
  Object.fromEntries(report.findings.map((f) => [f.clusterName, f.change]));
const entries = (list: readonly BaselineEntry[] | undefined) =>
  (list ?? []).map((e) => `${e.region}/${e.clusterName}:${e.reason}`).sort();

function save(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  emulator = await startEmulator({ fixture });
  env = isolatedAwsEnv({ AWS_ENDPOINT_URL: emulator.url });
  folder = mkdtempSync(join(tmpdir(), 'eksposure-baseline-'));
  const first = await audit('--output', 'json');
  expect(first.code).toBe(1);
  baselineFile = save('yesterday.json', first.stdout);
  baselineReport = parseReport(first.stdout);

  // Between the runs: one cluster opened, one closed, one deleted, and eu-west-1 unreadable.
  Object.assign(cluster('us-east-1', 'to-open').resourcesVpcConfig, {
    endpointPublicAccess: true,
    publicAccessCidrs: ['0.0.0.0/0'],
  });
  Object.assign(cluster('us-east-1', 'to-close').resourcesVpcConfig, {
    endpointPublicAccess: false,
    endpointPrivateAccess: true,
  });
  emulator.state.regions.get('us-east-1')?.clusters.delete('to-delete');
});

afterAll(async () => {
  await emulator.close();
});

describe('a run against the one before', () => {
  let run: CliRun;
  let report: AuditReport;

  beforeAll(async () => {
    emulator.faults.replace([
      { service: 'eks', operation: 'ListClusters', region: 'eu-west-1', fail: 'access-denied' },
    ]);
    run = await audit('--baseline', baselineFile, '--output', 'json');
    report = parseReport(run.stdout);
    emulator.faults.replace([]);
  });

  it('marks the opened cluster new, the closed one resolved, the others unchanged', () => {
    expect(changes(report)).toEqual({
      'stays-open': 'unchanged',
      'to-close': 'resolved',
      'to-open': 'new',
      'stays-private': 'unchanged',
    });
  });

  it('resolves the closed and the deleted cluster, and neither of the failed region’s', () => {
    expect(entries(report.baseline?.resolved)).toEqual([
      'us-east-1/to-close:passes',
      'us-east-1/to-delete:cluster-gone',
    ]);
    expect(entries(report.baseline?.notRescanned)).toEqual([
      'eu-west-1/eu-open:region-unreadable',
      'eu-west-1/eu-private:region-unreadable',
    ]);
    expect(report.baseline?.summary).toEqual({
      new: 1,
      changed: 0,
      unchanged: 2,
      resolved: 2,
      removed: 0,
      notRescanned: 2,
      outOfScope: 0,
    });
    expect(report.baseline?.file).toBe(baselineFile);
  });

  it('writes a report of the current schema, valid against the schema, and exits 3: a region could not be read', () => {
    expect(report.schemaVersion).toBe(AUDIT_REPORT_SCHEMA_VERSION);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    expect(run.code).toBe(3);
  });

  it('shows new and resolved first in the table, with the baseline’s date', async () => {
    emulator.faults.replace([
      { service: 'eks', operation: 'ListClusters', region: 'eu-west-1', fail: 'access-denied' },
    ]);
    const table = await audit('--baseline', baselineFile);
    emulator.faults.replace([]);
    const text = table.stdout;
    const date = baselineReport.finishedAt;
    expect(text).toContain(`Since the baseline of ${date.slice(0, 19).replace('T', ' ')} UTC`);
    expect(text.indexOf('New since the baseline (1):')).toBeLessThan(
      text.indexOf('Resolved since the baseline (2):'),
    );
    expect(text).toMatch(/^FAIL\s+us-east-1\s+to-open\s/m);
    expect(text).toMatch(/^FAIL\s+us-east-1\s+to-delete\s+cluster gone/m);
    expect(text).toMatch(/^FAIL\s+eu-west-1\s+eu-open\s+the region could not be read/m);
    expect(text).not.toMatch(/^PASS\s/m);
    expect(table.code).toBe(3);
  });
});

describe('--fail-on-new', () => {
  it('exits 1 for a FAIL new since the baseline', async () => {
    const run = await audit('--baseline', baselineFile, '--fail-on-new');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Exit 1: clusters FAIL that did not FAIL in the baseline.');
  });

  it('exits 0 when every FAIL was already there, where --fail-on alone exits 1', async () => {
    const today = await audit('--output', 'json');
    expect(today.code).toBe(1);
    const todayFile = save('today.json', today.stdout);
    const again = await audit('--baseline', todayFile, '--fail-on-new', '--output', 'json');
    expect(again.code).toBe(0);
    const report = parseReport(again.stdout);
    expect(report.baseline?.summary).toMatchObject({ new: 0, resolved: 0, changed: 0 });
    expect(new Set(report.findings.map((f) => f.change))).toEqual(new Set(['unchanged']));
  });

  it('follows --fail-on: a new FAIL below the level does not fail the run', async () => {
    const run = await audit('--baseline', baselineFile, '--fail-on-new', '--fail-on', 'high');
    expect(run.code).toBe(0);
  });

  it('still exits 3 when a region could not be read', async () => {
    emulator.faults.replace([
      { service: 'eks', operation: 'ListClusters', region: 'eu-west-1', fail: 'access-denied' },
    ]);
    const run = await audit('--baseline', baselineFile, '--fail-on-new');
    emulator.faults.replace([]);
    expect(run.code).toBe(3);
  });

  it('needs --baseline', async () => {
    const before = callsTo(emulator);
    const run = await audit('--fail-on-new');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/baseline/);
    expect(callsTo(emulator)).toBe(before);
  });
});

describe('merge --baseline', () => {
  it('compares a merged report as audit does', async () => {
    const today = await audit('--output', 'json');
    const todayFile = save('merge-today.json', today.stdout);
    const run = await runCli(
      ['merge', todayFile, '--baseline', baselineFile, '--output', 'json', '--fail-on-new'],
      env,
    );
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(changes(report)).toMatchObject({ 'to-open': 'new', 'to-close': 'resolved' });
    expect(entries(report.baseline?.resolved)).toEqual([
      'us-east-1/to-close:passes',
      'us-east-1/to-delete:cluster-gone',
    ]);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
  });
});

describe('a baseline that cannot be used: one line, exit 2, no AWS call', () => {
  const refusals: readonly [string, string, RegExp][] = [
    ['not JSON', '{"schemaVersion": "2.3.0",', /is not valid JSON/],
    ['not an eksposure report', '{"findings": []}', /is not an eksposure audit report/],
    [
      'another major version',
      JSON.stringify({
        schemaVersion: '3.0.0',
        tool: { name: 'eksposure', version: '9.0.0' },
        findings: [],
      }),
      /has schemaVersion "3\.0\.0"; --baseline reads 2\.x audit reports/,
    ],
  ];

  it.each(refusals)('refuses a baseline that is %s', async (_, text, message) => {
    const file = save(`bad-${refusals.findIndex((r) => r[1] === text)}.json`, text);
    const before = callsTo(emulator);
    const line = oneLineRefusal(await audit('--baseline', file));
    expect(line).toContain(file);
    expect(line).toMatch(message);
    expect(callsTo(emulator)).toBe(before);
    expect(oneLineRefusal(await runCli(['merge', baselineFile, '--baseline', file], env))).toMatch(
      message,
    );
  });

  it('refuses a baseline file that does not exist', async () => {
    const before = callsTo(emulator);
    const line = oneLineRefusal(await audit('--baseline', join(folder, 'missing.json')));
    expect(line).toMatch(/missing\.json: cannot read it: no such file or folder \(ENOENT\)/);
    expect(callsTo(emulator)).toBe(before);
  });
});
