import type { FaultRule } from '../../src/emulator/faults.js';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import type { RemediationPlan } from '../../src/remediation/plan.js';
import { findingFor, parseReport } from '../support/report.js';
import { allConfigs, cliAgainst, FAST, tempDir, readJournal } from '../support/remediation.js';
import { schemaErrors } from '../support/schema.js';
import { join } from 'node:path';

const REGION = 'eu-west-1';

/**
 * In eu-west-1, an IPv4 cluster and a dual-stack IPv6 cluster open with AWS's defaults, and two
 * dual-stack clusters whose IPv4 range is restricted: one still open to ::/0, one not. us-east-1,
 * the home region, has no cluster.
 */
const account: Fixture = {
  accountId: '111122223333',
  regions: {
    'us-east-1': {},
    [REGION]: {
      clusters: [
        { name: 'v4-open' },
        { name: 'dual-open', ipFamily: 'ipv6' },
        {
          name: 'dual-v6-open',
          ipFamily: 'ipv6',
          endpointPrivateAccess: true,
          publicAccessCidrs: ['203.0.113.0/24', '::/0'],
        },
        {
          name: 'dual-restricted',
          ipFamily: 'ipv6',
          endpointPrivateAccess: true,
          publicAccessCidrs: ['203.0.113.0/24', '2001:db8::/32'],
        },
      ],
    },
  },
};

async function withEmulator<T>(
  faults: FaultRule[],
  body: (emulator: RunningEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ fixture: account, faults, updateDurationMs: 100 });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

const cidrsOf = (emulator: RunningEmulator, name: string) =>
  emulator.state.regions.get(REGION)?.clusters.get(name)?.resourcesVpcConfig.publicAccessCidrs;

const BOTH = ['--allow-cidr', '203.0.113.0/24', '--allow-cidr', '2001:db8::/32'];
const remediate = (emulator: RunningEmulator, ...args: string[]) =>
  cliAgainst(
    emulator,
    'remediate',
    '--mode',
    'allowlist',
    '--regions',
    REGION,
    '--cluster',
    'v4-open',
    '--cluster',
    'dual-open',
    ...args,
  );

describe('audit of dual-stack clusters', () => {
  it('fails the default 0.0.0.0/0 + ::/0 and ::/0 next to a restricted IPv4 range; passes both restricted', async () => {
    await withEmulator([], async (emulator) => {
      const run = await cliAgainst(emulator, 'audit', '--output', 'json', '--regions', REGION);
      expect(run.code).toBe(1);
      const report = parseReport(run.stdout);
      expect(findingFor(report, REGION, 'dual-open')).toMatchObject({
        status: 'FAIL',
        message: expect.stringContaining('(0.0.0.0/0, ::/0)') as unknown,
      });
      expect(findingFor(report, REGION, 'dual-v6-open')).toMatchObject({
        status: 'FAIL',
        message: expect.stringContaining('(203.0.113.0/24, ::/0)') as unknown,
      });
      expect(findingFor(report, REGION, 'dual-restricted').status).toBe('PASS');
    });
  });

  it('is complete when EKS throttles as TooManyRequestsException: every cluster evaluated', async () => {
    const throttle: FaultRule = {
      service: 'eks',
      throttleRate: 0.3,
      throttleAs: 'TooManyRequestsException',
    };
    await withEmulator([throttle], async (emulator) => {
      const run = await cliAgainst(emulator, 'audit', '--output', 'json', '--regions', REGION);
      expect(emulator.stats.injected.get('throttle')).toBeGreaterThan(0);
      expect(run.code).toBe(1);
      const report = parseReport(run.stdout);
      expect(report.complete).toBe(true);
      expect(report.summary).toMatchObject({ clusters: 4, fail: 3, pass: 1, error: 0 });
    });
  });
});

describe('remediate --mode allowlist with IPv4 and IPv6 CIDRs', () => {
  it('plans both for the dual-stack cluster, and only the IPv4 one for the IPv4 cluster, saying why', async () => {
    await withEmulator([], async (emulator) => {
      const before = allConfigs(emulator);
      const run = await remediate(emulator, ...BOTH, '--output', 'json');
      expect(run.code).toBe(0);
      const plan = JSON.parse(run.stdout) as RemediationPlan;
      expect(schemaErrors('remediation-plan.schema.json', plan)).toEqual([]);
      expect(plan.allowCidrs).toEqual(['203.0.113.0/24', '2001:db8::/32']);
      const byName = new Map(plan.clusters.map((c) => [c.clusterName, c]));
      expect(byName.get('dual-open')).toMatchObject({
        action: 'update',
        change: { publicAccessCidrs: ['203.0.113.0/24', '2001:db8::/32'] },
      });
      expect(byName.get('dual-open')?.leftOutCidrs).toBeUndefined();
      expect(byName.get('v4-open')).toMatchObject({
        action: 'update',
        change: { publicAccessCidrs: ['203.0.113.0/24'] },
        leftOutCidrs: [
          {
            cidr: '2001:db8::/32',
            reason: expect.stringContaining('the cluster is IPv4 (ipFamily ipv4)') as unknown,
          },
        ],
      });
      expect(allConfigs(emulator)).toEqual(before);
    });
  });

  it('shows the left-out entry in the text plan', async () => {
    await withEmulator([], async (emulator) => {
      const run = await remediate(emulator, ...BOTH);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('left out: 2001:db8::/32: the cluster is IPv4 (ipFamily ipv4)');
    });
  });

  it('with --apply --yes, leaves each cluster with the entries it can take', async () => {
    await withEmulator([], async (emulator) => {
      const journal = join(tempDir(), 'journal.ndjson');
      const run = await remediate(
        emulator,
        ...BOTH,
        '--apply',
        '--yes',
        '--journal',
        journal,
        ...FAST,
        '--output',
        'json',
      );
      expect(run.code).toBe(0);
      expect(schemaErrors('apply-report.schema.json', JSON.parse(run.stdout))).toEqual([]);
      for (const entry of readJournal(journal))
        expect(schemaErrors('journal-entry.schema.json', entry)).toEqual([]);
      expect(cidrsOf(emulator, 'dual-open')).toEqual(['203.0.113.0/24', '2001:db8::/32']);
      expect(cidrsOf(emulator, 'v4-open')).toEqual(['203.0.113.0/24']);
      expect(emulator.stats.calls.get('eks:UpdateClusterConfig')).toBe(2);
    });
  });

  it('blocks the IPv4 cluster when the allowlist is IPv6 only, and still plans the dual-stack one', async () => {
    await withEmulator([], async (emulator) => {
      const run = await remediate(emulator, '--allow-cidr', '2001:db8::/32', '--output', 'json');
      expect(run.code).toBe(1);
      const plan = JSON.parse(run.stdout) as RemediationPlan;
      const byName = new Map(plan.clusters.map((c) => [c.clusterName, c]));
      expect(byName.get('v4-open')).toMatchObject({
        action: 'blocked',
        reason: 'blocked by pre-flight: allowlist-family.',
      });
      expect(byName.get('v4-open')?.preflight).toContainEqual(
        expect.objectContaining({ check: 'allowlist-family', status: 'block' }),
      );
      expect(byName.get('dual-open')?.action).toBe('update');
    });
  });

  it('refuses ::/0 with one line and exit 2, changing nothing', async () => {
    await withEmulator([], async (emulator) => {
      const before = allConfigs(emulator);
      const run = await remediate(
        emulator,
        '--allow-cidr',
        '203.0.113.0/24',
        '--allow-cidr',
        '::/0',
        '--apply',
        '--yes',
      );
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain('::/0 admits the whole internet');
      expect(run.stdout).toBe('');
      expect(allConfigs(emulator)).toEqual(before);
      expect(emulator.stats.calls.get('eks:UpdateClusterConfig')).toBeUndefined();
    });
  });
});
