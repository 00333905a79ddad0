import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import {
  type CliDeps,
  createClients,
  outputWidth,
  REDACTED_LOG_PATHS,
  sleep,
} from '../../src/cli/deps.js';
import { runCli as runCliInProcess } from '../../src/cli/run.js';
import { nodeSupportNote, SDK_NODE_WARNING_SWITCH } from '../../src/cli/runtime-note.js';
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

/**
 * The AWS SDK reads some settings (config and credentials files, FIPS and endpoint variables) from
 * the process it runs in, whatever a run's `env` says: an in-process run must find none of the
 * developer's own. Set once, when the first test of a file loads this harness.
 */
function isolateThisProcessFromAws(): void {
  const home = mkdtempSync(join(tmpdir(), 'eksposure-sdk-home-'));
  for (const name of Object.keys(process.env))
    if (name.startsWith('AWS_')) delete process.env[name];
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}
isolateThisProcessFromAws();

/** What a run wrote to one of its streams, as a pipe (not a terminal) would take it. */
function capturedStream(env: Record<string, string>) {
  let text = '';
  return {
    stream: {
      write: (chunk: string) => void (text += chunk),
      isTTY: false,
      get columns() {
        return outputWidth({ isTTY: false }, env);
      },
    },
    text: () => text,
  };
}

/**
 * The credentials a real process would find in `env` through the default chain's first link
 * (static keys, as AWS_ACCESS_KEY_ID and the rest give them). A run that needs more of the chain
 * (a profile, no keys at all) is refused: it belongs in a real process (runSpawnedCli).
 */
function envCredentials(env: Record<string, string>): CliDeps['createCredentials'] {
  return (profile) => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (profile !== undefined || !accessKeyId || !secretAccessKey) {
      throw new Error(
        'the in-process CLI reads static keys from its env only: run this command with runSpawnedCli',
      );
    }
    const expiration = env.AWS_CREDENTIAL_EXPIRATION;
    const credentials = {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(expiration ? { expiration: new Date(expiration) } : {}),
    };
    return Promise.resolve(() => Promise.resolve(credentials));
  };
}

/**
 * The edges of one in-process run: the real AWS SDK clients, clock and sleep, with stdout and
 * stderr captured, `env` in place of the process's environment, no terminal (so no question is
 * asked) and no signal. Nothing touches the test process's own streams.
 */
export function inProcessDeps(env: Record<string, string>) {
  const stdout = capturedStream(env);
  const stderr = capturedStream(env);
  const deps: CliDeps = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env,
    createLogger: (level) =>
      Promise.resolve(
        pino(
          { name: 'eksposure', level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
          { write: (line: string) => stderr.stream.write(line) },
        ),
      ),
    createCredentials: envCredentials(env),
    configuredRegion: () => Promise.resolve(env.AWS_REGION || undefined),
    createClients,
    clock: () => new Date(),
    sleep,
    newId: randomUUID,
    untilSignal: () => new Promise<string>(() => undefined),
    stdinIsTTY: false,
    prompt: () => Promise.resolve(undefined),
    runtimeNote: nodeSupportNote(process.version, env),
  };
  return { deps, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Whether a run needs what only a process of its own has: the AWS SDK's credential chain beyond
 * static keys (a profile, or no keys at all), which reads the process's own environment and files;
 * or Node's own warnings on stderr (a test that unsets NODE_NO_WARNINGS looks for them).
 */
function needsOwnProcess(args: readonly string[], env: Record<string, string>): boolean {
  return (
    args.includes('--profile') ||
    env.AWS_PROFILE !== undefined ||
    !env.AWS_ACCESS_KEY_ID ||
    !env.AWS_SECRET_ACCESS_KEY ||
    env.NODE_NO_WARNINGS !== '1'
  );
}

/**
 * Runs the CLI as `eksposure ARGS` would run with `env` as its environment and (when given) `cwd`
 * as its working directory. In this process (the real parser, handlers and AWS SDK clients against
 * whatever server the arguments name), unless the run needs a process of its own (see
 * needsOwnProcess): then the built CLI is spawned. Signals, EPIPE, start-up and the bundle itself
 * are tested with runSpawnedCli or startCli.
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string> = isolatedAwsEnv(),
  cwd?: string,
): Promise<CliRun> {
  if (needsOwnProcess(args, env)) return runSpawnedCli(args, env, cwd);
  // As the CLI's entry point does: the SDK's own Node-version warning is the CLI's to give.
  process.env[SDK_NODE_WARNING_SWITCH] = 'true';
  const run = inProcessDeps(env);
  const before = process.cwd();
  if (cwd !== undefined) process.chdir(cwd);
  try {
    const code = await runCliInProcess(args, run.deps);
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    if (cwd !== undefined) process.chdir(before);
  }
}

/** Runs the built CLI (dist/) as a user would, in its own process (in `cwd` when given). */
export function runSpawnedCli(
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
    child.on('close', (code, signal) =>
      // A process a signal ended has no exit code: say which signal, so a failure shows it.
      resolve({ code, stdout, stderr: signal ? `${stderr}[ended by ${signal}]\n` : stderr }),
    ),
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

/** The arguments of `audit --rules EKS-003 --output json` of one region against `endpoint`. */
export const nodeAuditArgs = (endpoint: string, region: string): string[] => [
  'audit',
  '--endpoint-url',
  endpoint,
  '--regions',
  region,
  '--rules',
  'EKS-003',
  '--output',
  'json',
];

/** A refusal of bad input: exit 2, nothing on stdout, one line on stderr (returned). */
export function oneLineRefusal(run: CliRun): string {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}
