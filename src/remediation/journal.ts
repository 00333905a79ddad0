/**
 * The journal's format: one JSON line per event of each cluster's change, and what a journal read
 * back says is still open. Pure; src/cli/journal-file.ts keeps it on disk.
 */
import type { AccountRef } from '../model/accounts.js';
import type { EndpointChange, EndpointConfig } from '../model/endpoint.js';
import { isObject } from '../model/json-shape.js';
import { accountOfArn, accountProblem } from './accounts.js';
import { isEndpointChange, isEndpointConfig } from './endpoint-config.js';

/** Bump on any change a consumer could notice; schemas/journal-entry.schema.json mirrors this. */
export const JOURNAL_SCHEMA_VERSION = '2.1.0';

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
  /** Present (true) when the plan was made with --allow-drift: a cluster managed as code was changed anyway (since 2.1.0). */
  readonly allowDrift?: true;
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
