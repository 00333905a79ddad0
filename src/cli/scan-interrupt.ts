import type { Logger } from 'pino';
import type { AwsClients, CredentialsProvider } from '../aws/clients.js';
import type { Pacer } from '../aws/pacing.js';
import { exitCodeForSignal } from '../report/audit-report.js';
import { interruptible } from './apply-flow.js';
import type { AwsConnection } from './aws-options.js';
import { openAwsSession } from './aws-session.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';

export interface ScanInterrupt {
  /** Aborts on SIGINT or SIGTERM while the scan runs. */
  readonly signal: AbortSignal;
  /** From now on a signal also abandons every call these clients have in flight. */
  watch(clients: AwsClients): void;
  /** Ends the command (one line, exit 130 or 143) when a signal came. */
  throwIfInterrupted(): void;
  /** The scan is over: later signals are for whatever runs next (apply handles its own). */
  release(): void;
}

/**
 * SIGINT/SIGTERM during a read-only scan (audit, remediate before it applies anything): every
 * call in flight is abandoned, so the command ends within moments whatever the server does.
 * Without a handler, node as PID 1 in a container would ignore `docker stop`'s SIGTERM.
 */
export function interruptScanOnSignal(deps: CliDeps): ScanInterrupt {
  let watched: AwsClients | undefined;
  let released = false;
  const interrupt = interruptible(deps, () => {
    if (!released) watched?.destroy();
  });
  return {
    signal: interrupt.signal,
    watch: (clients) => {
      watched = clients;
      if (interrupt.signal.aborted) clients.destroy();
    },
    throwIfInterrupted: () => {
      const name = interrupt.interruptedBy();
      if (name === null || released) return;
      throw new CliError(
        `${name} received: the scan was interrupted before it finished; nothing was changed.`,
        exitCodeForSignal(name),
      );
    },
    release: () => {
      released = true;
    },
  };
}

export interface ScanSession {
  readonly logger: Logger;
  readonly interrupt: ScanInterrupt;
  readonly clients: AwsClients;
  readonly credentials: CredentialsProvider;
  readonly homeRegion: string;
}

/**
 * How audit and remediate start a scan: the logger, signals watched before the session opens (so a
 * signal during credential resolution is not lost), then the clients, which a signal abandons.
 */
export async function openScanSession(
  deps: CliDeps,
  connection: AwsConnection,
  logLevel: string,
  /** Paces the caller's own calls (a multi-account run: Organizations, STS). */
  pacer?: Pacer,
): Promise<ScanSession> {
  const logger = await deps.createLogger(logLevel);
  const interrupt = interruptScanOnSignal(deps);
  const { clients, credentials, homeRegion } = await openAwsSession(deps, connection, {
    maxSockets: connection.concurrency + 2,
    fallbackRegion: connection.regions?.[0],
    pacer,
  });
  interrupt.watch(clients);
  return { logger, interrupt, clients, credentials, homeRegion };
}
