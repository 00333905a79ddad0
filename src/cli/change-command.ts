import { readFileSync } from 'node:fs';
import type { JournalEntry, TornLine } from '../remediation/journal.js';
import { parseJournal } from '../remediation/journal.js';
import { parseDuration, parsePollInterval } from './apply-options.js';
import type { ApplySession } from './apply-flow.js';
import {
  type AwsAccess,
  type AwsAccessArgs,
  resolveAwsAccess,
  wholeNumber,
} from './aws-options.js';
import type { RoleOptions } from '../aws/assume-role.js';
import type { AccountRef } from '../remediation/accounts.js';
import { type AccountSource, callerSessionOf, openAccountSessions } from './change-accounts.js';
import {
  type AccountScope,
  type PaceArgs,
  parsePacing,
  type RoleArgs,
  resolveRoleOptions,
} from './account-options.js';
import { openAwsSession } from './aws-session.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';

export interface ChangeCommandArgs extends AwsAccessArgs, RoleArgs, PaceArgs {
  readonly timeout: string;
  readonly 'poll-interval': number;
  readonly concurrency: number;
  readonly output: 'text' | 'json';
  readonly 'log-level': string;
}

/** How updates are watched and reported; shared by every command that submits or watches. */
export interface WatchSettings {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  readonly output: 'text' | 'json';
}

export interface ChangeCommandSettings extends WatchSettings {
  readonly access: AwsAccess;
  /** How each entry's role is assumed again (--external-id, --role-session-name, --role-duration). */
  readonly role: RoleOptions;
  /** --pace: each account's calls; null: off. */
  readonly pacing: AccountScope['pacing'];
}

/** Validates the shared flags, before any file, credential or network is touched. */
export function resolveChangeCommand(
  args: ChangeCommandArgs,
  env: Readonly<Record<string, string | undefined>>,
): ChangeCommandSettings {
  return {
    access: resolveAwsAccess(args, env),
    timeoutMs: parseDuration('timeout', args.timeout),
    pollIntervalMs: parsePollInterval(args['poll-interval']),
    concurrency: wholeNumber('concurrency', args.concurrency, 50),
    output: args.output,
    role: resolveRoleOptions(args),
    pacing: parsePacing(args.pace),
  };
}

/** The accounts a plan or journal names, and where they come from (for the wrong-account refusal). */
export interface AccountsToReach {
  readonly refs: readonly AccountRef[];
  readonly source: AccountSource;
}

/**
 * Opens the AWS session, reaches every account named (see openAccountSessions: a plan applied
 * with the wrong credentials is refused here, before anything is submitted) and always closes
 * every client.
 */
export async function withAwsSession<T>(
  deps: CliDeps,
  settings: ChangeCommandSettings,
  logLevel: string,
  reach: AccountsToReach,
  body: (session: ApplySession) => Promise<T>,
): Promise<T> {
  const logger = await deps.createLogger(logLevel);
  const caller = await openAwsSession(deps, settings.access, {
    maxSockets: settings.concurrency + 2,
  });
  try {
    const accounts = await openAccountSessions(
      callerSessionOf(deps, caller, settings.access, settings, settings.concurrency),
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

/** Reads a file the operator named; a missing or unreadable one is a usage error. */
export function readInputFile(what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

export interface JournalFile {
  readonly entries: readonly JournalEntry[];
  readonly torn: TornLine | undefined;
}

export function readJournalFile(path: string): JournalFile {
  const read = parseJournal(readInputFile('journal', path), path);
  if (!read.ok) throw new CliError(read.message);
  return { entries: read.entries, torn: read.torn };
}

/** One line about a journal line cut short, naming what it can of the cluster it was about. */
export function tornLineWarning(path: string, torn: TornLine): string {
  const cluster = torn.clusterName
    ? `${torn.region ? `${torn.region}/` : ''}${torn.clusterName}`
    : torn.clusterArn;
  const about = cluster
    ? `cluster ${cluster}: its last step is not recorded; check it (eksposure audit${torn.region ? ` --regions ${torn.region}` : ''}) before trusting the journal about it`
    : 'it names no cluster that can be read; check the clusters of this plan by hand';
  return `eksposure: ${path} line ${torn.line} was cut short mid-write; ${about}.\n`;
}
