/**
 * `npm run bench`: the audit against the emulator with 17 regions x 100 clusters and 50 ms on every
 * call, compared with the ideal wall time for its concurrency. Not part of the tests.
 */
import type { Fixture } from '../emulator/fixture.js';
import type { FaultRule } from '../emulator/faults.js';
import { startEmulator } from '../emulator/server.js';
import type { AuditReport } from '../report/audit-report.js';
import { emulatorEnv, spawnCli } from '../tools/spawn-cli.js';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];
const CLUSTERS_PER_REGION = 100;
const LATENCY_MS = 50;
const LIST_PAGE_SIZE = 100;
// The CLI's defaults; the ideal below is computed for them.
const CONCURRENCY = 10;
const REGION_CONCURRENCY = 32;

const fixture: Fixture = {
  regions: Object.fromEntries(
    REGIONS.map((region) => [
      region,
      {
        generate: [
          {
            count: CLUSTERS_PER_REGION - 10,
            namePrefix: 'svc-',
            cluster: { endpointPublicAccess: false, endpointPrivateAccess: true },
          },
          { count: 10, namePrefix: 'open-' },
        ],
      },
    ]),
  ),
};

/**
 * The latency-bound critical path: DescribeRegions, then per wave of regions the ListClusters pages
 * one after another and the DescribeCluster calls `concurrency` at a time.
 */
function idealMs(concurrency: number, regionConcurrency: number): number {
  const waves = Math.ceil(REGIONS.length / regionConcurrency);
  const pages = Math.ceil(CLUSTERS_PER_REGION / LIST_PAGE_SIZE);
  const describeRounds = Math.ceil(CLUSTERS_PER_REGION / concurrency);
  return LATENCY_MS * (1 + waves * (pages + describeRounds));
}

interface Scenario {
  readonly name: string;
  readonly faults: FaultRule[];
  readonly args: string[];
}

const everyCall: FaultRule = { latencyMs: LATENCY_MS };
const scenarios: Scenario[] = [
  { name: 'baseline (defaults)', faults: [everyCall], args: [] },
  { name: '1 call in 5 throttled', faults: [everyCall, { throttleRate: 0.2 }], args: [] },
  {
    name: '1 in 5 throttled, SDK default 3 attempts',
    faults: [everyCall, { throttleRate: 0.2 }],
    args: ['--max-attempts', '3'],
  },
];

async function runScenario(scenario: Scenario) {
  const emulator = await startEmulator({ fixture, faults: scenario.faults, seed: 42 });
  const started = performance.now();
  const run = await spawnCli(
    ['audit', '--output', 'json', '--log-level', 'info', ...scenario.args],
    emulatorEnv(emulator.url),
    'pipe',
  );
  const processMs = performance.now() - started;
  await emulator.close();
  const report = JSON.parse(run.stdout) as AuditReport;
  const finished = run.stderr
    .split('\n')
    .filter((line) => line.includes('"audit finished"'))
    .map((line) => JSON.parse(line) as { maxRssKb: number })[0];
  const auditMs = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const calls = [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);
  return {
    scenario: scenario.name,
    exitCode: run.code,
    clusters: report.summary.clusters,
    errors: report.summary.error,
    auditMs,
    processMs: Math.round(processMs),
    idealMs: idealMs(CONCURRENCY, REGION_CONCURRENCY),
    ratio: Number((auditMs / idealMs(CONCURRENCY, REGION_CONCURRENCY)).toFixed(2)),
    peakRssMb: Number(((finished?.maxRssKb ?? 0) / 1024).toFixed(1)),
    apiCalls: calls,
    throttled: emulator.stats.injected.get('throttle') ?? 0,
    serverMaxInFlight: emulator.stats.maxInFlight,
  };
}

process.stdout.write(
  `eksposure audit benchmark: ${REGIONS.length} regions x ${CLUSTERS_PER_REGION} clusters, ${LATENCY_MS} ms per call, ` +
    `--concurrency ${CONCURRENCY} --region-concurrency ${REGION_CONCURRENCY}, Node ${process.version}\n\n`,
);
const results = [];
for (const scenario of scenarios) {
  const result = await runScenario(scenario);
  results.push(result);
  process.stdout.write(
    `${result.scenario}\n  audit wall ${result.auditMs} ms (process ${result.processMs} ms), ideal ${result.idealMs} ms, ratio ${result.ratio}\n` +
      `  peak RSS ${result.peakRssMb} MB, ${result.clusters} clusters evaluated, ${result.errors} unread, exit ${result.exitCode}\n` +
      `  ${result.apiCalls} API calls, ${result.throttled} throttled, up to ${result.serverMaxInFlight} in flight at the emulator\n\n`,
  );
}
process.stdout.write(`${JSON.stringify(results)}\n`);
