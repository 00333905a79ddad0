/**
 * The audit against the Conformity EKS-001 page's manual procedure with the AWS CLI: `aws eks
 * list-clusters` per region and `aws eks describe-cluster` per cluster, one after another as a
 * person's shell loop runs them, against the same emulator at 50 ms per call.
 */
import { startEmulator } from '../emulator/server.js';

import { emulatorEnv } from '../tools/spawn-cli.js';
import { accountFixture } from './fixtures.js';
import { type BenchRow, median, round, runCommand, runProbedCli, verdict } from './measure.js';
import { node22Path } from './startup.bench.js';
import { type AuditReport } from '../model/findings.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const CLUSTERS_PER_REGION = 15;
const LATENCY_MS = 50;
const TARGET = 100;
const NAME = `audit ${REGIONS.length} regions x ${CLUSTERS_PER_REGION} clusters vs the aws CLI, ${LATENCY_MS} ms per call`;

async function awsCliVersion(): Promise<string | undefined> {
  try {
    const run = await runCommand('aws', ['--version'], process.env);
    return run.code === 0 ? (run.stdout || run.stderr).trim().split(' ')[0] : undefined;
  } catch {
    return undefined; // not on the PATH
  }
}

/** The manual procedure; returns how many clusters it described. */
async function manualProcedure(endpoint: string): Promise<number> {
  const env = emulatorEnv(endpoint);
  const aws = async (args: string[]) => {
    const run = await runCommand(
      'aws',
      [...args, '--endpoint-url', endpoint, '--output', 'json'],
      env,
    );
    if (run.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout) as { clusters?: string[] };
  };
  let described = 0;
  for (const region of REGIONS) {
    const { clusters = [] } = await aws(['eks', 'list-clusters', '--region', region]);
    for (const name of clusters) {
      await aws(['eks', 'describe-cluster', '--region', region, '--name', name]);
      described += 1;
    }
  }
  return described;
}

const RUNS = 3;

/** eksposure's wall time, the median of a few runs (one run measures the disk cache as much). */
async function oursMedian(endpoint: string, nodePath: string) {
  const walls: number[] = [];
  let clusters = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const run = await runProbedCli(['audit', '--output', 'json'], emulatorEnv(endpoint), nodePath);
    clusters = (JSON.parse(run.stdout) as AuditReport).summary.clusters;
    walls.push(run.wallMs);
  }
  return { wallMs: median(walls), clusters };
}

export async function awsCliRows(): Promise<BenchRow[]> {
  const version = await awsCliVersion();
  if (!version)
    return [
      {
        name: NAME,
        figure: 'not measured: no `aws` on the PATH',
        target: `>= ${TARGET}x faster`,
        verdict: 'SKIP',
      },
    ];
  const fixture = accountFixture(Object.fromEntries(REGIONS.map((r) => [r, CLUSTERS_PER_REGION])));
  const emulator = await startEmulator({ fixture, faults: [{ latencyMs: LATENCY_MS }], seed: 42 });
  try {
    const started = performance.now();
    const described = await manualProcedure(emulator.url);
    const manualMs = performance.now() - started;
    const node22 = node22Path();
    const nodes = [
      { label: `Node ${process.versions.node}`, path: process.execPath },
      ...(node22 ? [{ label: 'Node 22', path: node22 }] : []),
    ];
    const rows: BenchRow[] = [];
    for (const node of nodes) {
      const ours = await oursMedian(emulator.url, node.path);
      const speedup = manualMs / ours.wallMs;
      rows.push({
        name: `${NAME}, ${node.label}`,
        figure:
          `${round(speedup)}x faster (${round(ours.wallMs)} ms for ${ours.clusters} clusters, median of ${RUNS}, vs ` +
          `${round(manualMs)} ms for ${described} with ${version})`,
        target: `>= ${TARGET}x faster`,
        verdict: verdict(speedup >= TARGET),
      });
    }
    return rows;
  } finally {
    await emulator.close();
  }
}
