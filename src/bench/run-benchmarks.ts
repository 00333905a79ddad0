/**
 * `npm run bench`: every benchmark of docs/performance.md, in one run on one machine, each row with
 * its figure, its target and PASS or MISS, then one summary table. Not part of the tests.
 * `npm run bench -- 4 5` runs only the sections with those numbers.
 */
import { cpus, loadavg } from 'node:os';
import { renderTable } from '../report/text-table.js';
import { applyRows } from './apply.bench.js';
import { scanRows } from './audit.bench.js';
import { awsCliRows } from './aws-cli.bench.js';
import { cpuPerCallRows } from './cpu.bench.js';
import { type BenchRow, printRow } from './measure.js';
import { memoryRows, regionSpreadRows } from './memory.bench.js';
import { organizationRows } from './org.bench.js';
import { probeRows } from './probe.bench.js';
import { startupRows } from './startup.bench.js';

const sections: [string, string, () => BenchRow[] | Promise<BenchRow[]>][] = [
  ['startup', '1. start-up', startupRows],
  ['aws-cli', '2. against the AWS CLI', awsCliRows],
  ['scan', '3. latency-bound scan', scanRows],
  ['cpu', '4. CPU per AWS call', cpuPerCallRows],
  ['memory', '5. peak memory', memoryRows],
  ['apply', '6. apply', applyRows],
  ['regions', '7. many regions against one', regionSpreadRows],
  ['org', '8. an organization, and its shards merged', organizationRows],
  ['probe', '9. probing public endpoints', probeRows],
];

// `npm run bench -- startup scan` (or `-- 1 3`) runs only those sections; no argument runs them all.
const chosen = process.argv.slice(2);
const picks = (key: string, title: string) =>
  chosen.length === 0 || chosen.includes(key) || chosen.includes(title.split('.')[0] ?? '');
const unknown = chosen.filter(
  (name) => !sections.some(([key, title]) => key === name || title.startsWith(`${name}.`)),
);
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark ${unknown.join(', ')}: choose from ${sections.map(([key]) => key).join(', ')}\n`,
  );
  process.exit(2);
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
process.stdout.write(
  `eksposure benchmarks: Node ${process.version}, ${cpus().length} CPUs, load average ${load()}\n`,
);
/**
 * A section that throws (a CLI that printed nothing, a subject that crashed) is a missed row that
 * says why; the sections after it still run, and the summary is still printed.
 */
async function rowsOf(title: string, run: () => BenchRow[] | Promise<BenchRow[]>) {
  try {
    return await run();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return [
      {
        name: `${title.replace(/^\d+\. /, '')}: not measured`,
        figure: `the benchmark failed: ${why.split('\n')[0]}`,
        target: 'a measurement',
        verdict: 'MISS' as const,
      },
    ];
  }
}

const started = performance.now();
const rows: BenchRow[] = [];
for (const [key, title, run] of sections) {
  if (!picks(key, title)) continue;
  process.stdout.write(`\n${title}\n`);
  for (const row of await rowsOf(title, run)) {
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
