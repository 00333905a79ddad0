import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import type { JournalEntry } from '../../src/remediation/journal.js';
import type { ApplyReport } from '../../src/report/apply-report.js';
import { type CliRun, runCli, startCli } from '../support/cli.js';
import {
  type HostileProxy,
  type HostileRule,
  startHostileProxy,
} from '../support/hostile-proxy.js';
import {
  allConfigs,
  cliAgainst,
  confirmed,
  FAST,
  JSON_OUT,
  readJournal,
  remediationAccount,
  submits,
  tempDir,
  updatesOf,
} from '../support/remediation.js';

async function withEmulator<T>(
  body: (emulator: RunningEmulator) => Promise<T>,
  fixture: Fixture = remediationAccount,
  updateDurationMs = 150,
): Promise<T> {
  const emulator = await startEmulator({ fixture, faults: [], updateDurationMs });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

async function withProxy<T>(
  emulator: RunningEmulator,
  rules: readonly HostileRule[],
  body: (proxy: HostileProxy) => Promise<T>,
): Promise<T> {
  const proxy = await startHostileProxy(emulator.url, rules);
  try {
    return await body(proxy);
  } finally {
    await proxy.close();
  }
}

const publicAccessOf = (emulator: RunningEmulator, name: string) =>
  emulator.state.regions.get('us-east-1')?.clusters.get(name)?.resourcesVpcConfig
    .endpointPublicAccess;
const statusesOf = (journal: readonly JournalEntry[], name: string) =>
  journal.filter((e) => e.clusterName === name).map((e) => e.status);
const report = (run: CliRun) => JSON.parse(run.stdout) as ApplyReport;
const outcomeOf = (run: CliRun, name: string) =>
  report(run).clusters.find((c) => c.clusterName === name);

/** A saved plan, made against the emulator as it is now. */
async function savePlan(emulator: RunningEmulator, dir: string, ...args: string[]) {
  const path = join(dir, 'plan.json');
  const run = await cliAgainst(emulator, 'remediate', ...args, '--out', path);
  expect(run.stderr).toContain('plan written to');
  return path;
}

/** The parts of a saved plan the tests edit by hand, as a person with an editor could. */
interface EditablePlan {
  allowCidrs: string[] | null;
  summary: { update: number; blocked: number; skip: number };
  clusters: {
    action: string;
    change: { publicAccessCidrs?: string[] };
    after: { publicAccessCidrs: string[] };
  }[];
}

function editPlan(path: string, edit: (plan: EditablePlan) => void) {
  const plan = JSON.parse(readFileSync(path, 'utf8')) as EditablePlan;
  edit(plan);
  writeFileSync(path, JSON.stringify(plan));
}

const saveAllowlistPlan = (emulator: RunningEmulator, dir: string) =>
  savePlan(
    emulator,
    dir,
    '--cluster',
    'open-a',
    '--mode',
    'allowlist',
    '--allow-cidr',
    '203.0.113.0/24',
  );

/** Edits the change and its "after" together, as a careful hand would, so the file stays consistent. */
function editChange(plan: EditablePlan, cidrs: string[]) {
  const [cluster] = plan.clusters;
  if (!cluster) throw new Error('the plan has no cluster');
  cluster.change.publicAccessCidrs = cidrs;
  cluster.after.publicAccessCidrs = cidrs;
}

/** Applies a saved plan (JSON report) that must be refused before any submit, changing nothing. */
async function applyRefused(emulator: RunningEmulator, plan: string, dir: string): Promise<CliRun> {
  const before = allConfigs(emulator);
  const run = await cliAgainst(emulator, 'apply', plan, ...confirmed(join(dir, 'j')), ...JSON_OUT);
  expect(submits(emulator)).toBe(0);
  expect(allConfigs(emulator)).toEqual(before);
  return run;
}

describe('apply checks again what the plan claims', () => {
  it("refuses a plan applied with another account's credentials before anything is submitted: one line naming both accounts, exit 2", async () => {
    const dir = tempDir();
    const plan = await withEmulator((a) => savePlan(a, dir, '--cluster', 'open-a'));
    const otherAccount: Fixture = { ...remediationAccount, accountId: '444455556666' };
    await withEmulator(async (b) => {
      const run = await applyRefused(b, plan, dir);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        `eksposure: the plan ${plan} changes clusters of account 111122223333 with the caller's own credentials, but these credentials act in account 444455556666; use credentials of account 111122223333 (--profile or AWS_PROFILE), or plan again with them (eksposure remediate --out FILE). Nothing was changed.`,
      ]);
      expect(b.stats.calls.get('sts:GetCallerIdentity')).toBe(1);
    }, otherAccount);
  });

  it('refuses a blocked cluster flipped to "update" by hand: the pre-flight checks run again', async () => {
    await withEmulator(async (emulator) => {
      const dir = tempDir();
      const plan = await savePlan(emulator, dir, '--cluster', 'no-dns');
      editPlan(plan, (p) => {
        const [cluster] = p.clusters;
        if (cluster) cluster.action = 'update';
        p.summary = { update: 1, blocked: 0, skip: 0 };
      });
      const run = await applyRefused(emulator, plan, dir);
      expect(run.code).toBe(1);
      expect(outcomeOf(run, 'no-dns')).toMatchObject({
        result: 'skipped',
        reason: expect.stringContaining('vpc-dns'),
        errors: [expect.objectContaining({ code: 'PreflightBlocked' })],
      });
    });
  });

  it('refuses a change that is not what the allowlist gives, before submitting', async () => {
    await withEmulator(async (emulator) => {
      const dir = tempDir();
      const plan = await saveAllowlistPlan(emulator, dir);
      editPlan(plan, (p) => editChange(p, ['203.0.113.0/24', '0.0.0.0/0']));
      const run = await applyRefused(emulator, plan, dir);
      expect(run.code).toBe(1);
      expect(outcomeOf(run, 'open-a')).toMatchObject({
        result: 'skipped',
        errors: [expect.objectContaining({ code: 'ChangeNotFromPlan' })],
      });
    });
  });

  it('refuses, as bad input, a plan whose allowlist was edited to keep 0.0.0.0/0 open', async () => {
    await withEmulator(async (emulator) => {
      const dir = tempDir();
      const plan = await saveAllowlistPlan(emulator, dir);
      const open = ['203.0.113.0/24', '0.0.0.0/0'];
      editPlan(plan, (p) => {
        editChange(p, open);
        p.allowCidrs = open;
      });
      const before = allConfigs(emulator);
      const run = await cliAgainst(emulator, 'apply', plan, ...confirmed(join(dir, 'j')));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('whole internet');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(submits(emulator)).toBe(0);
      expect(allConfigs(emulator)).toEqual(before);
    });
  });
});

describe('a DescribeUpdate that never answers', () => {
  it('--timeout ends the watch: the update is named as unknown, still in flight, exit 4', async () => {
    await withEmulator(async (emulator) => {
      await withProxy(emulator, [{ operation: 'DescribeUpdate', fault: 'hang' }], async (proxy) => {
        const journal = join(tempDir(), 'j');
        const run = await runCli([
          'remediate',
          '--cluster',
          'open-a',
          '--apply',
          ...confirmed(journal),
          '--timeout',
          '2s',
          '--endpoint-url',
          proxy.url,
        ]);
        expect(run.code).toBe(4);
        expect(run.stdout).toMatch(/IN FLIGHT\s+us-east-1\/open-a/);
        expect(run.stdout).toContain('state unknown, still in flight');
        expect(run.stderr).toMatch(
          /still in flight in AWS: us-east-1\/open-a update [0-9a-f-]{36}/,
        );
        expect(statusesOf(readJournal(journal), 'open-a').at(-1)).toBe('WatchStopped');
      });
    });
  });

  it('SIGTERM ends it at once: exit 143, the update named, the journal says the watch stopped', async () => {
    await withEmulator(async (emulator) => {
      await withProxy(emulator, [{ operation: 'DescribeUpdate', fault: 'hang' }], async (proxy) => {
        const journal = join(tempDir(), 'j');
        const running = startCli([
          'remediate',
          '--cluster',
          'open-a',
          '--apply',
          ...confirmed(journal),
          '--endpoint-url',
          proxy.url,
        ]);
        await running.waitFor(() => proxy.calls('DescribeUpdate') > 0, 'the first DescribeUpdate');
        running.signal('SIGTERM');
        const run = await running.exited;
        expect(run.code).toBe(143);
        expect(run.stderr).toMatch(
          /still in flight in AWS: us-east-1\/open-a update [0-9a-f-]{36}/,
        );
        expect(statusesOf(readJournal(journal), 'open-a')).toEqual([
          'Submitting',
          'InProgress',
          'WatchStopped',
        ]);
      });
    });
  });
});

describe('a signal before the submit', () => {
  it('SIGINT while the cluster is described just before its submit: nothing is submitted, exit 130', async () => {
    await withEmulator(async (emulator) => {
      const dir = tempDir();
      const plan = await savePlan(emulator, dir, '--cluster', 'open-a');
      const before = allConfigs(emulator);
      await withProxy(
        emulator,
        [{ operation: 'DescribeCluster', fault: 'hang' }],
        async (proxy) => {
          const running = startCli([
            'apply',
            plan,
            ...confirmed(join(dir, 'j')),
            '--endpoint-url',
            proxy.url,
          ]);
          await running.waitFor(() => proxy.calls('DescribeCluster') > 0, 'the DescribeCluster');
          running.signal('SIGINT');
          const run = await running.exited;
          expect(run.code).toBe(130);
          expect(run.stdout).toContain('not submitted: eksposure was interrupted first');
          expect(submits(emulator)).toBe(0);
          expect(allConfigs(emulator)).toEqual(before);
        },
      );
    });
  });
});

describe('an UpdateClusterConfig whose answer is lost', () => {
  it('a truncated answer: apply finds the update EKS started, journals it and verifies it', async () => {
    await withEmulator(async (emulator) => {
      await withProxy(
        emulator,
        [{ operation: 'UpdateClusterConfig', fault: 'truncate' }],
        async (proxy) => {
          const journal = join(tempDir(), 'j');
          const run = await runCli([
            'remediate',
            '--cluster',
            'open-a',
            '--apply',
            ...confirmed(journal),
            ...JSON_OUT,
            '--endpoint-url',
            proxy.url,
            // The SDK would retry the reset; one attempt shows eksposure's own lookup.
            '--max-attempts',
            '1',
          ]);
          expect(run.code).toBe(0);
          const realId = updatesOf(emulator, 'open-a')[0]?.update.id;
          expect(updatesOf(emulator, 'open-a')).toHaveLength(1);
          expect(outcomeOf(run, 'open-a')).toMatchObject({ result: 'verified', updateId: realId });
          const entries = readJournal(journal);
          expect(statusesOf(entries, 'open-a')).toEqual([
            'Submitting',
            'InProgress',
            'Successful',
            'Verified',
          ]);
          expect(entries.find((e) => e.status === 'InProgress')?.updateId).toBe(realId);
        },
      );
    });
  });

  it('when EKS cannot be asked either: in flight with no id (exit 4), and resume finishes it', async () => {
    await withEmulator(async (emulator) => {
      const rules: HostileRule[] = [
        { operation: 'UpdateClusterConfig', fault: 'truncate' },
        { operation: 'DescribeUpdate', fault: 'reset' },
      ];
      await withProxy(emulator, rules, async (proxy) => {
        const journal = join(tempDir(), 'j');
        const args = ['--endpoint-url', proxy.url, '--max-attempts', '1'];
        const run = await runCli([
          'remediate',
          '--cluster',
          'open-a',
          '--apply',
          ...confirmed(journal),
          ...args,
        ]);
        expect(run.code).toBe(4);
        expect(run.stderr).toContain('still in flight in AWS: us-east-1/open-a update (id unknown');
        expect(statusesOf(readJournal(journal), 'open-a')).toEqual(['Submitting']);
        proxy.setRules([]);
        const resumed = await runCli(['resume', '--journal', journal, ...FAST, ...args]);
        expect(resumed.stdout).toMatch(/VERIFIED\s+us-east-1\/open-a/);
        expect(resumed.code).toBe(0);
        const realId = updatesOf(emulator, 'open-a')[0]?.update.id;
        expect(updatesOf(emulator, 'open-a')).toHaveLength(1);
        const entries = readJournal(journal);
        expect(entries.at(-1)).toMatchObject({ status: 'Verified', updateId: realId });
      });
    });
  });
});

describe('journal and rollback lose nothing', () => {
  async function applied(emulator: RunningEmulator, journal: string) {
    const run = await cliAgainst(
      emulator,
      'remediate',
      '--cluster',
      'open-a,open-b',
      '--apply',
      ...confirmed(journal),
    );
    expect(run.code).toBe(0);
  }
  const rollback = (emulator: RunningEmulator, journal: string) =>
    cliAgainst(
      emulator,
      'rollback',
      '--journal',
      journal,
      '--yes',
      '--new-journal',
      `${journal}.rollback`,
      ...FAST,
    );

  it('a torn last line: rollback restores the others, names the cluster it cannot account for, exits non-zero', async () => {
    await withEmulator(async (emulator) => {
      const journal = join(tempDir(), 'j');
      await applied(emulator, journal);
      const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
      const last = lines.at(-1) ?? '';
      const torn = JSON.parse(last) as JournalEntry;
      const other = torn.clusterName === 'open-a' ? 'open-b' : 'open-a';
      writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n${last.slice(0, last.length / 2)}`);
      const run = await rollback(emulator, journal);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(`line ${lines.length} was cut short`);
      expect(run.stderr).toContain(`us-east-1/${torn.clusterName}`);
      expect(publicAccessOf(emulator, other)).toBe(true);
      expect(publicAccessOf(emulator, torn.clusterName)).toBe(false);
    });
  });

  it('a cluster whose update succeeded but did not verify can be rolled back', async () => {
    await withEmulator(async (emulator) => {
      const journal = join(tempDir(), 'j');
      await applied(emulator, journal);
      const failed = readFileSync(journal, 'utf8').replace(
        /"status":"Verified","errors":\[\]/g,
        '"status":"VerificationFailed","errors":[{"code":"VerificationFailed","message":"EKS-001 still fails"}]',
      );
      writeFileSync(journal, failed);
      const run = await rollback(emulator, journal);
      expect(run.code).toBe(0);
      expect(publicAccessOf(emulator, 'open-a')).toBe(true);
      expect(publicAccessOf(emulator, 'open-b')).toBe(true);
    });
  });

  it('after an apply stopped mid-watch, rollback points to resume instead of "nothing to roll back"', async () => {
    await withEmulator(async (emulator) => {
      const journal = join(tempDir(), 'j');
      await applied(emulator, journal);
      const stopped = readFileSync(journal, 'utf8')
        .split('\n')
        .filter((l) => !l.includes('"Successful"') && !l.includes('"Verified"'))
        .join('\n');
      writeFileSync(journal, stopped);
      const run = await rollback(emulator, journal);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`run eksposure resume --journal ${journal} first`);
      expect(run.stderr).not.toContain('nothing to roll back');
    });
  });
});

describe('the journal file: bad input is one line, exit 2, nothing changed', () => {
  it.each([
    [
      'a journal locked by a running apply',
      (dir: string) => {
        writeFileSync(join(dir, 'j.lock'), `${process.pid}\n`);
        return join(dir, 'j');
      },
      `in use by another eksposure run (process ${process.pid}`,
    ],
    [
      'a journal folder that cannot be created',
      (dir: string) => {
        writeFileSync(join(dir, 'file'), '');
        return join(dir, 'file', 'j');
      },
      'cannot write the journal',
    ],
  ])('%s', async (_what, journalIn, expected) => {
    await withEmulator(async (emulator) => {
      const dir = tempDir();
      const plan = await savePlan(emulator, dir, '--cluster', 'open-a');
      const before = allConfigs(emulator);
      const journal = journalIn(dir);
      const run = await cliAgainst(emulator, 'apply', plan, ...confirmed(journal));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(expected);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(submits(emulator)).toBe(0);
      expect(allConfigs(emulator)).toEqual(before);
      expect(existsSync(`${journal}.lock`)).toBe(expected.startsWith('in use'));
    });
  });
});
