import { isObject } from '../json-shape.js';
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { firstLine } from '../model/errors.js';
import { dirname, resolve } from 'node:path';
import { type AccountRef, accountOfArn, accountProblem } from './accounts.js';
import {
  type EndpointChange,
  type EndpointConfig,
  isEndpointChange,
  isEndpointConfig,
} from './endpoint-config.js';

/** Bump on any change a consumer could notice; schemas/journal-entry.schema.json mirrors this. */
export const JOURNAL_SCHEMA_VERSION = '2.0.0';

/**
 * Submitting: written before UpdateClusterConfig is sent. InProgress/Successful/Failed/Cancelled:
 * the update's status as EKS reported it. Verified / VerificationFailed: what DescribeCluster
 * showed after Successful. SubmitFailed: EKS refused the call. WatchStopped: eksposure stopped
 * watching (timeout or signal) while the update was still running in AWS.
 */
export type JournalStatus =
  | 'Submitting'
  | 'InProgress'
  | 'Successful'
  | 'Failed'
  | 'Cancelled'
  | 'Verified'
  | 'VerificationFailed'
  | 'SubmitFailed'
  | 'WatchStopped';

/** accountId and roleArn (null: the caller's own credentials) say where and how the change was made. */
export interface JournalEntry extends AccountRef {
  readonly schemaVersion: string;
  readonly at: string;
  readonly planId: string;
  readonly mode: string;
  readonly region: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly before: EndpointConfig;
  readonly requested: EndpointChange;
  readonly updateId: string | null;
  readonly status: JournalStatus;
  readonly errors: readonly { readonly code: string; readonly message: string }[];
}

/** A journal line that could not be written: the executor decides what that means for the update. */
export type JournalWrite =
  { readonly ok: true } | { readonly ok: false; readonly error: { code: string; message: string } };

export interface Journal {
  readonly path: string;
  record(entry: Omit<JournalEntry, 'schemaVersion' | 'at'>): JournalWrite;
  /** Releases the lock; the journal itself stays. */
  close(): void;
}

export type JournalOpen =
  | { readonly ok: true; readonly journal: Journal }
  | { readonly ok: false; readonly message: string };

const writeError = (error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  return { code: e.code ?? e.name, message: firstLine(e.message) };
};

/** Whether a process with this id runs (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `<journal>.lock`, created exclusively and holding our pid, so two runs never interleave lines in
 * one journal. A lock whose process no longer runs is stale (a crash) and is taken over.
 */
function takeLock(lockPath: string, journalPath: string): string | undefined {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: number;
    try {
      holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue;
    }
    if (Number.isInteger(holder) && holder > 0 && processRuns(holder)) {
      return `${journalPath} is in use by another eksposure run (process ${holder}, lock ${lockPath}); wait for it to end, or use another --journal.`;
    }
    rmSync(lockPath, { force: true });
  }
  return `could not lock ${journalPath}: ${lockPath} keeps reappearing; is another eksposure run starting?`;
}

/**
 * Locks the journal and appends one JSON line per event, synchronously: the line is on disk
 * before the AWS call it announces is made, so a crash never leaves an update the journal does
 * not know about. A journal that cannot be created or locked is refused with one line.
 */
export function openJournal(file: string, clock: () => Date): JournalOpen {
  const path = resolve(file);
  const lockPath = `${path}.lock`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const refused = takeLock(lockPath, path);
    if (refused) return { ok: false, message: refused };
    appendFileSync(path, '');
  } catch (error) {
    const cause = writeError(error);
    return {
      ok: false,
      message: `cannot write the journal ${path}: ${cause.message}; give a writable path with --journal.`,
    };
  }
  // After a failed write nothing more is appended: a line cut short stays the last line, which
  // readers forgive, instead of damage in the middle, which they refuse.
  let broken: JournalWrite | undefined;
  return {
    ok: true,
    journal: {
      path,
      record: (entry) => {
        if (broken) return broken;
        const line: JournalEntry = {
          schemaVersion: JOURNAL_SCHEMA_VERSION,
          at: clock().toISOString(),
          ...entry,
        };
        try {
          appendFileSync(path, `${JSON.stringify(line)}\n`);
          return { ok: true };
        } catch (error) {
          broken = { ok: false, error: writeError(error) };
          return broken;
        }
      },
      close: () => rmSync(lockPath, { force: true }),
    },
  };
}

const STATUSES = new Set<string>([
  'Submitting',
  'InProgress',
  'Successful',
  'Failed',
  'Cancelled',
  'Verified',
  'VerificationFailed',
  'SubmitFailed',
  'WatchStopped',
]);

const CURRENT_MAJOR = `${JOURNAL_SCHEMA_VERSION.split('.')[0]}.`;

/**
 * 1.x lines (written before accounts were recorded) are read as lines of the cluster ARN's account
 * made with the caller's own credentials, which is what eksposure 1.x always used: a journal
 * holds changes in flight or to roll back, and must outlive an upgrade.
 */
function upgradedLine(v: Record<string, unknown>): Record<string, unknown> {
  if (typeof v.schemaVersion !== 'string' || !v.schemaVersion.startsWith('1.')) return v;
  const accountId = typeof v.clusterArn === 'string' ? accountOfArn(v.clusterArn) : undefined;
  return { ...v, accountId, roleArn: null };
}

function entryProblem(v: Record<string, unknown>): string | undefined {
  if (
    typeof v.schemaVersion !== 'string' ||
    !(v.schemaVersion.startsWith('1.') || v.schemaVersion.startsWith(CURRENT_MAJOR))
  )
    return `schemaVersion ${JSON.stringify(v.schemaVersion)} is not 1.x or ${CURRENT_MAJOR}x (written by a newer eksposure?)`;
  for (const field of ['at', 'planId', 'mode', 'region', 'clusterName', 'clusterArn'] as const) {
    if (typeof v[field] !== 'string' || v[field] === '') return `${field} is missing`;
  }
  const account = accountProblem(v, v.clusterArn as string);
  if (account) return account.replace(/^has /, 'it has ');
  if (!isEndpointConfig(v.before)) return 'before is not an endpoint configuration';
  if (!isEndpointChange(v.requested)) return 'requested is not an endpoint change';
  if (v.updateId !== null && typeof v.updateId !== 'string') return 'updateId is not a string';
  if (typeof v.status !== 'string' || !STATUSES.has(v.status)) return 'status is not known';
  if (!Array.isArray(v.errors)) return 'errors is not a list';
  return undefined;
}

/** A line cut short (a crash or a full disk mid-write): what could still be read of it. */
export interface TornLine {
  readonly line: number;
  readonly region: string | undefined;
  readonly clusterName: string | undefined;
  readonly clusterArn: string | undefined;
}

export type JournalRead =
  | { readonly ok: true; readonly entries: JournalEntry[]; readonly torn: TornLine | undefined }
  | { readonly ok: false; readonly message: string };

const stringField = (text: string, field: string) =>
  new RegExp(`"${field}":"([^"\\\\]+)"`).exec(text)?.[1];

function tornLine(text: string, line: number): TornLine {
  return {
    line,
    region: stringField(text, 'region'),
    clusterName: stringField(text, 'clusterName'),
    clusterArn: stringField(text, 'clusterArn'),
  };
}

/**
 * Pure: parses a journal's text; the first bad line is named. A last line cut mid-write is not
 * an error, but it is returned (with whatever cluster it names) so nobody forgets it.
 */
export function parseJournal(text: string, path: string): JournalRead {
  const entries: JournalEntry[] = [];
  let torn: TornLine | undefined;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const isLastLine = index === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (isLastLine) {
        torn = tornLine(line, index + 1);
        break;
      }
      return {
        ok: false,
        message: `${path} line ${index + 1} is not JSON: is this an eksposure journal?`,
      };
    }
    if (!isObject(value))
      return { ok: false, message: `${path} line ${index + 1}: not a JSON object.` };
    const entry = upgradedLine(value);
    const problem = entryProblem(entry);
    if (problem) return { ok: false, message: `${path} line ${index + 1}: ${problem}.` };
    entries.push(entry as unknown as JournalEntry);
  }
  if (entries.length === 0 && !torn)
    return { ok: false, message: `${path} has no journal entries.` };
  return { ok: true, entries, torn };
}

/** The newest entry per cluster ARN, in order of first appearance. */
export function latestByCluster(entries: readonly JournalEntry[]): JournalEntry[] {
  const latest = new Map<string, JournalEntry>();
  for (const entry of entries) latest.set(entry.clusterArn, entry);
  return [...latest.values()];
}

/**
 * What rollback may put back: clusters changed and verified, and clusters whose update ended
 * Successful but did not verify, since AWS changed them all the same.
 */
export function rollbackCandidates(entries: readonly JournalEntry[]): JournalEntry[] {
  return latestByCluster(entries).filter(
    (e) => e.status === 'Verified' || (e.status === 'VerificationFailed' && e.updateId !== null),
  );
}

/**
 * Updates that may still run, or have ended without eksposure seeing it: watched by resume. A
 * Successful last line means eksposure stopped between the end and the verification.
 */
export function updatesStillInFlight(entries: readonly JournalEntry[]): JournalEntry[] {
  return latestByCluster(entries).filter(
    (e) =>
      e.updateId !== null &&
      (e.status === 'InProgress' || e.status === 'WatchStopped' || e.status === 'Successful'),
  );
}

/** Submits whose answer never reached the journal: resume asks AWS what became of them. */
export function unconfirmedSubmits(entries: readonly JournalEntry[]): JournalEntry[] {
  return latestByCluster(entries).filter((e) => e.status === 'Submitting');
}
