import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { JOURNAL_SCHEMA_VERSION, type JournalEntry } from '../../src/remediation/journal.js';
import {
  REMEDIATION_PLAN_SCHEMA_VERSION,
  type RemediationPlan,
} from '../../src/remediation/plan.js';
import { APPLY_REPORT_SCHEMA_VERSION, type ApplyReport } from '../../src/report/apply-report.js';
import type { CliRun } from '../support/cli.js';
import {
  cliAgainst as cli,
  FAST,
  readJournal,
  remediationAccount,
  tempDir,
} from '../support/remediation.js';
import { schemaErrors } from '../support/schema.js';

const PLAN_SCHEMA = 'remediation-plan.schema.json';
const REPORT_SCHEMA = 'apply-report.schema.json';
const JOURNAL_SCHEMA = 'journal-entry.schema.json';

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Parses stdout, saying what the CLI printed on stderr when it is not JSON. */
function stdoutJson<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${String(run.code)}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** Every line of a journal with its complaints, so a failure names the line. */
const journalErrors = (entries: readonly JournalEntry[]) =>
  entries
    .map((entry, i) => ({
      line: i + 1,
      status: entry.status,
      errors: schemaErrors(JOURNAL_SCHEMA, entry),
    }))
    .filter((r) => r.errors.length > 0);

type Path = readonly (string | number)[];

/** A deep copy of `doc` with the value at `path` replaced, or removed when `value` is undefined. */
function edited(doc: unknown, path: Path, value?: unknown): unknown {
  const copy = structuredClone(doc);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

describe('the published schemas describe what the CLI really writes', () => {
  let emulator: RunningEmulator;
  const dir = tempDir();
  const planFile = join(dir, 'plan.json');
  const journal = join(dir, 'j.ndjson');
  const rollbackJournal = join(dir, 'r.ndjson');
  let planRun: CliRun;
  let allowlistRun: CliRun;
  let applyRun: CliRun;
  let rollbackRun: CliRun;

  beforeAll(async () => {
    emulator = await startEmulator({ fixture: remediationAccount, updateDurationMs: 200 });
    // eu-open is managed as code: --allow-drift lets it through, and is recorded everywhere.
    planRun = await cli(
      emulator,
      'remediate',
      '--allow-drift',
      '--out',
      planFile,
      '--output',
      'json',
    );
    allowlistRun = await cli(
      emulator,
      'remediate',
      '--mode',
      'allowlist',
      '--allow-cidr',
      '203.0.113.0/24',
      '--my-ip',
      '198.51.100.7',
      '--allow-drift',
      '--output',
      'json',
    );
    applyRun = await cli(
      emulator,
      'remediate',
      '--apply',
      '--allow-drift',
      '--yes',
      '--output',
      'json',
      '--out',
      join(dir, 'applied-plan.json'),
      '--journal',
      journal,
      ...FAST,
    );
    rollbackRun = await cli(
      emulator,
      'rollback',
      '--journal',
      journal,
      '--yes',
      '--output',
      'json',
      '--new-journal',
      rollbackJournal,
      ...FAST,
    );
  });
  afterAll(() => emulator.close());

  describe(PLAN_SCHEMA, () => {
    it('validates the dry-run plan on stdout and the --out file, which are the same document', () => {
      expect(planRun.code).toBe(1); // no-dns is blocked
      const printed = stdoutJson<RemediationPlan>(planRun);
      const saved = readJson<RemediationPlan>(planFile);
      expect(saved).toEqual(printed);
      expect(printed.schemaVersion).toBe(REMEDIATION_PLAN_SCHEMA_VERSION);
      expect(printed.summary).toEqual({ update: 3, blocked: 1, skip: 0 });
      expect(printed.clusters.find((c) => c.clusterName === 'eu-open')?.preflight).toContainEqual(
        expect.objectContaining({ check: 'managed-as-code', status: 'warn' }),
      );
      expect(printed.allowDrift).toBe(true);
      expect(printed.clusters.find((c) => c.clusterName === 'eu-open')?.managedBy?.tool).not.toBe(
        'unknown',
      );
      expect(schemaErrors(PLAN_SCHEMA, printed)).toEqual([]);
      expect(schemaErrors(PLAN_SCHEMA, saved)).toEqual([]);
    });

    it('validates an allowlist-mode plan, with its CIDRs, operator IP and warnings', () => {
      expect(allowlistRun.code).toBe(0);
      const plan = stdoutJson<RemediationPlan>(allowlistRun);
      expect(plan).toMatchObject({
        mode: 'allowlist',
        allowCidrs: ['203.0.113.0/24'],
        operatorIp: '198.51.100.7',
      });
      expect(plan.clusters[0]?.change.publicAccessCidrs).toEqual(['203.0.113.0/24']);
      expect(schemaErrors(PLAN_SCHEMA, plan)).toEqual([]);
    });

    it.each<[string, Path, unknown, string]>([
      ['an unknown action', ['clusters', 0, 'action'], 'maybe', '/clusters/0/action'],
      ['a truncated fingerprint', ['clusters', 0, 'fingerprint'], 'sha256:abc', 'fingerprint'],
      ['an IPv6 address as --my-ip', ['operatorIp'], '2001:db8::1', '/operatorIp'],
      [
        'a change without endpointPrivateAccess',
        ['clusters', 0, 'change', 'endpointPrivateAccess'],
        undefined,
        'endpointPrivateAccess',
      ],
      ['an allowlist in private mode', ['allowCidrs'], ['10.0.0.0/8'], '/allowCidrs'],
      ['a stray field', ['approvedBy'], 'alice', 'additional properties'],
    ])('rejects a plan with %s', (_name, path, value, mention) => {
      const errors = schemaErrors(PLAN_SCHEMA, edited(stdoutJson(planRun), path, value));
      expect(errors.join('\n')).toContain(mention);
    });
  });

  describe(REPORT_SCHEMA, () => {
    it('validates the report of remediate --apply', () => {
      expect(applyRun.code).toBe(1); // no-dns was never submitted
      const report = stdoutJson<ApplyReport>(applyRun);
      expect(report.schemaVersion).toBe(APPLY_REPORT_SCHEMA_VERSION);
      expect(report.summary).toEqual({
        verified: 3,
        failed: 0,
        skipped: 1,
        inFlight: 0,
        probe: null,
      });
      expect(report.journal).toBe(journal);
      expect(report.allowDrift).toBe(true);
      expect(schemaErrors(REPORT_SCHEMA, report)).toEqual([]);
    });

    it('validates the report of rollback', () => {
      expect(rollbackRun.code).toBe(0);
      const report = stdoutJson<ApplyReport>(rollbackRun);
      expect(report).toMatchObject({ mode: 'rollback', complete: true, journal: rollbackJournal });
      expect(report.summary.verified).toBe(3);
      expect(schemaErrors(REPORT_SCHEMA, report)).toEqual([]);
    });

    it.each<[string, Path, unknown, string]>([
      ['an unknown result', ['clusters', 0, 'result'], 'succeeded', '/clusters/0/result'],
      ['no inFlight count', ['summary', 'inFlight'], undefined, 'inFlight'],
      [
        'a verified cluster without its update id',
        ['clusters', 0, 'updateId'],
        null,
        '/clusters/0/updateId',
      ],
      ['an unknown signal', ['interruptedBy'], 'SIGHUP', '/interruptedBy'],
    ])('rejects a report with %s', (_name, path, value, mention) => {
      const report = stdoutJson<ApplyReport>(applyRun);
      const verified = report.clusters.findIndex((c) => c.result === 'verified');
      const at = path.map((k) => (k === 0 ? verified : k));
      const errors = schemaErrors(REPORT_SCHEMA, edited(report, at, value));
      expect(errors.join('\n')).toContain(mention.replace('/0/', `/${verified}/`));
    });
  });

  describe(JOURNAL_SCHEMA, () => {
    it('validates every line of the apply journal, whatever its status', () => {
      const entries = readJournal(journal);
      expect(new Set(entries.map((e) => e.status))).toEqual(
        new Set(['Submitting', 'InProgress', 'Successful', 'Verified']),
      );
      expect(entries.every((e) => e.schemaVersion === JOURNAL_SCHEMA_VERSION)).toBe(true);
      expect(entries.every((e) => e.allowDrift === true)).toBe(true);
      expect(journalErrors(entries)).toEqual([]);
    });

    it('validates every line of the rollback journal', () => {
      const entries = readJournal(rollbackJournal);
      expect(entries.at(-1)?.mode).toBe('rollback');
      expect(entries.some((e) => 'allowDrift' in e)).toBe(false);
      expect(journalErrors(entries)).toEqual([]);
    });

    it.each<[string, Path, unknown, string]>([
      ['no clusterArn', ['clusterArn'], undefined, 'clusterArn'],
      ['an unknown status', ['status'], 'Done', '/status'],
      ['a malformed timestamp', ['at'], 'yesterday', '/at'],
      [
        'a CIDR that is not one',
        ['before', 'publicAccessCidrs', 0],
        'everyone',
        '/before/publicAccessCidrs/0',
      ],
    ])('rejects a line with %s', (_name, path, value, mention) => {
      const [first] = readJournal(journal);
      expect(schemaErrors(JOURNAL_SCHEMA, first)).toEqual([]);
      expect(schemaErrors(JOURNAL_SCHEMA, edited(first, path, value)).join('\n')).toContain(
        mention,
      );
    });

    it('rejects an InProgress line without the update id', () => {
      const inProgress = readJournal(journal).find((e) => e.status === 'InProgress');
      expect(schemaErrors(JOURNAL_SCHEMA, edited(inProgress, ['updateId'], null))).toContainEqual(
        expect.stringContaining('/updateId'),
      );
    });
  });
});

describe('apply PLAN and resume print valid reports and journals', () => {
  it('an update that outlasts --timeout is in flight, then resume verifies it', async () => {
    // Updates take 1.5 s here, so a 0.3 s --timeout always stops watching first.
    const emulator = await startEmulator({ fixture: remediationAccount, updateDurationMs: 1500 });
    try {
      const dir = tempDir();
      const plan = join(dir, 'plan.json');
      const journal = join(dir, 'j.ndjson');
      const planned = await cli(emulator, 'remediate', '--cluster', 'open-a', '--out', plan);
      expect(planned.code).toBe(0);
      expect(schemaErrors(PLAN_SCHEMA, readJson(plan))).toEqual([]);

      const applied = await cli(
        emulator,
        'apply',
        plan,
        '--yes',
        '--output',
        'json',
        '--journal',
        journal,
        '--timeout',
        '0.3s',
        ...FAST,
      );
      expect(applied.code).toBe(4);
      const report = stdoutJson<ApplyReport>(applied);
      expect(report.clusters.map((c) => c.result)).toEqual(['in-flight']);
      expect(schemaErrors(REPORT_SCHEMA, report)).toEqual([]);

      const resumed = await cli(
        emulator,
        'resume',
        '--journal',
        journal,
        '--output',
        'json',
        ...FAST,
      );
      expect(resumed.code).toBe(0);
      const after = stdoutJson<ApplyReport>(resumed);
      expect(after.clusters.map((c) => c.result)).toEqual(['verified']);
      expect(schemaErrors(REPORT_SCHEMA, after)).toEqual([]);

      const entries = readJournal(journal);
      expect(entries.map((e) => e.status)).toContain('WatchStopped');
      expect(journalErrors(entries)).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
