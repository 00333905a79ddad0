/**
 * Peak RSS of `audit --output json` and of the remediate dry run at 1,000, 5,000 and 10,000
 * clusters in 17 regions (4,000 in one at 10,000), at 0 ms per call, from the CLI process's own
 * resource usage.
 */
import { startEmulator } from '../emulator/server.js';
import { emulatorEnv } from '../tools/spawn-cli.js';
import { accountFixture, clusterCount, evenAccount, skewedAccount } from './fixtures.js';
import { type BenchRow, round, runProbedCli, SEVENTEEN_REGIONS, verdict } from './measure.js';

const SIZES = [1_000, 5_000, 10_000];
const TARGET_MB = 150;

interface Measured {
  readonly clusters: number;
  readonly rssMb: number;
  readonly wallMs: number;
  readonly outputBytes: number;
}

interface Probed extends Measured {
  readonly cpuMs: number;
}

async function measureAccount(
  command: readonly string[],
  account: Readonly<Record<string, number>>,
): Promise<Probed> {
  const emulator = await startEmulator({ fixture: accountFixture(account), seed: 42 });
  try {
    const run = await runProbedCli([...command, '--output', 'json'], emulatorEnv(emulator.url));
    if (run.code === null || run.code > 1)
      throw new Error(`${command.join(' ')} exited ${run.code}: ${run.stderr.slice(0, 500)}`);
    return {
      clusters: clusterCount(account),
      rssMb: run.maxRssKb / 1024,
      wallMs: run.wallMs,
      outputBytes: Buffer.byteLength(run.stdout),
      cpuMs: run.cpuMs,
    };
  } finally {
    await emulator.close();
  }
}

const measure = (command: readonly string[], total: number) =>
  measureAccount(command, skewedAccount(total));

function rowsFor(label: string, measured: readonly Measured[]): BenchRow[] {
  const first = measured[0]!;
  const last = measured.at(-1)!;
  const growthKb = ((last.rssMb - first.rssMb) * 1024) / (last.clusters - first.clusters);
  // "Flat": beyond the report itself. The report is held once as text; allow twice its size.
  const reportKb = (last.outputBytes - first.outputBytes) / 1024 / (last.clusters - first.clusters);
  return [
    ...measured.map((m): BenchRow => ({
      name: `peak RSS, ${label}, ${m.clusters} clusters`,
      figure: `${round(m.rssMb, 1)} MB (wall ${round(m.wallMs)} ms, output ${round(m.outputBytes / 1024)} KB)`,
      target: m === last ? `<= ${TARGET_MB} MB` : 'none',
      verdict: m === last ? verdict(m.rssMb <= TARGET_MB) : 'INFO',
    })),
    {
      name: `peak RSS growth per cluster, ${label}, ${first.clusters} to ${last.clusters}`,
      figure: `${round(growthKb, 2)} KB per cluster (its JSON output: ${round(reportKb, 2)} KB per cluster)`,
      target: `<= 2x the output per cluster (${round(2 * reportKb, 2)} KB)`,
      verdict: verdict(growthKb <= 2 * reportKb),
    },
  ];
}

export async function memoryRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [label, command] of [
    ['audit', ['audit']],
    ['remediate dry run', ['remediate']],
  ] as const) {
    const measured: Measured[] = [];
    for (const size of SIZES) measured.push(await measure([...command], size));
    rows.push(...rowsFor(label, measured));
  }
  return rows;
}

const PER_REGION = 300;
/** Many regions may cost at most this much more than one region holding the same clusters. */
const SPREAD_TOLERANCE = 1.1;

/**
 * The same clusters spread over 17 regions and held by one (the 16 others empty, so both audits
 * make the same calls): regions are scanned side by side, each with its own client and its own
 * calls in flight, and that must not cost much more memory or CPU than one big region.
 */
export async function regionSpreadRows(): Promise<BenchRow[]> {
  const total = PER_REGION * SEVENTEEN_REGIONS.length;
  const spread = await measureAccount(['audit'], evenAccount(PER_REGION));
  const oneRegion = await measureAccount(['audit'], {
    ...evenAccount(0),
    [SEVENTEEN_REGIONS[0]]: total,
  });
  const describe = (m: Probed) =>
    `${round(m.rssMb, 1)} MB, ${round(m.cpuMs)} ms CPU, wall ${round(m.wallMs)} ms`;
  const rss = spread.rssMb / oneRegion.rssMb;
  const cpu = spread.cpuMs / oneRegion.cpuMs;
  return [
    {
      name: `audit of ${total} clusters, 17 regions x ${PER_REGION} against 1 region x ${total}: peak RSS`,
      figure: `${round(rss, 2)}x (${describe(spread)} against ${describe(oneRegion)})`,
      target: `<= ${SPREAD_TOLERANCE}x`,
      verdict: verdict(rss <= SPREAD_TOLERANCE),
    },
    {
      name: `same, CPU time`,
      figure: `${round(cpu, 2)}x`,
      target: `<= ${SPREAD_TOLERANCE}x`,
      verdict: verdict(cpu <= SPREAD_TOLERANCE),
    },
  ];
}
