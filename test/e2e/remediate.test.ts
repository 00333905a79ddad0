import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EKSClient, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import type { FaultRule } from '../../src/emulator/faults.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import type { JournalEntry } from '../../src/remediation/journal.js';
import type { RemediationPlan } from '../../src/remediation/plan.js';
import type { ApplyReport } from '../../src/report/apply-report.js';
import { type CliRun, isolatedAwsEnv, runCli, startCli } from '../support/cli.js';
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
import { emulatorClientConfig } from '../support/sdk.js';

const applying = (journal: string) => ['--apply', ...confirmed(journal)];

async function withEmulator<T>(
  faults: FaultRule[],
  body: (emulator: RunningEmulator) => Promise<T>,
  clock?: () => Date,
): Promise<T> {
  const emulator = await startEmulator({
    fixture: remediationAccount,
    faults,
    updateDurationMs: 150,
    ...(clock ? { clock } : {}),
  });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

const cli = cliAgainst;

const configOf = (emulator: RunningEmulator, name: string, region = 'us-east-1') => {
  const vpc = emulator.state.regions.get(region)?.clusters.get(name)?.resourcesVpcConfig;
  if (!vpc) throw new Error(`no cluster ${name}`);
  return {
    endpointPublicAccess: vpc.endpointPublicAccess,
    endpointPrivateAccess: vpc.endpointPrivateAccess,
    publicAccessCidrs: [...vpc.publicAccessCidrs],
  };
};

const statusesOf = (journal: JournalEntry[], name: string) =>
  journal.filter((e) => e.clusterName === name).map((e) => e.status);

const report = (run: CliRun) => JSON.parse(run.stdout) as ApplyReport;
const outcomeOf = (r: ApplyReport, name: string) => r.clusters.find((c) => c.clusterName === name);

describe('eksposure remediate (dry run)', () => {
  it('plans without changing anything: blocked, skipped and updated clusters, each with its reason', async () => {
    await withEmulator([], async (emulator) => {
      const before = allConfigs(emulator);
      const run = await cli(emulator, 'remediate', '--regions', 'us-east-1', '--output', 'json');
      expect(run.code).toBe(1);
      const plan = JSON.parse(run.stdout) as RemediationPlan;
      const byName = new Map(plan.clusters.map((c) => [c.clusterName, c]));
      expect([...byName.keys()].sort()).toEqual(['no-dns', 'open-a', 'open-b']);
      expect(byName.get('open-a')?.action).toBe('update');
      expect(byName.get('no-dns')?.action).toBe('blocked');
      expect(byName.get('no-dns')?.preflight).toContainEqual(
        expect.objectContaining({
          check: 'vpc-dns',
          status: 'block',
          message: expect.stringContaining('vpc-0nodns'),
        }),
      );
      expect(submits(emulator)).toBe(0);
      expect(allConfigs(emulator)).toEqual(before);
    });
  });

  it('shows the VPC DNS block, the fix, and the by-hand command in the text plan', async () => {
    await withEmulator([], async (emulator) => {
      const run = await cli(emulator, 'remediate', '--cluster', 'no-dns,open-a');
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/BLOCKED\s+us-east-1\/no-dns/);
      expect(run.stdout).toContain('--enable-dns-hostnames');
      expect(run.stdout).toContain(
        'aws eks update-cluster-config --region us-east-1 --name open-a --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true',
      );
      expect(run.stdout).toContain('dry run: nothing has been changed');
    });
  });

  it('lists a named cluster that already passes as skipped, and refuses a name that is nowhere', async () => {
    await withEmulator([], async (emulator) => {
      const run = await cli(emulator, 'remediate', '--cluster', 'already-private', ...JSON_OUT);
      expect(run.code).toBe(0);
      const plan = JSON.parse(run.stdout) as RemediationPlan;
      expect(plan.clusters[0]).toMatchObject({
        action: 'skip',
        reason: expect.stringContaining('passes EKS-001'),
      });
      const missing = await cli(emulator, 'remediate', '--cluster', 'ghost');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no cluster named ghost');
    });
  });
});

describe('eksposure remediate --apply', () => {
  it('private mode: submits, watches, verifies and journals each cluster; never touches a blocked one', async () => {
    await withEmulator([], async (emulator) => {
      const journal = join(tempDir(), 'journal.ndjson');
      const run = await cli(
        emulator,
        'remediate',
        '--regions',
        'us-east-1',
        ...applying(journal),
        ...JSON_OUT,
      );
      expect(run.code).toBe(1); // no-dns is blocked, so not everything planned was applied
      const r = report(run);
      expect(outcomeOf(r, 'open-a')?.result).toBe('verified');
      expect(outcomeOf(r, 'open-b')?.result).toBe('verified');
      expect(outcomeOf(r, 'no-dns')).toMatchObject({
        result: 'skipped',
        reason: expect.stringContaining('never submitted'),
      });
      expect(configOf(emulator, 'open-a')).toMatchObject({
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
      });
      expect(configOf(emulator, 'open-b')).toMatchObject({
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
      });
      expect(updatesOf(emulator, 'no-dns')).toHaveLength(0);
      const entries = readJournal(journal);
      expect(statusesOf(entries, 'open-a')).toEqual([
        'Submitting',
        'InProgress',
        'Successful',
        'Verified',
      ]);
      expect(entries.find((e) => e.status === 'InProgress')?.updateId).toMatch(/^[0-9a-f-]{36}$/);
      expect(run.stderr).toContain(`journal: ${journal}`);
    });
  });

  it('allowlist mode: public only for the given CIDRs, private on', async () => {
    await withEmulator([], async (emulator) => {
      const run = await cli(
        emulator,
        'remediate',
        '--mode',
        'allowlist',
        '--allow-cidr',
        '203.0.113.0/24',
        '--allow-cidr',
        '198.51.100.7/32,203.0.113.0/24',
        '--cluster',
        'open-a',
        '--apply',
        '--yes',
        '--journal',
        join(tempDir(), 'j'),
        ...FAST,
      );
      expect(run.code).toBe(0);
      expect(configOf(emulator, 'open-a')).toEqual({
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
      });
      expect(run.stdout).toMatch(/VERIFIED\s+us-east-1\/open-a/);
    });
  });

  it('reports an update that ends Failed, with EKS errors, and leaves the cluster as it was', async () => {
    await withEmulator(
      [
        {
          cluster: 'open-a',
          updateOutcome: 'Failed',
          updateErrorCode: 'IpNotAvailable',
          updateErrorMessage: 'no free IPs in subnet',
        },
      ],
      async (emulator) => {
        const journal = join(tempDir(), 'j');
        const run = await cli(
          emulator,
          'remediate',
          '--cluster',
          'open-a,open-b',
          ...applying(journal),
          ...JSON_OUT,
        );
        expect(run.code).toBe(1);
        expect(outcomeOf(report(run), 'open-a')).toMatchObject({
          result: 'failed',
          reason: expect.stringContaining('ended Failed: IpNotAvailable: no free IPs in subnet'),
        });
        expect(outcomeOf(report(run), 'open-b')?.result).toBe('verified');
        expect(configOf(emulator, 'open-a').endpointPublicAccess).toBe(true);
        expect(statusesOf(readJournal(journal), 'open-a').at(-1)).toBe('Failed');
      },
    );
  });

  it('leaves an update that outlasts --timeout running, says so, and resume watches it to the end', async () => {
    await withEmulator([{ cluster: 'open-a', updateDurationMs: 2500 }], async (emulator) => {
      const journal = join(tempDir(), 'j');
      const run = await cli(
        emulator,
        'remediate',
        '--cluster',
        'open-a',
        ...applying(journal),
        '--timeout',
        '1s',
      );
      expect(run.code).toBe(4);
      expect(run.stdout).toMatch(/IN FLIGHT\s+us-east-1\/open-a/);
      expect(run.stderr).toContain(`resume watching with: eksposure resume --journal ${journal}`);
      expect(statusesOf(readJournal(journal), 'open-a').at(-1)).toBe('WatchStopped');
      const resumed = await cli(emulator, 'resume', '--journal', journal, '--poll-interval', '0.2');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/VERIFIED\s+us-east-1\/open-a/);
      expect(statusesOf(readJournal(journal), 'open-a').slice(-2)).toEqual([
        'Successful',
        'Verified',
      ]);
      expect(updatesOf(emulator, 'open-a')).toHaveLength(1);
    });
  });

  it('on SIGINT submits nothing new, names what is still in flight and how to resume, exits 130', async () => {
    await withEmulator([{ cluster: 'open-a', updateDurationMs: 60_000 }], async (emulator) => {
      const journal = join(tempDir(), 'j');
      const running = startCli([
        'remediate',
        '--cluster',
        'open-a',
        ...applying(journal),
        '--endpoint-url',
        emulator.url,
      ]);
      await running.waitFor(
        () => existsSync(journal) && readFileSync(journal, 'utf8').includes('"InProgress"'),
        'the update to be submitted',
      );
      running.signal('SIGINT');
      const { code, stderr } = await running.exited;
      expect(code).toBe(130);
      expect(stderr).toContain('SIGINT received: submitting nothing new');
      expect(stderr).toMatch(/still in flight in AWS: us-east-1\/open-a update [0-9a-f-]{36}/);
      expect(stderr).toContain(`eksposure resume --journal ${journal}`);
      expect(statusesOf(readJournal(journal), 'open-a')).toEqual([
        'Submitting',
        'InProgress',
        'WatchStopped',
      ]);
      expect(updatesOf(emulator, 'open-a')[0]?.update.status).toBe('InProgress');
    });
  });
});

describe('saved plans: eksposure apply', () => {
  it('refuses a cluster whose configuration drifted since the plan, by name, and applies the rest', async () => {
    await withEmulator([], async (emulator) => {
      const dir = tempDir();
      const planned = await cli(
        emulator,
        'remediate',
        '--cluster',
        'open-a,open-b',
        '--out',
        join(dir, 'plan.json'),
      );
      expect(planned.code).toBe(0);
      const drifted = emulator.state.regions.get('us-east-1')?.clusters.get('open-b');
      drifted?.resourcesVpcConfig.publicAccessCidrs.push('192.0.2.0/24');
      const run = await cli(
        emulator,
        'apply',
        join(dir, 'plan.json'),
        ...confirmed(join(dir, 'j')),
        ...JSON_OUT,
      );
      expect(run.code).toBe(1);
      expect(outcomeOf(report(run), 'open-b')).toMatchObject({
        result: 'skipped',
        reason: expect.stringContaining(
          'refused: the endpoint configuration changed since the plan',
        ),
      });
      expect(outcomeOf(report(run), 'open-a')?.result).toBe('verified');
      expect(updatesOf(emulator, 'open-b')).toHaveLength(0);
    });
  });

  it('running the same apply twice submits nothing the second time', async () => {
    await withEmulator([], async (emulator) => {
      const dir = tempDir();
      await cli(emulator, 'remediate', '--cluster', 'open-a', '--out', join(dir, 'plan.json'));
      const first = await cli(
        emulator,
        'apply',
        join(dir, 'plan.json'),
        ...confirmed(join(dir, 'j')),
      );
      expect(first.code).toBe(0);
      const second = await cli(
        emulator,
        'apply',
        join(dir, 'plan.json'),
        ...confirmed(join(dir, 'j')),
      );
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('already at the planned configuration');
      expect(submits(emulator)).toBe(1);
      expect(updatesOf(emulator, 'open-a')).toHaveLength(1);
    });
  });

  it('a cluster busy with another update (409 ResourceInUseException): waits for it, then decides again', async () => {
    // The emulator's clock is held still until the CLI has met the 409, so the other update is
    // certainly in flight then, however slowly the CLI starts.
    let heldBackMs = 0;
    const clock = () => new Date(Date.now() + heldBackMs);
    const faults = [{ cluster: 'open-a', updateDurationMs: 60_000 }];
    await withEmulator(
      faults,
      async (emulator) => {
        const dir = tempDir();
        await cli(emulator, 'remediate', '--cluster', 'open-a', '--out', join(dir, 'plan.json'));
        const eks = new EKSClient(emulatorClientConfig(emulator.url, 'us-east-1'));
        const foreign = await eks.send(
          new UpdateClusterConfigCommand({
            name: 'open-a',
            resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
          }),
        );
        eks.destroy();
        const running = startCli([
          'apply',
          join(dir, 'plan.json'),
          ...confirmed(join(dir, 'j')),
          ...JSON_OUT,
          '--endpoint-url',
          emulator.url,
        ]);
        const busy = `busy with update ${foreign.update?.id ?? '?'}; waiting for it to end, then deciding again`;
        await running.waitFor(() => running.stderr().includes(busy), 'the 409');
        heldBackMs = 60_000;
        const run = await running.exited;
        expect(run.code).toBe(0);
        expect(outcomeOf(report(run), 'open-a')).toMatchObject({
          result: 'skipped',
          satisfied: true,
        });
        expect(updatesOf(emulator, 'open-a')).toHaveLength(1);
      },
      clock,
    );
  });
});

describe('eksposure rollback', () => {
  it('puts every cluster the journal shows changed back to its configuration before', async () => {
    await withEmulator([], async (emulator) => {
      const original = { a: configOf(emulator, 'open-a'), b: configOf(emulator, 'open-b') };
      const dir = tempDir();
      const applied = await cli(
        emulator,
        'remediate',
        '--cluster',
        'open-a,open-b',
        ...applying(join(dir, 'j')),
      );
      expect(applied.code).toBe(0);
      expect(configOf(emulator, 'open-b').endpointPublicAccess).toBe(false);
      const run = await cli(
        emulator,
        'rollback',
        '--journal',
        join(dir, 'j'),
        '--yes',
        '--new-journal',
        join(dir, 'r'),
        ...FAST,
      );
      expect(run.code).toBe(0);
      expect(configOf(emulator, 'open-a')).toEqual(original.a);
      expect(configOf(emulator, 'open-b')).toEqual(original.b);
      expect(statusesOf(readJournal(join(dir, 'r')), 'open-b').at(-1)).toBe('Verified');
    });
  });

  it('rolls a dozen clusters back at once, with no Node warning on stderr', async () => {
    const dozen = {
      accountId: '111122223333',
      regions: { 'us-east-1': { generate: [{ count: 12, namePrefix: 'open-' }] } },
    };
    const emulator = await startEmulator({ fixture: dozen, updateDurationMs: 50 });
    try {
      const dir = tempDir();
      const applied = await cli(
        emulator,
        'remediate',
        '--apply-concurrency',
        '12',
        ...applying(join(dir, 'j')),
      );
      expect(applied.code).toBe(0);
      // Node's own warnings on, as a user has them (a process of its own).
      const run = await runCli(
        [
          ...['rollback', '--journal', join(dir, 'j'), '--yes', '--new-journal', join(dir, 'r')],
          ...['--concurrency', '12', '--endpoint-url', emulator.url, ...FAST],
        ],
        isolatedAwsEnv({ NODE_NO_WARNINGS: undefined }),
      );
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain('Warning');
      expect(submits(emulator)).toBe(24);
    } finally {
      await emulator.close();
    }
  });
});

describe('bad input: one line, exit 2, nothing changed', () => {
  const dir = tempDir();
  const corruptPlan = join(dir, 'corrupt.json');
  const garbageJournal = join(dir, 'garbage.ndjson');
  const tooMany = join(dir, 'many.txt');
  writeFileSync(
    corruptPlan,
    '{"kind": "eksposure-remediation-plan", "schemaVersion": "1.0.0", "pla',
  );
  writeFileSync(garbageJournal, 'hello\nworld\n');
  writeFileSync(tooMany, Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`).join('\n'));
  const allowlist = ['remediate', '--mode', 'allowlist', '--apply', '--yes'];

  it.each([
    ['host bits set', [...allowlist, '--allow-cidr', '10.1.2.3/24'], 'did you mean 10.1.2.0/24'],
    ['the whole internet', [...allowlist, '--allow-cidr', '0.0.0.0/0'], 'whole internet'],
    ['the whole IPv6 internet', [...allowlist, '--allow-cidr', '::/0'], 'whole internet'],
    ['41 CIDRs', [...allowlist, '--allow-cidrs-file', tooMany], 'at most 40'],
    [
      'a missing CIDR file',
      [...allowlist, '--allow-cidrs-file', join(dir, 'nope.txt')],
      'cannot read --allow-cidrs-file',
    ],
    [
      'CIDRs in private mode',
      ['remediate', '--apply', '--yes', '--allow-cidr', '203.0.113.0/24'],
      'only apply to --mode allowlist',
    ],
    ['a malformed --my-ip', ['remediate', '--my-ip', 'my-laptop'], 'is not an IPv4 address'],
    [
      'an unknown region',
      ['remediate', '--apply', '--yes', '--regions', 'us-east-9'],
      'unknown region',
    ],
    [
      'a bad duration',
      ['remediate', '--apply', '--yes', '--timeout', 'forever'],
      'is not a duration',
    ],
    ['no terminal and no --yes', ['remediate', '--apply'], 'without confirmation'],
    [
      'a corrupt plan file',
      ['apply', corruptPlan, '--yes'],
      'is not a usable plan: not valid JSON',
    ],
    ['a missing plan file', ['apply', join(dir, 'absent.json'), '--yes'], 'cannot read plan file'],
    [
      'a garbage journal',
      ['rollback', '--journal', garbageJournal, '--yes'],
      'is not JSON: is this an eksposure journal?',
    ],
  ])('%s', async (_what, args, expected) => {
    await withEmulator([], async (emulator) => {
      const before = allConfigs(emulator);
      const run = await cli(emulator, ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(expected);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
      expect(submits(emulator)).toBe(0);
      expect(allConfigs(emulator)).toEqual(before);
    });
  });

  it('a missing credential', async () => {
    await withEmulator([], async (emulator) => {
      const env = isolatedAwsEnv({
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
      });
      const run = await runCli(
        ['remediate', '--apply', '--yes', '--endpoint-url', emulator.url],
        env,
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no usable AWS credentials');
      expect(emulator.stats.calls.size).toBe(0);
    });
  });
});
