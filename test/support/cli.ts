import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnCli, type SpawnedCli } from '../../src/tools/spawn-cli.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(REPO_ROOT, 'dist', 'eksposure.mjs');

export type CliRun = SpawnedCli;

/**
 * An environment with dummy static credentials and nothing of the developer's own AWS set-up:
 * HOME is an empty folder (no ~/.aws), and the instance-metadata lookup is off so a missing
 * credential never sends traffic off this machine.
 */
export function isolatedAwsEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: mkdtempSync(join(tmpdir(), 'eksposure-home-')),
    AWS_ACCESS_KEY_ID: 'AKIAEKSPOSURETEST000',
    AWS_SECRET_ACCESS_KEY: 'eksposure-test-secret-do-not-print',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    NODE_NO_WARNINGS: '1',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

/** Runs the built CLI (dist/) as a user would, in its own process (in `cwd` when given). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = isolatedAwsEnv(),
  cwd?: string,
): Promise<CliRun> {
  return spawnCli(args, env, 'pipe', CLI, undefined, cwd);
}

export interface RunningCli {
  readonly stderr: () => string;
  /** Resolves when `ready()` holds (checked every 25 ms); fails the test after `timeoutMs`. */
  waitFor(ready: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  signal(name: NodeJS.Signals): void;
  readonly exited: Promise<CliRun>;
}

/** Starts the built CLI and returns at once, so a test can act while it runs. */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = isolatedAwsEnv(),
): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<CliRun>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return {
    stderr: () => stderr,
    waitFor: async (ready, what, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!ready()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    signal: (name) => child.kill(name),
    exited,
  };
}
