/**
 * `npm run bench`: every benchmark of docs/performance.md, in one run on one machine, each row with
 * its figure, its target and PASS or MISS, then one summary table. Not part of the tests.
 * `npm run bench -- 4 5` runs only the sections with those numbers.
 */
import { cpus, loadavg } from 'node:os';
import { renderTable } from '../report/text-table.js';
import { applyRows } from './apply.bench.js';
import { cpuPerCallRows, scanRows } from './audit.bench.js';
import { awsCliRows } from './aws-cli.bench.js';
import { type BenchRow, printRow } from './measure.js';
import { memoryRows, regionSpreadRows } from './memory.bench.js';
import { startupRows } from './startup.bench.js';

const sections: [string, () => BenchRow[] | Promise<BenchRow[]>][] = [
  ['1. start-up', startupRows],
  ['2. against the AWS CLI', awsCliRows],
  ['3. latency-bound scan', scanRows],
  ['4. CPU per AWS call', cpuPerCallRows],
  ['5. peak memory', memoryRows],
  ['6. apply', applyRows],
  ['7. many regions against one', regionSpreadRows],
];

const only = process.argv.slice(2);
const chosen = sections.filter(
  ([title]) => only.length === 0 || only.includes(title.split('.')[0]!),
);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
process.stdout.write(
  `eksposure benchmarks: Node ${process.version}, ${cpus().length} CPUs, load average ${load()}\n`,
);
const started = performance.now();
const rows: BenchRow[] = [];
for (const [title, run] of chosen) {
  process.stdout.write(`\n${title}\n`);
  for (const row of await run()) {
    printRow(row);
    rows.push(row);
  }
}
process.stdout.write(
  `\nSummary (${Math.round((performance.now() - started) / 1000)} s, load average now ${load()}):\n` +
    renderTable(
      ['', 'benchmark', 'figure', 'target'],
      rows.map((r) => [r.verdict, r.name, r.figure.split(' (')[0]!, r.target]),
    ) +
    '\n',
);
const missed = rows.filter((r) => r.verdict === 'MISS').length;
process.stdout.write(
  `${missed} of ${rows.filter((r) => r.verdict !== 'INFO' && r.verdict !== 'SKIP').length} targets missed\n`,
);
