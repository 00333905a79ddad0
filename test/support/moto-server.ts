import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { isolatedAwsEnv } from './cli.js';

/** Python and moto see PATH, an empty HOME and dummy credentials; pyenv's choice passes through. */
export const motoToolEnv = () => isolatedAwsEnv({ PYENV_VERSION: process.env.PYENV_VERSION });

export function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why moto cannot be used on this machine (no moto_server, or no python3 with boto3), or undefined. */
export function whyMotoUnusable(): string | undefined {
  if (!onPath('moto_server')) return 'moto_server not found on PATH';
  const boto3 = spawnSync('python3', ['-c', 'import boto3'], {
    env: motoToolEnv(),
    stdio: 'ignore',
  });
  if (boto3.status !== 0) return 'python3 with boto3 not found on PATH';
  return undefined;
}

/** `describe` when moto can be used here; else `describe.skip`, after saying on stderr why `what` is skipped. */
export function describeIfMoto(what: string): jest.Describe {
  const missing = whyMotoUnusable();
  if (!missing) return describe;
  // eslint-disable-next-line no-console
  console.warn(`${missing}: skipping ${what}`);
  return describe.skip;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Resolves true when `happened` does, false after `ms`, leaving no timer behind. */
export function within(ms: number, happened: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([happened.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

export interface MotoServer {
  readonly endpoint: string;
  /** What moto printed so far: Werkzeug logs each request once answered. */
  log(): string;
  /**
   * Resolves as soon as moto has printed `text` (checked on each chunk it prints); rejects, with the
   * log, if it has not within `failAfterMs`.
   */
  logged(text: string, failAfterMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts moto_server on a free loopback port and waits until it answers (20 s at most). moto runs
 * in its own process group (the pyenv shim execs python), so stop() ends the group.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  let log = '';
  let exited = false;
  const moto: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: motoToolEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const gone = new Promise<void>((resolve) => moto.once('exit', () => resolve()));
  const onLog = new Set<() => void>();
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    for (const check of [...onLog]) check();
  };
  moto.stdout?.on('data', append);
  moto.stderr?.on('data', append);
  const logged = (text: string, failAfterMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        onLog.delete(check);
        reject(new Error(`moto_server did not log "${text}":\n${log}`));
      }, failAfterMs);
      const check = () => {
        if (!log.includes(text)) return;
        clearTimeout(timer);
        onLog.delete(check);
        resolve();
      };
      onLog.add(check);
      check();
    });
  moto.on('exit', () => (exited = true));
  const kill = (signal: NodeJS.Signals) => {
    if (!moto.pid || exited) return;
    try {
      process.kill(-moto.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    kill('SIGTERM');
    if (!exited && !(await within(5_000, gone))) {
      kill('SIGKILL');
      await within(5_000, gone);
    }
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`moto_server exited before answering:\n${log}`);
    try {
      const answer = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (answer.ok) return { endpoint, stop, log: () => log, logged };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within 20 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
