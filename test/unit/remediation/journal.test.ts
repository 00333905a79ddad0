import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JOURNAL_SCHEMA_VERSION,
  type JournalEntry,
  parseJournal,
  rollbackCandidates,
  unconfirmedSubmits,
  updatesStillInFlight,
} from '../../../src/remediation/journal.js';
import { privateOnly, publicOpen } from '../../support/preflight.js';
import { openJournal } from '../../../src/cli/journal-file.js';

const base = {
  planId: 'plan-1',
  mode: 'private',
  accountId: '111122223333',
  roleArn: null,
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
    expect(entries[0]?.schemaVersion).toBe(JOURNAL_SCHEMA_VERSION);
  });

  it('rollback takes clusters whose last word is Verified, or VerificationFailed after an update', () => {
    const entries = journalOf([
      line('done', 'InProgress'),
      line('done', 'Verified'),
      line('failed', 'Failed'),
      line('running', 'InProgress'),
      line('refused', 'SubmitFailed', null),
      line('unverified', 'VerificationFailed'),
      line('ended-unseen', 'Successful'),
      line('unanswered', 'Submitting', null),
    ]);
    expect(rollbackCandidates(entries).map((e) => e.clusterName)).toEqual(['done', 'unverified']);
    expect(updatesStillInFlight(entries).map((e) => e.clusterName)).toEqual([
      'running',
      'ended-unseen',
    ]);
    expect(unconfirmedSubmits(entries).map((e) => e.clusterName)).toEqual(['unanswered']);
  });

  it('forgives a last line cut short by a crash, but not damage in the middle', () => {
    const good = JSON.stringify({ ...line('a', 'Verified'), schemaVersion: '1.0.0', at: 'now' });
    expect(parseJournal(`${good}\n{"schemaVer`, 'j')).toMatchObject({
      ok: true,
      torn: { line: 2, clusterName: undefined },
    });
    const cut = JSON.stringify({ ...line('b', 'Verified'), schemaVersion: '1.0.0', at: 'now' });
    expect(parseJournal(`${good}\n${cut.slice(0, cut.indexOf('"status"'))}`, 'j')).toMatchObject({
      ok: true,
      entries: [expect.objectContaining({ clusterName: 'a' })],
      torn: { line: 2, region: 'us-east-1', clusterName: 'b' },
    });
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

  it("reads 1.x lines (written before accounts were recorded) as changes made with the caller's own credentials in the ARN's account", () => {
    const old = { ...line('a', 'Verified'), schemaVersion: '1.1.0', at: 'now' };
    // A 1.x line has neither field (JSON.stringify drops undefined).
    const read = parseJournal(
      `${JSON.stringify({ ...old, accountId: undefined, roleArn: undefined })}\n`,
      'j',
    );
    expect(read).toMatchObject({
      ok: true,
      entries: [{ clusterName: 'a', accountId: '111122223333', roleArn: null }],
    });
  });

  it.each([
    [
      { schemaVersion: '3.0.0' },
      'j line 1: schemaVersion "3.0.0" is not 1.x or 2.x (written by a newer eksposure?).',
    ],
    [
      { accountId: '999999999999' },
      'j line 1: it has accountId 999999999999, but its cluster ARN is in account 111122223333.',
    ],
    [
      { roleArn: 'arn:aws:iam::999999999999:role/R' },
      'j line 1: it has roleArn arn:aws:iam::999999999999:role/R, which is not in its account 111122223333.',
    ],
    [{ accountId: undefined }, 'j line 1: it has no 12-digit accountId.'],
  ])(
    'refuses a 2.x line whose account does not hold together (%j) in one line',
    (edit, message) => {
      const text = JSON.stringify({
        ...line('a', 'Verified'),
        schemaVersion: JOURNAL_SCHEMA_VERSION,
        at: 'now',
        ...edit,
      });
      expect(parseJournal(text, 'j')).toEqual({ ok: false, message });
    },
  );

  it('is locked while open: a second run is refused, a lock left by a dead process is taken over', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'j.ndjson');
    const clock = () => new Date();
    const first = openJournal(path, clock);
    if (!first.ok) throw new Error(first.message);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    expect(openJournal(path, clock)).toEqual({
      ok: false,
      message: expect.stringContaining(`in use by another eksposure run (process ${process.pid}`),
    });
    first.journal.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    writeFileSync(`${path}.lock`, '2147483646\n');
    const second = openJournal(path, clock);
    expect(second.ok).toBe(true);
    if (second.ok) second.journal.close();
  });

  it('turns a line it cannot write into a value, and a path it cannot create into one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const opened = openJournal(join(dir, 'j.ndjson'), () => new Date());
    if (!opened.ok) throw new Error(opened.message);
    rmSync(dir, { recursive: true });
    expect(opened.journal.record(line('a', 'Submitting', null))).toMatchObject({
      ok: false,
      error: { code: 'ENOENT' },
    });
    mkdirSync(dir);
    expect(opened.journal.record(line('a', 'Submitting', null))).toMatchObject({ ok: false });
    expect(existsSync(join(dir, 'j.ndjson'))).toBe(false);
    const aFile = join(mkdtempSync(join(tmpdir(), 'journal-')), 'file');
    writeFileSync(aFile, '');
    expect(openJournal(join(aFile, 'j.ndjson'), () => new Date())).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^cannot write the journal .*file\/j\.ndjson: E[A-Z]+: .*--journal\.$/,
      ),
    });
  });
});
