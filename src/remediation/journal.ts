import { isObject } from '../json-shape.js';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type EndpointChange,
  type EndpointConfig,
  isEndpointChange,
  isEndpointConfig,
} from './endpoint-config.js';

/** Bump on any change a consumer could notice; schemas/journal-entry.schema.json mirrors this. */
export const JOURNAL_SCHEMA_VERSION = '1.0.0';

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

export interface JournalEntry {
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

export interface Journal {
  readonly path: string;
  record(entry: Omit<JournalEntry, 'schemaVersion' | 'at'>): void;
}

/**
 * Appends one JSON line per event, synchronously: the line is on disk before the AWS call it
 * announces is made, so a crash never leaves an update the journal does not know about.
 */
export function openJournal(file: string, clock: () => Date): Journal {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, '');
  return {
    path,
    record: (entry) => {
      const line: JournalEntry = {
        schemaVersion: JOURNAL_SCHEMA_VERSION,
        at: clock().toISOString(),
        ...entry,
      };
      appendFileSync(path, `${JSON.stringify(line)}\n`);
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

function entryProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  if (typeof v.schemaVersion !== 'string' || !v.schemaVersion.startsWith('1.'))
    return `schemaVersion ${JSON.stringify(v.schemaVersion)} is not 1.x`;
  for (const field of ['at', 'planId', 'mode', 'region', 'clusterName', 'clusterArn'] as const) {
    if (typeof v[field] !== 'string' || v[field] === '') return `${field} is missing`;
  }
  if (!isEndpointConfig(v.before)) return 'before is not an endpoint configuration';
  if (!isEndpointChange(v.requested)) return 'requested is not an endpoint change';
  if (v.updateId !== null && typeof v.updateId !== 'string') return 'updateId is not a string';
  if (typeof v.status !== 'string' || !STATUSES.has(v.status)) return 'status is not known';
  if (!Array.isArray(v.errors)) return 'errors is not a list';
  return undefined;
}

export type JournalRead =
  | { readonly ok: true; readonly entries: JournalEntry[] }
  | { readonly ok: false; readonly message: string };

/** Pure: parses a journal's text; the first bad line is named. A journal cut mid-line by a crash loses only that line. */
export function parseJournal(text: string, path: string): JournalRead {
  const entries: JournalEntry[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const isLastLine = index === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (isLastLine) break;
      return {
        ok: false,
        message: `${path} line ${index + 1} is not JSON: is this an eksposure journal?`,
      };
    }
    const problem = entryProblem(value);
    if (problem) return { ok: false, message: `${path} line ${index + 1}: ${problem}.` };
    entries.push(value as JournalEntry);
  }
  if (entries.length === 0) return { ok: false, message: `${path} has no journal entries.` };
  return { ok: true, entries };
}

/** The newest entry per cluster ARN, in order of first appearance. */
export function latestByCluster(entries: readonly JournalEntry[]): JournalEntry[] {
  const latest = new Map<string, JournalEntry>();
  for (const entry of entries) latest.set(entry.clusterArn, entry);
  return [...latest.values()];
}

/** Clusters the journal shows as changed and verified: what rollback may put back. */
export function rollbackCandidates(entries: readonly JournalEntry[]): JournalEntry[] {
  return latestByCluster(entries).filter((e) => e.status === 'Verified');
}

/** Updates that were still running in AWS when eksposure stopped watching them. */
export function updatesStillInFlight(entries: readonly JournalEntry[]): JournalEntry[] {
  return latestByCluster(entries).filter(
    (e) => e.updateId !== null && (e.status === 'InProgress' || e.status === 'WatchStopped'),
  );
}
