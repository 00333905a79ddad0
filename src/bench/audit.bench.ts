/**
 * The audit against the emulator: 17 regions x 100 clusters at 50 ms per call against the ideal
 * wall time for its concurrency.
 */
import type { FaultRule } from '../emulator/faults.js';
import { startEmulator } from '../emulator/server.js';

import { emulatorEnv } from '../tools/spawn-cli.js';
import { accountFixture, evenAccount } from './fixtures.js';
import { type BenchRow, round, runProbedCli, SEVENTEEN_REGIONS, verdict } from './measure.js';
import { type AuditReport } from '../model/findings.js';

const CLUSTERS_PER_REGION = 100;
const LATENCY_MS = 50;
const LIST_PAGE_SIZE = 100;
// The CLI's defaults; the ideal below is computed for them.
const CONCURRENCY = 10;
const REGION_CONCURRENCY = 32;
const fixture = accountFixture(evenAccount(CLUSTERS_PER_REGION));

/**
 * The latency-bound critical path: per wave of regions the ListClusters pages one after another
 * and the DescribeCluster calls `concurrency` at a time. The 17 regions are AWS's default regions,
 * whose scans start beside DescribeRegions, so its round trip is not on the path.
 */
function idealMs(): number {
  const waves = Math.ceil(SEVENTEEN_REGIONS.length / REGION_CONCURRENCY);
  const pages = Math.ceil(CLUSTERS_PER_REGION / LIST_PAGE_SIZE);
  const describeRounds = Math.ceil(CLUSTERS_PER_REGION / CONCURRENCY);
  return LATENCY_MS * waves * (pages + describeRounds);
}

async function auditOnce(faults: FaultRule[], args: readonly string[] = []) {
  const emulator = await startEmulator({ fixture, faults, seed: 42 });
  try {
    const run = await runProbedCli(
      ['audit', '--output', 'json', ...args],
      emulatorEnv(emulator.url),
    );
    const report = JSON.parse(run.stdout) as AuditReport;
    const calls = [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);
    const auditMs = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
    return {
      run,
      report,
      calls,
      auditMs,
      throttled: emulator.stats.injected.get('throttle') ?? 0,
    };
  } finally {
    await emulator.close();
  }
}

const SCAN = `${SEVENTEEN_REGIONS.length} regions x ${CLUSTERS_PER_REGION} clusters`;

export async function scanRows(): Promise<BenchRow[]> {
  const ideal = idealMs();
  const scenarios: { name: string; faults: FaultRule[]; args?: string[]; target?: number }[] = [
    { name: '', faults: [{ latencyMs: LATENCY_MS }], target: 1.5 },
    { name: ', 1 call in 5 throttled', faults: [{ latencyMs: LATENCY_MS }, { throttleRate: 0.2 }] },
    {
      name: ', 1 in 5 throttled, SDK default 3 attempts',
      faults: [{ latencyMs: LATENCY_MS }, { throttleRate: 0.2 }],
      args: ['--max-attempts', '3'],
    },
  ];
  const rows: BenchRow[] = [];
  for (const scenario of scenarios) {
    const { run, report, calls, auditMs, throttled } = await auditOnce(
      scenario.faults,
      scenario.args,
    );
    const ratio = auditMs / ideal;
    rows.push({
      name: `audit ${SCAN}, ${LATENCY_MS} ms per call${scenario.name}`,
      figure:
        `${round(ratio, 2)}x the ideal (${auditMs} ms vs ${ideal} ms; process ${round(run.wallMs)} ms; ` +
        `${report.summary.clusters} clusters, ${report.summary.error} unread, ${calls} calls, ${throttled} throttled)`,
      target: scenario.target ? `<= ${scenario.target}x` : 'none',
      verdict: scenario.target ? verdict(ratio <= scenario.target) : 'INFO',
    });
  }
  return rows;
}
