import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { firstLine } from '../model/errors.js';
import {
  JOURNAL_SCHEMA_VERSION,
  type JournalEntry,
  type JournalOpen,
  type JournalWrite,
} from '../remediation/journal.js';

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
