/**
 * Peak RSS of `audit --output json` and of the remediate dry run at 1,000, 5,000 and 10,000
 * clusters in 17 regions (4,000 in one at 10,000), at 0 ms per call, from the CLI process's own
 * resource usage.
 */
import { startEmulator } from '../emulator/server.js';
import { emulatorEnv } from '../tools/spawn-cli.js';
import { accountFixture, clusterCount, skewedAccount } from './fixtures.js';
import { type BenchRow, round, runProbedCli, verdict } from './measure.js';

const SIZES = [1_000, 5_000, 10_000];
const TARGET_MB = 150;

interface Measured {
  readonly clusters: number;
  readonly rssMb: number;
  readonly wallMs: number;
  readonly outputBytes: number;
}

async function measure(command: string[], total: number): Promise<Measured> {
  const account = skewedAccount(total);
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
    };
  } finally {
    await emulator.close();
  }
}

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
