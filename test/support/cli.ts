import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnCli, type SpawnedCli } from '../../src/tools/spawn-cli.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

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

/** Runs the built CLI (dist/) as a user would, in its own process. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = isolatedAwsEnv(),
): Promise<CliRun> {
  return spawnCli(args, env, 'pipe', CLI);
}
