import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { firstLine, isError } from '../model/errors.js';
import type { AwsClientOptions, AwsClients, CredentialsProvider } from '../aws/clients.js';
import { CliError } from './cli-error.js';

export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
  /** The width to fit text to: the terminal's, else COLUMNS if exported; undefined means no limit. */
  readonly columns?: number | undefined;
}

/** Everything the commands touch outside pure code. One place wires the real ones; tests wire their own. */
export interface CliDeps {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: () => Date;
  // The three below load pino and the AWS SDK when first called: `--help` needs neither.
  createLogger(level: string): Promise<Logger>;
  createCredentials(profile: string | undefined): Promise<CredentialsProvider>;
  createClients(options: AwsClientOptions): Promise<AwsClients>;
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
  /** One line about the runtime, shown once before the first AWS call (e.g. an old Node). */
  readonly runtimeNote?: string | undefined;
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

export async function createLogger(level: string): Promise<Logger> {
  // pino is CommonJS: in the bundle its chunk has only a default export.
  const { default: pino } = await import('pino');
  return pino(
    { name: 'eksposure', level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** The SDK's answer when neither AWS_REGION nor the profile names a region: not an error for us. */
const REGION_NOT_SET = 'Region is missing';

async function configuredRegion(profile: string | undefined): Promise<string | undefined> {
  // Any client resolves the region the same way; EKS's module is the smaller one to load.
  const { EKSClient } = await import('../aws/sdk/eks.js');
  const client = new EKSClient(profile ? { profile } : {});
  try {
    return await client.config.region();
  } catch (error) {
    const message = isError(error) ? error.message : String(error);
    if (message === REGION_NOT_SET) return undefined;
    const where = profile ? `profile "${profile}"` : 'the AWS configuration';
    throw new CliError(
      `could not read the region of ${where}: ${firstLine(message)}; fix ~/.aws/config or set AWS_REGION.`,
    );
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

/** Resolves after `ms`, or early when `signal` aborts (the real clock's sleep). */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // aborted: return early
  }
}

/**
 * The credential chain's own warnings, one line each on stderr. Its nine-line "multiple credential
 * sources" warning is left to openAwsSession, which says the same in one line.
 */
function credentialChainLogger(stderr: OutputStream) {
  const say = (message: unknown) =>
    stderr.write(`eksposure: AWS SDK: ${String(message).replace(/\s+/g, ' ').trim()}\n`);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (message: unknown) => {
      if (!String(message).includes('Multiple credential sources')) say(message);
    },
    error: say,
  };
}

/** Streams whose reader has gone (EPIPE): what is still written to them is dropped. */
const closedByReader = new WeakSet<NodeJS.WriteStream>();
const watched = new WeakSet<NodeJS.WriteStream>();

/**
 * A reader that stops early (`eksposure audit | head -1`) closes the pipe: the rest of the output
 * has nowhere to go, so it is dropped and the command ends as it would have, with its own exit code.
 * Any other write error (a full disk under `> report.json`) still ends the process loudly.
 */
function readerAwareOutput(stream: NodeJS.WriteStream, env: CliDeps['env']): OutputStream {
  if (!watched.has(stream)) {
    watched.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closedByReader.add(stream);
    });
  }
  return {
    write: (text) => {
      if (!closedByReader.has(stream)) stream.write(text);
    },
    isTTY: Boolean(stream.isTTY),
    get columns() {
      return outputWidth(stream, env);
    },
  };
}

/**
 * A terminal's own width; off a terminal, COLUMNS when the caller exported it, else no limit: a log
 * or a pipe keeps whole lines (grep and CI viewers wrap for themselves, truncation would lose data).
 */
export function outputWidth(
  stream: { readonly isTTY?: boolean; readonly columns?: number },
  env: CliDeps['env'],
): number | undefined {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const exported = Number(env.COLUMNS);
  return Number.isInteger(exported) && exported > 0 ? exported : undefined;
}

/** The AWS clients of one set of credentials; the SDK loads on the first call. */
export const createClients: CliDeps['createClients'] = async (options) =>
  (await import('../aws/clients.js')).createAwsClients(options);

export function realDeps(options: { readonly runtimeNote?: string | undefined } = {}): CliDeps {
  const stderr = readerAwareOutput(process.stderr, process.env);
  return {
    stdout: readerAwareOutput(process.stdout, process.env),
    stderr,
    env: process.env,
    clock: () => new Date(),
    createLogger,
    createCredentials: async (profile) => {
      const { fromNodeProviderChain } = await import('../aws/sdk/credential-providers.js');
      return fromNodeProviderChain({
        ...(profile ? { profile } : {}),
        logger: credentialChainLogger(stderr),
      });
    },
    createClients,
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
    runtimeNote: options.runtimeNote,
  };
}
