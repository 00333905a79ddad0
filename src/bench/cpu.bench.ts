/**
 * Row 4: the CLI's CPU time per AWS call, against a bare EKSClient making the same ListClusters and
 * DescribeCluster calls in the same run, on this Node and on Node 22. Each process runs pinned to
 * nothing, against one emulator per size, the subjects taking turns so that a slower minute of the
 * machine falls on all of them; each figure is the median of a few runs.
 */
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.js';
import { emulatorEnv } from '../tools/spawn-cli.js';
import { accountFixture, evenAccount } from './fixtures.js';
import {
  type BenchRow,
  median,
  type ProbedRun,
  round,
  runProbedCli,
  runProbedScript,
  SEVENTEEN_REGIONS,
  verdict,
} from './measure.js';
import { node22Path } from './startup.bench.js';

const SDK_FLOOR = fileURLToPath(new URL('./sdk-floor.mjs', import.meta.url));
const SDK_CLIENTS = fileURLToPath(new URL('./sdk-clients.mjs', import.meta.url));
/** The scan of row 4, and a larger one: the difference is the cost of the extra calls alone. */
const SMALL = 100;
const LARGE = 300;
const RUNS = 3;
const TARGET = 0.8;

type Subject = 'eksposure' | 'clients' | 'bare';

const run = (subject: Subject, env: NodeJS.ProcessEnv, node: string): Promise<ProbedRun> => {
  switch (subject) {
    case 'eksposure':
      return runProbedCli(['audit', '--output', 'json'], env, node);
    case 'clients':
      return runProbedScript(SDK_CLIENTS, SEVENTEEN_REGIONS, env, node);
    case 'bare':
      return runProbedScript(SDK_FLOOR, SEVENTEEN_REGIONS, env, node);
  }
};

const SUBJECTS: readonly Subject[] = ['eksposure', 'bare', 'clients'];

/** Median CPU time and the calls each subject made, at one size. */
async function measureAt(perRegion: number, node: string) {
  const emulator = await startEmulator({
    fixture: accountFixture(evenAccount(perRegion)),
    faults: [],
    seed: 42,
  });
  const cpu = new Map<Subject, number[]>(SUBJECTS.map((s) => [s, []]));
  const calls = new Map<Subject, number>();
  const callsSoFar = () => [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const subject of SUBJECTS) {
        const before = callsSoFar();
        const probed = await run(subject, emulatorEnv(emulator.url), node);
        // The audit exits 1 for the clusters that fail EKS-001, as it should.
        const ok = probed.code === 0 || (subject === 'eksposure' && probed.code === 1);
        if (!ok) throw new Error(`${subject} failed: ${probed.stderr.slice(0, 300)}`);
        cpu.get(subject)!.push(probed.cpuMs);
        calls.set(subject, callsSoFar() - before);
      }
    }
  } finally {
    await emulator.close();
  }
  const of = (s: Subject) => ({ cpuMs: median(cpu.get(s)!), calls: calls.get(s)! });
  return { eksposure: of('eksposure'), clients: of('clients'), bare: of('bare') };
}

type Measured = Awaited<ReturnType<typeof measureAt>>;
const perCall = (m: { cpuMs: number; calls: number }) => m.cpuMs / m.calls;
const extraPerCall = (small: Measured, large: Measured, s: keyof Measured) =>
  (large[s].cpuMs - small[s].cpuMs) / (large[s].calls - small[s].calls);

const scanOf = (perRegion: number) => `${SEVENTEEN_REGIONS.length} x ${perRegion}`;

/**
 * The ratio at both sizes: the larger one lists more than 2,000 clusters, so it also pays for the
 * heap settings a large scan turns on (src/cli/heap-growth.ts).
 */
async function rowsFor(label: string, node: string): Promise<BenchRow[]> {
  const small = await measureAt(SMALL, node);
  const large = await measureAt(LARGE, node);
  const ours = perCall(small.eksposure);
  const ratioRow = (perRegion: number, m: Measured): BenchRow => {
    const ratio = perCall(m.eksposure) / perCall(m.bare);
    return {
      name: `  against a bare EKSClient making the same calls, ${scanOf(perRegion)} (${label})`,
      figure:
        `${round(ratio, 2)}x (eksposure ${round(perCall(m.eksposure), 2)} ms, the bare client ` +
        `${round(perCall(m.bare), 2)} ms: ${round(m.bare.cpuMs)} ms / ${m.bare.calls} calls)`,
      target: `<= ${TARGET}x`,
      verdict: verdict(ratio <= TARGET),
    };
  };
  const extraRatio = extraPerCall(small, large, 'eksposure') / extraPerCall(small, large, 'bare');
  return [
    {
      name: `CLI CPU per AWS call, audit ${scanOf(SMALL)} clusters at 0 ms (${label})`,
      figure:
        `${round(ours, 2)} ms (${round(small.eksposure.cpuMs)} ms CPU incl. start-up / ` +
        `${small.eksposure.calls} calls, median of ${RUNS})`,
      target: '<= 0.5 ms',
      verdict: verdict(ours <= 0.5),
    },
    ratioRow(SMALL, small),
    ratioRow(LARGE, large),
    {
      name: `  each call of ${scanOf(LARGE)} beyond those of ${scanOf(SMALL)} (${label})`,
      figure:
        `eksposure ${round(extraPerCall(small, large, 'eksposure'), 3)} ms, ` +
        `the bare client ${round(extraPerCall(small, large, 'bare'), 3)} ms: ${round(extraRatio, 2)}x`,
      target: 'none',
      verdict: 'INFO',
    },
    {
      name: `  the same calls through eksposure's AWS clients, without the CLI, ${scanOf(SMALL)} (${label})`,
      figure:
        `${round(perCall(small.clients), 2)} ms: ${round(perCall(small.clients) / perCall(small.bare), 2)}x ` +
        `the bare client (the rest of the CLI's cost is its own: start-up, evaluation, report)`,
      target: 'none',
      verdict: 'INFO',
    },
  ];
}

export async function cpuPerCallRows(): Promise<BenchRow[]> {
  const rows = await rowsFor(`Node ${process.versions.node}`, process.execPath);
  const node22 = node22Path();
  if (!node22) {
    rows.push({
      name: 'Node 22: not installed (scripts/install-node22.sh)',
      figure: '-',
      target: 'none',
      verdict: 'INFO',
    });
    return rows;
  }
  return [...rows, ...(await rowsFor('Node 22', node22))];
}
