/**
 * `remediate --apply` of 100 exposed clusters in 4 regions against the
 * emulator, each update taking 2 s and every call 20 ms, compared with the ideal wall time for the
 * apply concurrency. Not part of the tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '../emulator/fixture.js';
import type { FaultRule } from '../emulator/faults.js';
import { startEmulator } from '../emulator/server.js';
import type { ApplyReport } from '../report/apply-report.js';
import { emulatorEnv, spawnCli } from '../tools/spawn-cli.js';
import { type BenchRow, round, verdict } from './measure.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const CLUSTERS_PER_REGION = 25;
const UPDATE_MS = 2_000;
const LATENCY_MS = 20;
const POLL_INTERVAL_S = 0.5;

const fixture: Fixture = {
  regions: Object.fromEntries(
    REGIONS.map((region) => [
      region,
      { generate: [{ count: CLUSTERS_PER_REGION, namePrefix: 'open-' }] },
    ]),
  ),
};
const clusters = REGIONS.length * CLUSTERS_PER_REGION;

/**
 * The floor for applying: waves of `concurrency` clusters, each wave a describe, a submit and the
 * update's own duration. Polling can only add to this (it sees the end at its next poll).
 */
const idealApplyMs = (concurrency: number) =>
  Math.ceil(clusters / concurrency) * (UPDATE_MS + 2 * LATENCY_MS);

interface Scenario {
  readonly name: string;
  readonly concurrency: number;
  readonly faults: FaultRule[];
  /** Against the floor; a throttled run is held only to verifying every cluster. */
  readonly maxRatio?: number;
}

const everyCall: FaultRule = { latencyMs: LATENCY_MS };
const scenarios: Scenario[] = [
  { name: 'default --apply-concurrency 4', concurrency: 4, faults: [everyCall], maxRatio: 1.5 },
  { name: '--apply-concurrency 25', concurrency: 25, faults: [everyCall], maxRatio: 1.5 },
  {
    name: '--apply-concurrency 25, 1 call in 5 throttled',
    concurrency: 25,
    faults: [everyCall, { throttleRate: 0.2 }],
  },
];

async function runScenario(scenario: Scenario) {
  const emulator = await startEmulator({
    fixture,
    faults: scenario.faults,
    seed: 42,
    updateDurationMs: UPDATE_MS,
  });
  const journal = join(mkdtempSync(join(tmpdir(), 'eksposure-bench-')), 'journal.ndjson');
  const started = performance.now();
  const run = await spawnCli(
    [
      'remediate',
      '--apply',
      '--yes',
      '--output',
      'json',
      '--log-level',
      'info',
      '--apply-concurrency',
      String(scenario.concurrency),
      '--poll-interval',
      String(POLL_INTERVAL_S),
      '--journal',
      journal,
    ],
    emulatorEnv(emulator.url),
    'pipe',
  );
  const processMs = performance.now() - started;
  await emulator.close();
  const report = JSON.parse(run.stdout) as ApplyReport;
  const logged = (what: string) =>
    run.stderr
      .split('\n')
      .filter((line) => line.includes(`"${what}"`))
      .map((line) => JSON.parse(line) as { maxRssKb: number; durationMs: number })[0];
  const applyMs = logged('apply finished')?.durationMs ?? NaN;
  const calls = (op: string) => emulator.stats.calls.get(`eks:${op}`) ?? 0;
  return {
    scenario: scenario.name,
    exitCode: run.code,
    verified: report.summary.verified,
    notVerified: clusters - report.summary.verified,
    applyMs,
    processMs: Math.round(processMs),
    idealApplyMs: idealApplyMs(scenario.concurrency),
    ratio: Number((applyMs / idealApplyMs(scenario.concurrency)).toFixed(2)),
    peakRssMb: Number(((logged('apply finished')?.maxRssKb ?? 0) / 1024).toFixed(1)),
    submits: calls('UpdateClusterConfig'),
    pollsPerCluster: Number((calls('DescribeUpdate') / clusters).toFixed(2)),
    throttled: emulator.stats.injected.get('throttle') ?? 0,
  };
}

export async function applyRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const scenario of scenarios) {
    const result = await runScenario(scenario);
    rows.push({
      name: `remediate --apply, ${clusters} clusters in ${REGIONS.length} regions, ${UPDATE_MS} ms updates, ${result.scenario}`,
      figure:
        `${result.ratio}x the ideal (apply ${round(result.applyMs)} ms vs ${result.idealApplyMs} ms; process ${result.processMs} ms incl. scan; ` +
        `${result.verified} verified, exit ${result.exitCode}; ${result.pollsPerCluster} DescribeUpdate per cluster, ` +
        `${result.throttled} throttled; peak RSS ${result.peakRssMb} MB)`,
      target: scenario.maxRatio ? `<= ${scenario.maxRatio}x, all verified` : 'all verified',
      verdict: verdict(result.ratio <= (scenario.maxRatio ?? Infinity) && result.notVerified === 0),
    });
  }
  return rows;
}
