import { createServer } from 'node:net';
import type { FaultRule } from '../../src/emulator/faults.js';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type CliRun, isolatedAwsEnv, runCli } from '../support/cli.js';
import { findingFor, parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';

/** An account with every access mode, a paginated region, a skipped region and one that denies EKS. */
const account: Fixture = {
  accountId: '111122223333',
  regions: {
    'us-east-1': {
      clusters: [
        { name: 'open-default' },
        { name: 'open-with-private', endpointPrivateAccess: true },
        { name: 'allowlisted', endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
        { name: 'private-only', endpointPublicAccess: false, endpointPrivateAccess: true },
      ],
    },
    'eu-west-1': {
      generate: [
        {
          count: 125,
          namePrefix: 'batch-',
          cluster: { endpointPublicAccess: false, endpointPrivateAccess: true },
        },
        { count: 3, namePrefix: 'exposed-' },
      ],
    },
    'ap-south-1': { clusters: [{ name: 'mumbai' }] },
    'sa-east-1': {
      clusters: [{ name: 'quiet', endpointPublicAccess: false, endpointPrivateAccess: true }],
    },
    'af-south-1': { optInStatus: 'not-opted-in', clusters: [{ name: 'never-seen' }] },
  },
};

const denyMumbai: FaultRule[] = [{ region: 'ap-south-1', service: 'eks', fail: 'access-denied' }];

async function withEmulator<T>(
  faults: FaultRule[],
  body: (emulator: RunningEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ fixture: account, faults, seed: 7 });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

/** `eksposure audit --output json` against a given emulator. */
const auditJson = (emulator: RunningEmulator, ...args: string[]): Promise<CliRun> =>
  runCli(['audit', '--output', 'json', '--endpoint-url', emulator.url, ...args]);

const totalCalls = (emulator: RunningEmulator) =>
  [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);
const lines = (text: string) => text.split('\n').filter((l) => l.trim().length > 0);

describe('eksposure audit against the emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture: account, faults: denyMumbai });
  });
  afterAll(() => emulator.close());

  const audit = (...args: string[]) => runCli(['audit', '--endpoint-url', emulator.url, ...args]);

  describe('every region of the account', () => {
    let run: CliRun;
    beforeAll(async () => {
      run = await audit('--output', 'json');
    });

    it('exits 3 because one region could not be read, even though clusters FAIL too', () => {
      expect(run.code).toBe(3);
      const report = parseReport(run.stdout);
      expect(report.complete).toBe(false);
      expect(report.summary.fail).toBeGreaterThan(0);
    });

    it('reports the denied region as an error with AWS’s message, and scans the others', () => {
      const report = parseReport(run.stdout);
      const byRegion = Object.fromEntries(report.regions.map((r) => [r.region, r]));
      expect(byRegion['ap-south-1']).toMatchObject({
        status: 'error',
        error: { code: 'AccessDeniedException' },
      });
      expect(byRegion['ap-south-1']?.error?.message).toContain('eks:ListClusters');
      expect(byRegion['us-east-1']).toMatchObject({ status: 'ok', clusterCount: 4, error: null });
      expect(byRegion['sa-east-1']).toMatchObject({ status: 'ok', clusterCount: 1 });
    });

    it('lists a region that is not opted in as skipped, without calling it', () => {
      const report = parseReport(run.stdout);
      expect(report.regions.find((r) => r.region === 'af-south-1')).toMatchObject({
        status: 'skipped',
        optInStatus: 'not-opted-in',
        clusterCount: null,
      });
      expect(report.findings.some((f) => f.region === 'af-south-1')).toBe(false);
    });

    it('follows ListClusters pagination past 100 clusters and evaluates every one', () => {
      const report = parseReport(run.stdout);
      const euWest = report.findings.filter((f) => f.region === 'eu-west-1');
      expect(euWest).toHaveLength(128);
      expect(new Set(euWest.map((f) => f.clusterName)).size).toBe(128);
      expect(euWest.filter((f) => f.status === 'FAIL').map((f) => f.clusterName)).toEqual([
        'exposed-1',
        'exposed-2',
        'exposed-3',
      ]);
    });

    it('judges each access mode and reports what it saw', () => {
      const report = parseReport(run.stdout);
      expect(findingFor(report, 'us-east-1', 'open-default')).toMatchObject({
        ruleId: 'EKS-001',
        status: 'FAIL',
        severity: 'medium',
        arn: 'arn:aws:eks:us-east-1:111122223333:cluster/open-default',
        clusterStatus: 'ACTIVE',
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
        accessMode: 'public-open',
        accessDescription: 'public open (private off)',
      });
      expect(findingFor(report, 'us-east-1', 'open-with-private')).toMatchObject({
        status: 'FAIL',
        accessDescription: 'public open (private on)',
      });
      expect(findingFor(report, 'us-east-1', 'allowlisted')).toMatchObject({
        status: 'PASS',
        accessDescription: 'public restricted to 1 CIDR (private on)',
      });
      expect(findingFor(report, 'us-east-1', 'private-only')).toMatchObject({
        status: 'PASS',
        accessMode: 'private',
      });
    });

    it('prints a report that validates against the published JSON Schema', () => {
      expect(schemaErrors('audit-report.schema.json', parseReport(run.stdout))).toEqual([]);
    });
  });

  it('--regions restricts the scan and still reports a requested region that is not enabled', async () => {
    const run = await audit(
      '--output',
      'json',
      '--regions',
      'us-east-1,af-south-1',
      '--regions',
      'sa-east-1',
    );
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.requestedRegions).toEqual(['us-east-1', 'af-south-1', 'sa-east-1']);
    expect(report.regions.map((r) => [r.region, r.status])).toEqual([
      ['af-south-1', 'skipped'],
      ['sa-east-1', 'ok'],
      ['us-east-1', 'ok'],
    ]);
    expect(report.complete).toBe(true);
  });

  it('exits 0 when every cluster it evaluated passes', async () => {
    const run = await audit('--output', 'json', '--regions', 'sa-east-1');
    expect(run.code).toBe(0);
    expect(parseReport(run.stdout).summary).toMatchObject({
      clusters: 1,
      pass: 1,
      fail: 0,
      error: 0,
    });
  });

  it('refuses an unknown region up front: exit 2, one line naming it, no EKS call', async () => {
    const before = emulator.stats.calls.get('eks:ListClusters') ?? 0;
    const run = await audit('--regions', 'us-east-1,mars-north-1');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain('mars-north-1');
    expect(emulator.stats.calls.get('eks:ListClusters') ?? 0).toBe(before);
  });

  it('says nothing was scanned, exit 2, when --regions names only regions that are not enabled', async () => {
    const before = emulator.stats.calls.get('eks:ListClusters') ?? 0;
    const run = await audit('--regions', 'af-south-1');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/nothing was scanned: .*af-south-1 \(not-opted-in\)/),
    ]);
    expect(emulator.stats.calls.get('eks:ListClusters') ?? 0).toBe(before);
  });

  it('refuses a malformed region name before touching the network', async () => {
    const before = totalCalls(emulator);
    const run = await audit('--regions', 'us_east_1');
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringContaining('"us_east_1"')]);
    expect(totalCalls(emulator)).toBe(before);
  });

  it('prints a readable table with --show-passed, failing clusters last, with the regions not scanned', async () => {
    const run = await audit('--show-passed');
    expect(run.code).toBe(3);
    const out = lines(run.stdout);
    const lastRow = out.findIndex((l) => l.startsWith('Regions not fully scanned')) - 1;
    expect(out[lastRow]).toMatch(/^FAIL\s/);
    expect(run.stdout).toMatch(
      /FAIL\s+us-east-1\s+open-default\s+public open \(private off\)\s+0\.0\.0\.0\/0\s+ACTIVE/,
    );
    expect(run.stdout).toMatch(/ap-south-1\s+error\s+AccessDeniedException/);
    expect(run.stdout).toMatch(/af-south-1\s+skipped/);
    expect(run.stdout).toContain('Exit 3: the scan is incomplete');
  });

  it('keeps stdout for the report only: logs go to stderr, and no secret is printed', async () => {
    const run = await audit('--output', 'json', '--log-level', 'trace', '--regions', 'us-east-1');
    expect(() => parseReport(run.stdout)).not.toThrow();
    expect(run.stderr).toContain('"msg":"audit finished"');
    expect(run.stdout + run.stderr).not.toContain('eksposure-test-secret-do-not-print');
  });

  it('reads the endpoint from AWS_ENDPOINT_URL', async () => {
    const run = await runCli(
      ['audit', '--output', 'json', '--regions', 'sa-east-1'],
      isolatedAwsEnv({ AWS_ENDPOINT_URL: emulator.url }),
    );
    expect(run.code).toBe(0);
  });
});

describe('eksposure audit when AWS misbehaves', () => {
  it('evaluates every cluster when one call in five is throttled (EKS and EC2)', async () => {
    await withEmulator([...denyMumbai, { throttleRate: 0.2 }], async (emulator) => {
      // Retries alone carry the scan through. (Paced, it would rightly slow down a great deal
      // for throttling this heavy: test/unit/aws/pacing.test.ts.)
      const run = await auditJson(
        emulator,
        ...['--regions', 'us-east-1,eu-west-1,sa-east-1', '--pace', 'off'],
      );
      expect(emulator.stats.injected.get('throttle')).toBeGreaterThan(10);
      expect(run.code).toBe(1);
      const report = parseReport(run.stdout);
      expect(report.complete).toBe(true);
      expect(report.summary).toMatchObject({ clusters: 133, error: 0 });
    });
  });

  it('without enough retry budget the same throttling leaves clusters unread, and says so (exit 3)', async () => {
    await withEmulator(
      [{ service: 'eks', operation: 'DescribeCluster', throttleRate: 0.2 }],
      async (emulator) => {
        const run = await auditJson(
          emulator,
          ...['--regions', 'eu-west-1', '--max-attempts', '1', '--pace', 'off'],
        );
        expect(run.code).toBe(3);
        const errors = parseReport(run.stdout).findings.filter((f) => f.status === 'ERROR');
        expect(errors.length).toBeGreaterThan(0);
        expect(errors[0]).toMatchObject({
          error: { code: 'ThrottlingException' },
          accessMode: null,
        });
        expect(errors[0]?.message).toContain('DescribeCluster failed: ThrottlingException');
      },
    );
  });

  it('a cluster that cannot be described is an ERROR finding and makes the scan incomplete', async () => {
    const faults: FaultRule[] = [
      { region: 'us-east-1', operation: 'DescribeCluster', fail: 'server-error' },
    ];
    await withEmulator(faults, async (emulator) => {
      const run = await auditJson(
        emulator,
        '--regions',
        'us-east-1,eu-west-1',
        '--max-attempts',
        '2',
      );
      expect(run.code).toBe(3);
      const report = parseReport(run.stdout);
      expect(report.regions.find((r) => r.region === 'us-east-1')).toMatchObject({
        status: 'ok',
        clusterCount: 4,
      });
      expect(findingFor(report, 'us-east-1', 'open-default')).toMatchObject({
        status: 'ERROR',
        error: { code: 'ServerException' },
      });
      expect(findingFor(report, 'eu-west-1', 'exposed-1').status).toBe('FAIL');
    });
  });

  it('an endpoint that does not answer is one line and exit 3, with nothing on stdout', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const run = await runCli([
      'audit',
      '--endpoint-url',
      `http://127.0.0.1:${port}`,
      '--max-attempts',
      '2',
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([
      expect.stringContaining("could not list the account's regions"),
    ]);
  });
});

describe('eksposure audit refuses bad input with one line and exit 2', () => {
  const unreachable = 'http://127.0.0.1:9';

  it.each([
    [
      'no credentials anywhere',
      isolatedAwsEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
      [],
      'no usable AWS credentials',
    ],
    [
      'a profile that does not exist',
      isolatedAwsEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
      ['--profile', 'nope'],
      'profile "nope"',
    ],
    [
      'expired credentials',
      isolatedAwsEnv({ AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z' }),
      [],
      'expired',
    ],
    [
      'a malformed endpoint URL',
      isolatedAwsEnv(),
      ['--endpoint-url', 'localhost:4566'],
      '--endpoint-url',
    ],
    ['a concurrency of zero', isolatedAwsEnv(), ['--concurrency', '0'], '--concurrency'],
    ['an unknown flag', isolatedAwsEnv(), ['--regoins', 'us-east-1'], 'regoins'],
  ])('%s', async (_name, env, args, mention) => {
    const run = await runCli(['audit', '--endpoint-url', unreachable, ...args], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([expect.stringContaining(mention)]);
    expect(run.stderr).not.toMatch(/\bat .+\.js:\d+/);
  });

  it('--help documents the exit codes', async () => {
    const run = await runCli(['audit', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3  the scan is incomplete');
  });
});
