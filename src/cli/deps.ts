import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { EC2Client } from '@aws-sdk/client-ec2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { pino, type Logger } from 'pino';
import {
  type AwsClientOptions,
  type AwsClients,
  createAwsClients,
  type CredentialsProvider,
} from '../aws/clients.js';

export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** Everything the commands touch outside pure code. One place wires the real ones; tests wire their own. */
export interface CliDeps {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: () => Date;
  createLogger(level: string): Logger;
  createCredentials(profile: string | undefined): CredentialsProvider;
  createClients(options: AwsClientOptions): AwsClients;
  /** The region AWS_REGION or the profile's config names, if any. */
  configuredRegion(profile: string | undefined): Promise<string | undefined>;
  /** Resolves with the signal's name on SIGINT or SIGTERM. */
  untilSignal(): Promise<string>;
  /** Whether a person can answer a question on stdin. */
  readonly stdinIsTTY: boolean;
  /** Asks on stderr, reads one line from stdin; undefined when stdin closes or Ctrl-C. */
  prompt(question: string): Promise<string | undefined>;
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A fresh unique id (plan ids). */
  newId(): string;
}

/** Paths pino masks wherever they appear in a log line: no secret reaches stderr. */
export const REDACTED_LOG_PATHS = [
  'credentials',
  '*.credentials',
  'accessKeyId',
  '*.accessKeyId',
  'secretAccessKey',
  '*.secretAccessKey',
  'sessionToken',
  '*.sessionToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

export function createLogger(level: string): Logger {
  return pino(
    { name: 'eksposure', level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
    pino.destination({ fd: 2, sync: true }),
  );
}

async function configuredRegion(profile: string | undefined): Promise<string | undefined> {
  const client = new EC2Client(profile ? { profile } : {});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

function prompt(question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    const finish = (answer: string | undefined) => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(answer);
    };
    rl.on('SIGINT', () => finish(undefined));
    rl.on('close', () => finish(undefined));
    rl.question(question, (answer) => finish(answer));
  });
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // aborted: return early
  }
}

export function realDeps(): CliDeps {
  return {
    stdout: {
      write: (text) => void process.stdout.write(text),
      isTTY: Boolean(process.stdout.isTTY),
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      isTTY: Boolean(process.stderr.isTTY),
    },
    env: process.env,
    clock: () => new Date(),
    createLogger,
    createCredentials: (profile) => fromNodeProviderChain(profile ? { profile } : {}),
    createClients: createAwsClients,
    configuredRegion,
    untilSignal: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    prompt,
    sleep,
    newId: randomUUID,
  };
}
