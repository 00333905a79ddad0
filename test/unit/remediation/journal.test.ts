import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type JournalEntry,
  openJournal,
  parseJournal,
  rollbackCandidates,
  updatesStillInFlight,
} from '../../../src/remediation/journal.js';
import { privateOnly, publicOpen } from '../../support/preflight.js';

const base = {
  planId: 'plan-1',
  mode: 'private',
  region: 'us-east-1',
  before: publicOpen,
  requested: { endpointPublicAccess: false, endpointPrivateAccess: true },
  errors: [],
};
const line = (name: string, status: JournalEntry['status'], updateId: string | null = 'u-1') => ({
  ...base,
  clusterName: name,
  clusterArn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`,
  status,
  updateId,
});

function journalOf(entries: ReturnType<typeof line>[]): JournalEntry[] {
  const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'j.ndjson');
  const opened = openJournal(path, () => new Date('2026-01-01T00:00:00Z'));
  if (!opened.ok) throw new Error(opened.message);
  entries.forEach((e) => opened.journal.record(e));
  opened.journal.close();
  const read = parseJournal(readFileSync(path, 'utf8'), path);
  if (!read.ok) throw new Error(read.message);
  return read.entries;
}

describe('the journal', () => {
  it('writes one JSON line per event and reads them back in order', () => {
    const entries = journalOf([line('a', 'Submitting', null), line('a', 'InProgress')]);
    expect(entries.map((e) => e.status)).toEqual(['Submitting', 'InProgress']);
    expect(entries[0]?.schemaVersion).toBe('1.0.0');
  });

  it('rollback takes only clusters whose last word is Verified', () => {
    const entries = journalOf([
      line('done', 'InProgress'),
      line('done', 'Verified'),
      line('failed', 'Failed'),
      line('running', 'InProgress'),
      line('refused', 'SubmitFailed', null),
    ]);
    expect(rollbackCandidates(entries).map((e) => e.clusterName)).toEqual(['done']);
    expect(updatesStillInFlight(entries).map((e) => e.clusterName)).toEqual(['running']);
  });

  it('forgives a last line cut short by a crash, but not damage in the middle', () => {
    const good = JSON.stringify({ ...line('a', 'Verified'), schemaVersion: '1.0.0', at: 'now' });
    expect(parseJournal(`${good}\n{"schemaVer`, 'j')).toMatchObject({ ok: true });
    expect(parseJournal(`{"schemaVer\n${good}\n`, 'j')).toEqual({
      ok: false,
      message: 'j line 1 is not JSON: is this an eksposure journal?',
    });
    expect(parseJournal('', 'j')).toEqual({ ok: false, message: 'j has no journal entries.' });
    const noArn = JSON.stringify({
      ...line('a', 'Verified'),
      clusterArn: undefined,
      schemaVersion: '1.0.0',
      at: 'now',
    });
    expect(parseJournal(noArn, 'j')).toEqual({
      ok: false,
      message: 'j line 1: clusterArn is missing.',
    });
    expect(privateOnly.endpointPublicAccess).toBe(false);
  });
});
