import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';

import { type CliRun, startCli } from '../support/cli.js';
import {
  type HostileFault,
  type HostileProxy,
  type HostileRule,
  startHostileProxy,
} from '../support/hostile-proxy.js';
import { findingFor, parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';
import { type AuditReport, type RegionResult } from '../../src/model/findings.js';

/**
 * The audit behind a misbehaving server: every region but us-east-1 meets one fault, and the
 * scan must still end, quickly, with each fault reported where it happened.
 */
const LIST_FAULTS: Readonly<Record<string, HostileFault>> = {
  'eu-west-1': 'hang',
  'eu-west-2': 'stall-after-headers',
  'eu-west-3': 'trickle',
  'eu-north-1': 'reset',
  'ap-south-1': 'html',
  'ap-southeast-1': 'empty',
  'ap-southeast-2': 'loop-token',
  'ap-northeast-1': 'repeat-names',
};
const DESCRIBE_FAULTS: Readonly<Record<string, HostileFault>> = {
  'ca-central-1': 'stall-after-headers',
  'sa-east-1': 'trickle',
  'me-central-1': 'hang',
};

const DESCRIBE_NONSENSE: Readonly<Record<string, HostileFault>> = {
  'ap-northeast-2': 'empty',
  'ap-northeast-3': 'html',
};

const twoClusters = (region: string) => ({
  clusters: [
    { name: `${region}-open` },
    { name: `${region}-private`, endpointPublicAccess: false, endpointPrivateAccess: true },
  ],
});

const account: Fixture = {
  accountId: '111122223333',
  regions: {
    'us-east-1': twoClusters('us-east-1'),
    // Answers its first DescribeCluster and ListClusters badly, then well: retried, not failed.
    'us-west-2': twoClusters('us-west-2'),
    ...Object.fromEntries(
      [
        ...Object.keys(LIST_FAULTS),
        ...Object.keys(DESCRIBE_FAULTS),
        ...Object.keys(DESCRIBE_NONSENSE),
      ].map((r) => [r, twoClusters(r)]),
    ),
    'af-south-1': { optInStatus: 'not-opted-in', clusters: [{ name: 'never-seen' }] },
  },
};

const regionRules: HostileRule[] = [
  ...Object.entries(LIST_FAULTS).map(([region, fault]) => ({
    operation: 'ListClusters',
    region,
    fault,
  })),
  ...Object.entries({ ...DESCRIBE_FAULTS, ...DESCRIBE_NONSENSE }).map(([region, fault]) => ({
    operation: 'DescribeCluster',
    region,
    fault,
  })),
  { operation: 'ListClusters', region: 'us-west-2', fault: 'reset', times: 1 },
  { operation: 'DescribeCluster', region: 'us-west-2', fault: 'hang', times: 1 },
];

/** Short enough for tests, as a user in a hurry would set them. */
const FAST_FAILURE = ['--request-timeout', '1', '--max-attempts', '2'];
/** Two attempts of one second and the backoff between them, with room for a loaded machine. */
const BOUND_MS = 6_000;

const lines = (text: string) => text.split('\n').filter((l) => l.trim().length > 0);

describe('eksposure audit behind a hostile server', () => {
  let emulator: RunningEmulator;
  let proxy: HostileProxy;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture: account });
    proxy = await startHostileProxy(emulator.url);
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
  });

  /** `audit --output json` through the proxy, timed from its first AWS call (node's start aside). */
  async function audit(...args: string[]): Promise<CliRun & { ms: number }> {
    const before = proxy.calls('DescribeRegions');
    const running = startCli(['audit', '--output', 'json', '--endpoint-url', proxy.url, ...args]);
    await running.waitFor(() => proxy.calls('DescribeRegions') > before, 'the first AWS call');
    const firstCall = Date.now();
    const run = await running.exited;
    return { ...run, ms: Date.now() - firstCall };
  }

  describe('one fault per region', () => {
    let run: CliRun & { ms: number };
    let report: AuditReport;
    const region = (name: string): RegionResult | undefined =>
      report.regions.find((r) => r.region === name);

    beforeAll(async () => {
      proxy.setRules(regionRules);
      run = await audit(...FAST_FAILURE);
      report = parseReport(run.stdout);
    }, 20_000);

    it('ends within the bound, incomplete, exit 3, with a report that follows the schema', () => {
      expect(run.ms).toBeLessThan(BOUND_MS);
      expect(run.code).toBe(3);
      expect(report.complete).toBe(false);
      expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    });

    it.each(['eu-west-1', 'eu-west-2', 'eu-west-3'])(
      'gives up on ListClusters in %s (hang, stall after headers, trickle) after its attempts: region error, timeout',
      (name) => {
        expect(region(name)).toMatchObject({
          status: 'error',
          clusterCount: null,
          error: { code: 'TimeoutError' },
        });
      },
    );

    it('reports a connection reset on every attempt as a region error', () => {
      expect(region('eu-north-1')).toMatchObject({ status: 'error', clusterCount: null });
    });

    it.each(['ap-south-1', 'ap-southeast-1'])(
      'takes an HTML page or an empty 200 from ListClusters in %s for a region error, not an empty region',
      (name) => {
        expect(region(name)).toMatchObject({ status: 'error', clusterCount: null });
        expect(report.findings.filter((f) => f.region === name)).toEqual([]);
      },
    );

    it('stops a nextToken that never changes and says so', () => {
      expect(region('ap-southeast-2')).toMatchObject({
        status: 'error',
        clusterCount: null,
        error: { code: 'PaginationLoop', message: expect.stringContaining('nextToken') },
      });
    });

    it('stops pages that repeat the same names, naming one, and still judges the clusters it read once', () => {
      expect(region('ap-northeast-1')).toMatchObject({
        status: 'error',
        error: { code: 'PaginationLoop', message: expect.stringContaining('twice') },
      });
      expect(
        report.findings.filter((f) => f.region === 'ap-northeast-1').map((f) => f.status),
      ).toEqual(['FAIL', 'PASS']);
    });

    it.each(Object.keys(DESCRIBE_FAULTS))(
      'gives up on DescribeCluster in %s: each cluster ERROR with a timeout, the region itself listed',
      (name) => {
        expect(region(name)).toMatchObject({ status: 'ok', clusterCount: 2 });
        const open = findingFor(report, name, `${name}-open`);
        expect(open).toMatchObject({ status: 'ERROR', error: { code: 'TimeoutError' } });
      },
    );

    it.each(Object.entries(DESCRIBE_NONSENSE))(
      'takes a DescribeCluster answer in %s (%s) without a cluster for an ERROR finding',
      (name) => {
        expect(region(name)).toMatchObject({ status: 'ok', clusterCount: 2 });
        expect(findingFor(report, name, `${name}-open`)).toMatchObject({
          status: 'ERROR',
          message: expect.stringContaining('DescribeCluster failed'),
        });
      },
    );

    it('retries a reset ListClusters and a hung DescribeCluster within --max-attempts and reads the region', () => {
      expect(region('us-west-2')).toMatchObject({ status: 'ok', clusterCount: 2 });
      expect(findingFor(report, 'us-west-2', 'us-west-2-open').status).toBe('FAIL');
      expect(findingFor(report, 'us-west-2', 'us-west-2-private').status).toBe('PASS');
    });

    it('reads the healthy region in full', () => {
      expect(region('us-east-1')).toMatchObject({ status: 'ok', clusterCount: 2, error: null });
      expect(findingFor(report, 'us-east-1', 'us-east-1-open').status).toBe('FAIL');
    });
  });

  it.each<HostileFault>(['hang', 'stall-after-headers', 'trickle', 'reset', 'html', 'empty'])(
    'DescribeRegions answering with %s: nothing reported, exit 3, one line, within the bound',
    async (fault) => {
      proxy.setRules([{ operation: 'DescribeRegions', fault }]);
      const listedBefore = proxy.calls('ListClusters');
      const run = await audit(...FAST_FAILURE);
      expect(run.ms).toBeLessThan(BOUND_MS);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/could not list the account's regions .*nothing was scanned/),
      ]);
      // The default regions' ListClusters went out while DescribeRegions was awaited (surely so
      // while it hangs for two attempts); what they found is discarded, not reported.
      if (fault === 'hang') expect(proxy.calls('ListClusters')).toBeGreaterThan(listedBefore);
    },
    15_000,
  );

  describe('a signal while a call hangs', () => {
    beforeEach(() => proxy.setRules([{ operation: 'ListClusters', fault: 'hang' }]));

    it.each([
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const)(
      'audit on %s: ends at once with exit %i and one line saying nothing was changed',
      async (signal, code) => {
        const before = proxy.calls('ListClusters');
        const running = startCli(['audit', '--endpoint-url', proxy.url]);
        await running.waitFor(() => proxy.calls('ListClusters') > before, 'a ListClusters call');
        const signalledAt = Date.now();
        running.signal(signal);
        const run = await running.exited;
        expect(Date.now() - signalledAt).toBeLessThan(3_000);
        expect(run.code).toBe(code);
        expect(run.stdout).toBe('');
        expect(lines(run.stderr)).toEqual([
          `eksposure: ${signal} received: the scan was interrupted before it finished; nothing was changed.`,
        ]);
      },
      15_000,
    );

    it('audit on SIGTERM while the SDK backs off from throttling: the pending backoff does not keep it alive', async () => {
      const throttled = await startEmulator({
        fixture: account,
        faults: [{ service: 'eks', operation: 'ListClusters', throttleRate: 1 }],
      });
      try {
        const listed = () => throttled.stats.calls.get('eks:ListClusters') ?? 0;
        const running = startCli([
          'audit',
          '--endpoint-url',
          throttled.url,
          '--regions',
          'us-east-1',
        ]);
        // After the third throttled answer the SDK waits up to 4 s (1 s base, doubling) before the fourth.
        await running.waitFor(() => listed() >= 3, 'a third throttled ListClusters');
        const signalledAt = Date.now();
        running.signal('SIGTERM');
        const run = await running.exited;
        expect(run.code).toBe(143);
        expect(Date.now() - signalledAt).toBeLessThan(1_500);
      } finally {
        await throttled.close();
      }
    }, 15_000);

    it('remediate dry run on SIGTERM while gathering facts: exit 143, no plan written', async () => {
      proxy.setRules([{ operation: 'ListUpdates', fault: 'hang' }]);
      const out = join(mkdtempSync(join(tmpdir(), 'eksposure-faults-')), 'plan.json');
      const before = proxy.calls('ListUpdates');
      const running = startCli([
        'remediate',
        '--endpoint-url',
        proxy.url,
        '--regions',
        'us-east-1',
        '--out',
        out,
      ]);
      await running.waitFor(() => proxy.calls('ListUpdates') > before, 'a ListUpdates call');
      const signalledAt = Date.now();
      running.signal('SIGTERM');
      const run = await running.exited;
      expect(Date.now() - signalledAt).toBeLessThan(3_000);
      expect(run.code).toBe(143);
      expect(lines(run.stderr)).toEqual([expect.stringContaining('nothing was changed')]);
      expect(existsSync(out)).toBe(false);
    }, 15_000);
  });
});
