import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_PATH, spawnCli, type SpawnedCli } from '../tools/spawn-cli.js';

/** One line of the summary: what was measured, against which target. */
export interface BenchRow {
  readonly name: string;
  readonly figure: string;
  readonly target: string;
  /** SKIP: could not be measured here (the row says why); INFO: no target. */
  readonly verdict: 'PASS' | 'MISS' | 'SKIP' | 'INFO';
}

export const verdict = (pass: boolean): BenchRow['verdict'] => (pass ? 'PASS' : 'MISS');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));

export function printRow(row: BenchRow): void {
  process.stdout.write(
    `  ${row.verdict.padEnd(4)}  ${row.name}: ${row.figure} (target ${row.target})\n`,
  );
}

/** Runs a command to its end without blocking this process's event loop (the emulator runs here). */
export function runCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const USAGE_PROBE = fileURLToPath(new URL('./usage-probe.mjs', import.meta.url));

export interface ProbedRun extends SpawnedCli {
  readonly wallMs: number;
  /** The CLI process's user + system CPU time. */
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

/** Runs the built CLI with the usage probe loaded, and reads back its CPU time and peak RSS. */
export function runProbedCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  nodePath: string = process.execPath,
): Promise<ProbedRun> {
  return runProbedScript(CLI_PATH, args, env, nodePath);
}

/** Runs a script of dist/ (the CLI or a benchmark's own) with the usage probe loaded. */
export async function runProbedScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  nodePath: string = process.execPath,
): Promise<ProbedRun> {
  const usageFile = join(mkdtempSync(join(tmpdir(), 'eksposure-bench-')), 'usage.json');
  const started = performance.now();
  const run = await spawnCli(args, { ...env, EKSPOSURE_USAGE_FILE: usageFile }, 'pipe', script, {
    path: nodePath,
    args: ['--import', USAGE_PROBE],
  });
  const wallMs = performance.now() - started;
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuMs: number; maxRssKb: number };
  return { ...run, wallMs, ...usage };
}

/** Region names for fixtures: the 17 regions every account has. */
export const SEVENTEEN_REGIONS = [
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
] as const;
