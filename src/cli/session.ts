/**
 * The AWS session of a command: credentials checked once, the home region, the caller's clients,
 * and SIGINT/SIGTERM watched so that a signal abandons every call in flight.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { CallerAws } from '../app/ports.js';
import { type ReachedAccounts, reachAccounts, type AccountsSource } from '../app/reach-accounts.js';
import { accountPacer, callerAws, CONNECT_TIMEOUT_MS, type ReachSettings } from '../aws/caller.js';
import type { AwsClients, CredentialsProvider } from '../aws/clients.js';
import { checkCredentials } from '../aws/credentials.js';
import { createPacingModel, type PacePolicy, type Pacer, type PacingModel } from '../aws/pacing.js';
import type { PacePolicies } from './options/account-options.js';
import type { AccountRef } from '../model/accounts.js';
import { REGION_NAME_PATTERN } from '../model/aws-names.js';
import type { Clock } from '../model/time.js';
import type { AwsAccess } from './options/aws-options.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';
import { exitCodeForRefusal, exitCodeForSignal } from './exit-codes.js';
import { keepHeapNearLiveSize, onceManyClustersListed } from './heap-growth.js';

const DEFAULT_HOME_REGION = 'us-east-1';

export interface AwsSession {
  readonly clients: AwsClients;
  /** The caller's credentials (what roles in other accounts are assumed with). */
  readonly credentials: CredentialsProvider;
  /** Where account-wide calls (DescribeRegions) go. */
  readonly homeRegion: string;
}

/** The clock the use cases get: the deps' own. */
export const clockOf = (deps: Pick<CliDeps, 'clock' | 'sleep'>): Clock => ({
  now: () => deps.clock().getTime(),
  sleep: deps.sleep,
});

/**
 * Resolves the credentials once (a missing or expired one is a usage error, before any AWS call),
 * picks the home region and wires the per-region clients.
 */
export async function openAwsSession(
  deps: CliDeps,
  access: AwsAccess,
  options: {
    readonly maxSockets: number;
    readonly fallbackRegion?: string | undefined;
    readonly pacer?: Pacer | undefined;
  },
): Promise<AwsSession> {
  if (deps.runtimeNote) deps.stderr.write(`${deps.runtimeNote}\n`);
  if (access.profile && deps.env.AWS_ACCESS_KEY_ID && deps.env.AWS_SECRET_ACCESS_KEY) {
    deps.stderr.write(
      `eksposure: note: using profile "${access.profile}"; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are ignored.\n`,
    );
  }
  const credentials = await deps.createCredentials(access.profile);
  const credentialCheck = await checkCredentials(credentials, deps.clock(), access.profile);
  if (!credentialCheck.ok) throw new CliError(credentialCheck.message);

  const homeRegion =
    (await deps.configuredRegion(access.profile)) ?? options.fallbackRegion ?? DEFAULT_HOME_REGION;
  if (!REGION_NAME_PATTERN.test(homeRegion)) {
    throw new CliError(
      `the configured region "${homeRegion}" (AWS_REGION or the profile's region) is not a region name such as us-east-1.`,
    );
  }
  const clients = await deps.createClients({
    credentials,
    endpoints: access.endpoints,
    maxAttempts: access.maxAttempts,
    maxSockets: options.maxSockets,
    requestTimeoutMs: access.requestTimeoutMs,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    pacer: options.pacer,
  });
  return { clients, credentials, homeRegion };
}

/** SIGINT/SIGTERM abort the signal; the name of the first one is kept for the exit code. */
export function interruptible(
  deps: Pick<CliDeps, 'untilSignal'>,
  onSignal: (name: string) => void,
) {
  const controller = new AbortController();
  // Every AWS call and every probe request in flight listens to this one signal: hundreds at once
  // are expected, not a leak, and Node's warning about them would only alarm the reader.
  setMaxListeners(0, controller.signal);
  let interruptedBy: string | null = null;
  void deps.untilSignal().then((name) => {
    interruptedBy = name;
    onSignal(name);
    controller.abort();
  });
  return { signal: controller.signal, interruptedBy: () => interruptedBy };
}

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
export function interruptScanOnSignal(deps: Pick<CliDeps, 'untilSignal'>): ScanInterrupt {
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

export interface ScanSession extends AwsSession {
  readonly logger: Logger;
  readonly interrupt: ScanInterrupt;
}

/**
 * How audit, remediate and probe start: the logger, signals watched before the session opens (so
 * a signal during credential resolution is not lost), then the clients, which a signal abandons.
 */
export async function openScanSession(
  deps: CliDeps,
  connection: AwsAccess & {
    readonly concurrency: number;
    readonly regions?: readonly string[] | undefined;
  },
  logLevel: string,
  /** Paces the caller's own calls (a multi-account run: Organizations, STS). */
  pacer?: Pacer,
): Promise<ScanSession> {
  const logger = await deps.createLogger(logLevel);
  const interrupt = interruptScanOnSignal(deps);
  const session = await openAwsSession(deps, connection, {
    maxSockets: connection.concurrency + 2,
    fallbackRegion: connection.regions?.[0],
    pacer,
  });
  interrupt.watch(session.clients);
  return { ...session, logger, interrupt };
}

const OFF: PacePolicy = { kind: 'off' };
const PACE_OFF = { eks: OFF, ec2: OFF, sts: OFF, organizations: OFF, securityhub: OFF };

/**
 * What a scan's pacers start from and learn, for every account of the run. A run across accounts
 * starts paced (the default rates, or --pace's); the caller's own account alone is not paced until
 * AWS first throttles it. With --pace off nothing is paced, and throttles are only counted.
 */
export function pacingFor(scope: {
  readonly source: { readonly kind: string };
  readonly pacing: PacePolicies | null;
}): PacingModel {
  if (scope.pacing === null) return createPacingModel(PACE_OFF);
  if (scope.source.kind !== 'caller') return createPacingModel(scope.pacing);
  const whenThrottled = (policy: PacePolicy): PacePolicy => {
    if (policy.kind === 'off') return policy;
    const resume = policy.kind === 'learning' ? policy.resume : policy.rate;
    return { kind: 'learning', start: null, resume };
  };
  const p = scope.pacing;
  return createPacingModel({
    eks: whenThrottled(p.eks),
    ec2: whenThrottled(p.ec2),
    sts: whenThrottled(p.sts),
    organizations: whenThrottled(p.organizations),
    securityhub: whenThrottled(p.securityhub),
  });
}

/** The pacer of the caller's own calls (its account, or across accounts Organizations and STS). */
export const callerPacerFor = (
  deps: Pick<CliDeps, 'clock' | 'sleep'>,
  pacing: PacingModel | null,
): Pacer | undefined => accountPacer(pacing, clockOf(deps));

/** The caller's AWS as the use cases take it: its own account, and every other through its role. */
export function callerPorts(
  deps: CliDeps,
  session: AwsSession,
  settings: ReachSettings,
  callerPacer: Pacer | undefined,
): CallerAws {
  const clock = clockOf(deps);
  const caller = callerAws({
    createClients: (options) => deps.createClients(options),
    credentials: session.credentials,
    clients: session.clients,
    settings,
    homeRegion: session.homeRegion,
    callerPacer: callerPacer ?? accountPacer(settings.pacing, clock),
    clock,
  });
  // A large scan trades some CPU for memory (see heap-growth.ts).
  return onceManyClustersListed(caller, keepHeapNearLiveSize);
}

/** What apply, rollback and resume work with: every account their file names, reached. */
export interface ChangeSession {
  readonly accounts: ReachedAccounts;
  readonly logger: Logger;
}

/**
 * Opens the AWS session, reaches every account named (a plan applied with the wrong credentials
 * is refused here, before anything is submitted) and always closes every client.
 */
export async function withChangeSession<T>(
  deps: CliDeps,
  settings: ReachSettings,
  access: AwsAccess,
  logLevel: string,
  reach: { readonly refs: readonly AccountRef[]; readonly source: AccountsSource },
  body: (session: ChangeSession) => Promise<T>,
): Promise<T> {
  const logger = await deps.createLogger(logLevel);
  const caller = await openAwsSession(deps, access, { maxSockets: settings.concurrency + 2 });
  try {
    const accounts = await reachCallerAccounts(
      callerPorts(deps, caller, settings, undefined),
      caller.homeRegion,
      reach.refs,
      reach.source,
    );
    try {
      return await body({ accounts, logger });
    } finally {
      accounts.destroy();
    }
  } finally {
    caller.clients.destroy();
  }
}

/** reachAccounts, its refusal ending the command in one line. */
export async function reachCallerAccounts(
  caller: CallerAws,
  homeRegion: string,
  refs: readonly AccountRef[],
  source: AccountsSource,
): Promise<ReachedAccounts> {
  const reached = await reachAccounts(caller, homeRegion, refs, source);
  if (reached.kind === 'refused')
    throw new CliError(reached.message, exitCodeForRefusal(reached.refusal));
  return reached.accounts;
}
