/**
 * `eksposure audit` across accounts, through the built CLI, against the emulator's organization
 * (fixtures/organization.json): roles assumed per account, Organizations listed page by page,
 * accounts that cannot be assumed reported as errors while the others are scanned.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Fixture, parseFixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';

import { type CliRun, isolatedAwsEnv, REPO_ROOT, runCli, startCli } from '../support/cli.js';
import { parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';
import { type AuditReport } from '../../src/model/findings.js';

const ROLE = 'arn:aws:iam::{account}:role/SecurityAudit';
const organization: Fixture = parseFixture(
  JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'organization.json'), 'utf8')),
);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ fixture: organization });
});
afterAll(() => emulator.close());

/**
 * Runs as the management account (the default test key acts in the fixture's default account),
 * with Node's own warnings on: a user sees them.
 */
const audit = (...args: string[]): Promise<CliRun> =>
  runCli(
    ['audit', '--endpoint-url', emulator.url, '--log-level', 'silent', ...args],
    isolatedAwsEnv({ NODE_NO_WARNINGS: undefined }),
  );

function validReport(run: CliRun): AuditReport {
  const report = parseReport(run.stdout);
  expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
  return report;
}

const statuses = (report: AuditReport) =>
  report.accounts.map((a) => [a.accountId, a.status, a.reason ?? a.error?.code ?? null]);
const clusters = (report: AuditReport) =>
  report.findings.map((f) => `${f.accountId}/${f.region}/${f.clusterName} ${f.status}`);

describe('named accounts', () => {
  it('scans the accounts whose role it can assume, reports the refused one, and exits 3', async () => {
    const run = await audit(
      '--accounts',
      '333333333333,555555555555',
      '--accounts',
      '222222222222',
      '--role-arn',
      ROLE,
      '--output',
      'json',
    );
    expect(run.code).toBe(3);
    const report = validReport(run);
    expect(report.schemaVersion).toBe('2.4.0');
    // Since 2.2.0 the run says how many calls AWS throttled, per service (none here).
    expect(report.run).toEqual({ throttledCalls: { eks: 0, ec2: 0, sts: 0, organizations: 0 } });
    expect(report.complete).toBe(false);
    expect(statuses(report)).toEqual([
      ['222222222222', 'ok', null],
      ['333333333333', 'ok', null],
      ['555555555555', 'error', 'AccessDenied'],
    ]);
    expect(report.accounts[2]?.error?.message).toContain(
      'could not assume arn:aws:iam::555555555555:role/SecurityAudit',
    );
    expect(report.accounts[0]?.roleArn).toBe('arn:aws:iam::222222222222:role/SecurityAudit');
    expect(clusters(report)).toEqual([
      '222222222222/eu-west-1/ledger PASS',
      '222222222222/us-east-1/payments FAIL',
      '333333333333/us-east-1/platform FAIL',
    ]);
    expect(report.regions.every((r) => r.accountId !== '555555555555')).toBe(true);
    expect(report.summary).toMatchObject({
      accounts: 3,
      accountsScanned: 2,
      accountsFailed: 1,
      accountsSkipped: 0,
    });
  });

  it('reads an accounts file and sends the ExternalId the role asks for; the table groups by account', async () => {
    const file = join(isolatedAwsEnv().HOME ?? '', 'accounts.txt');
    writeFileSync(file, '# vendor needs an external id\n666666666666\n333333333333 # platform\n');
    const run = await audit(
      '--accounts-file',
      file,
      '--role-arn',
      ROLE,
      '--external-id',
      'eksposure-4f1c',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Account 333333333333: 1 finding\n.*\nFAIL\s+us-east-1\s+platform/);
    expect(run.stdout).toMatch(
      /Account 666666666666: 1 finding\n.*\nFAIL\s+us-east-1\s+vendor-api/,
    );
    expect(run.stdout).toContain('2 of 2 accounts scanned (0 skipped, 0 failed).');
  });

  it('without account flags, reports the caller’s own account from GetCallerIdentity', async () => {
    const run = await audit('--output', 'json');
    expect(run.code).toBe(0);
    expect(statuses(validReport(run))).toEqual([['111111111111', 'ok', null]]);
  });

  it('refuses a malformed account id in one line, before any AWS call', async () => {
    const callsSoFar = () => [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);
    const before = callsSoFar();
    const run = await audit('--accounts', '22222222222', '--role-arn', ROLE);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'eksposure: --accounts: "22222222222" is not an account id (12 digits, e.g. 123456789012).',
    );
    expect(callsSoFar()).toBe(before);
  });
});

describe('--organization', () => {
  it('follows ListAccounts past an empty first page, skips the SUSPENDED account with its state', async () => {
    const listed = emulator.stats.calls.get('organizations:ListAccounts') ?? 0;
    const run = await audit(
      '--organization',
      '--role-arn',
      ROLE,
      '--external-id',
      'eksposure-4f1c',
      '--exclude-accounts',
      '555555555555',
      '--output',
      'json',
    );
    expect(run.code).toBe(1);
    // One interrupt signal serves every account's calls: many listeners, and no Node warning.
    expect(run.stderr).not.toContain('MaxListenersExceededWarning');
    const report = validReport(run);
    expect(report.complete).toBe(true);
    // 6 organization accounts, 2 a page, after one empty page: 4 pages (the standalone one is not in it).
    expect((emulator.stats.calls.get('organizations:ListAccounts') ?? 0) - listed).toBe(4);
    expect(statuses(report)).toEqual([
      ['111111111111', 'ok', null],
      ['222222222222', 'ok', null],
      ['333333333333', 'ok', null],
      ['444444444444', 'skipped', 'state SUSPENDED'],
      ['666666666666', 'ok', null],
    ]);
    expect(report.accounts.find((a) => a.accountId === '444444444444')?.name).toBe('old-sandbox');
    expect(report.summary).toMatchObject({ accounts: 5, accountsScanned: 4, accountsSkipped: 1 });
    expect(clusters(report)).not.toContain('444444444444/us-east-1/forgotten FAIL');
  });

  it('--ou narrows the scan to that unit and the units under it', async () => {
    const run = await audit(
      '--organization',
      '--ou',
      'ou-a1b2-produnit',
      '--role-arn',
      ROLE,
      '--output',
      'json',
    );
    expect(run.code).toBe(3);
    expect(statuses(validReport(run))).toEqual([
      ['222222222222', 'ok', null],
      ['555555555555', 'error', 'AccessDenied'],
    ]);
    const workload = validReport(
      await audit(
        '--organization',
        '--ou',
        'ou-a1b2-workload',
        '--role-arn',
        ROLE,
        '--external-id',
        'eksposure-4f1c',
        '--exclude-accounts',
        '555555555555',
        '--output',
        'json',
      ),
    );
    expect(workload.accounts.map((a) => a.accountId)).toEqual([
      '222222222222',
      '333333333333',
      '666666666666',
    ]);
  });

  it('says in one line that the caller cannot list the organization', async () => {
    const run = await runCli(
      ['audit', '--endpoint-url', emulator.url, '--organization', '--role-arn', ROLE],
      isolatedAwsEnv({ AWS_ACCESS_KEY_ID: 'AKIASTANDALONE000007' }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^eksposure: could not list the organization's accounts \(AWSOrganizationsNotInUseException: .*\): --organization needs the management account's credentials/,
    );
  });
});

it('on SIGTERM while accounts are being scanned: ends at once, exit 143, one line, no report', async () => {
  const slow = await startEmulator({
    fixture: organization,
    faults: [{ service: 'eks', operation: 'DescribeCluster', latencyMs: 30_000 }],
  });
  try {
    const described = () => slow.stats.calls.get('eks:DescribeCluster') ?? 0;
    const running = startCli([
      'audit',
      '--endpoint-url',
      slow.url,
      '--accounts',
      '222222222222,333333333333',
      '--role-arn',
      ROLE,
    ]);
    await running.waitFor(() => described() >= 2, 'DescribeCluster in both accounts');
    running.signal('SIGTERM');
    const run = await running.exited;
    // Ended without waiting for the answers: both DescribeCluster calls, 30 s each, are still
    // being answered by the emulator when the process is gone.
    expect(slow.stats.inFlight).toBeGreaterThanOrEqual(2);
    expect(run.code).toBe(143);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'eksposure: SIGTERM received: the scan was interrupted before it finished; nothing was changed.',
    );
  } finally {
    await slow.close();
  }
}, 15_000);

/**
 * Buckets `factor` times eksposure's starting rates (burst and refill a second), which the run is
 * not told: its pacing must learn them.
 */
const bucketsAt = (factor: number) => ({
  eks: { capacity: 20 * factor, refillPerSecond: 10 * factor },
  ec2: { capacity: 20 * factor, refillPerSecond: 5 * factor },
  sts: { capacity: 10 * factor, refillPerSecond: 10 * factor },
  organizations: { capacity: Math.max(1, 5 * factor), refillPerSecond: 2 * factor },
});

describe('organization scale under token buckets', () => {
  const ACCOUNTS = ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005'];
  const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
  const CLUSTERS_PER_REGION = 60;
  const organizationOf = (clustersPerRegion: number): Fixture =>
    parseFixture({
      accountId: ACCOUNTS[0],
      roles: { SecurityAudit: { trustedAccounts: [ACCOUNTS[0]] } },
      organization: { id: 'o-scale12345', managementAccountId: ACCOUNTS[0], rootId: 'r-sc12' },
      accounts: Object.fromEntries(
        ACCOUNTS.map((id) => [
          id,
          {
            name: `team-${id.slice(-1)}`,
            regions: Object.fromEntries(
              REGIONS.map((r) => [
                r,
                { generate: [{ count: clustersPerRegion, namePrefix: `${r}-c` }] },
              ]),
            ),
          },
        ]),
      ),
    });
  const fixture = organizationOf(CLUSTERS_PER_REGION);
  /** Regions of 20 clusters: their buckets last a few seconds, as most of an organization's do. */
  const smallRegions = organizationOf(20);

  it('evaluates every cluster with no error and few throttled calls: the client paces itself, without a Node warning', async () => {
    const scaled = await startEmulator({
      fixture,
      // Tighter than AWS-like for EKS (burst 25, 10 a second, per account and region): each
      // region's 61 EKS calls sent unpaced have about one in four throttled (measured).
      tokenBuckets: {
        eks: { capacity: 25, refillPerSecond: 10 },
        sts: { capacity: 10, refillPerSecond: 10 },
        organizations: { capacity: 5, refillPerSecond: 2 },
        ec2: { capacity: 100, refillPerSecond: 20 },
      },
    });
    try {
      const run = await runCli(
        [
          'audit',
          '--endpoint-url',
          scaled.url,
          '--organization',
          '--role-arn',
          ROLE,
          '--output',
          'json',
          '--log-level',
          'silent',
        ],
        // Node's own warnings on, as a user has them: calls waiting on one pacer are many.
        isolatedAwsEnv({ NODE_NO_WARNINGS: undefined }),
      );
      expect(run.stderr).not.toContain('Warning');
      const report = validReport(run);
      expect(report.summary).toMatchObject({
        accounts: 5,
        accountsScanned: 5,
        accountsFailed: 0,
        regionsFailed: 0,
        clusters: ACCOUNTS.length * REGIONS.length * CLUSTERS_PER_REGION,
        error: 0,
      });
      expect(report.complete).toBe(true);
      expect(run.code).toBe(1);
      const calls = [...scaled.stats.calls.values()].reduce((a, b) => a + b, 0);
      const throttled = [...scaled.stats.throttled.values()].reduce((a, b) => a + b, 0);
      expect(throttled).toBeLessThanOrEqual(calls * 0.02);
    } finally {
      await scaled.close();
    }
  });

  /** The organization's audit behind `buckets`: its report, the calls, and the wall time. */
  async function auditBehind(buckets: ReturnType<typeof bucketsAt>, ...flags: string[]) {
    const scaled = await startEmulator({ fixture: smallRegions, tokenBuckets: buckets });
    try {
      const run = await runCli([
        'audit',
        '--endpoint-url',
        scaled.url,
        '--organization',
        '--role-arn',
        ROLE,
        '--output',
        'json',
        ...flags,
      ]);
      const total = (counts: ReadonlyMap<string, number>) =>
        [...counts.values()].reduce((a, b) => a + b, 0);
      return {
        report: validReport(run),
        calls: total(scaled.stats.calls),
        throttled: total(scaled.stats.throttled),
        log: run.stderr
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      };
    } finally {
      await scaled.close();
    }
  }

  it('behind buckets half its starting rates: every cluster evaluated, at most 10 % of calls throttled, and the report counts them', async () => {
    // Unpaced, these buckets throttle far more than a tenth of the calls.
    const unpaced = await auditBehind(bucketsAt(0.5), '--pace', 'off');
    expect(unpaced.throttled).toBeGreaterThan(unpaced.calls * 0.1);
    const { report, calls, throttled } = await auditBehind(bucketsAt(0.5));
    expect(report.summary).toMatchObject({
      clusters: ACCOUNTS.length * REGIONS.length * 20,
      error: 0,
      accountsFailed: 0,
    });
    expect(report.complete).toBe(true);
    expect(throttled).toBeLessThanOrEqual(calls * 0.1);
    // What the emulator throttled is what the report says it met.
    const counted = report.run?.throttledCalls;
    expect(counted && counted.eks + counted.ec2 + counted.sts + counted.organizations).toBe(
      throttled,
    );
  });

  it('behind buckets five times its starting rates, never paces slower than the fixed starting rates', async () => {
    const { report, throttled, log } = await auditBehind(bucketsAt(5), '--log-level', 'info');
    expect(throttled).toBe(0);
    expect(report.summary).toMatchObject({ error: 0, accountsFailed: 0 });
    // What a new bucket would start at once the run is over: never below where it started.
    const finished = log.find((line) => line.msg === 'audit finished');
    const learned = finished?.pacing as Record<string, { burst: number; perSecond: number }>;
    const starting = { eks: [20, 10], ec2: [20, 5], sts: [10, 10], organizations: [5, 2] };
    for (const [service, [burst, perSecond]] of Object.entries(starting)) {
      expect(learned[service]?.burst).toBeGreaterThanOrEqual(burst ?? 0);
      expect(learned[service]?.perSecond).toBeGreaterThanOrEqual(perSecond ?? 0);
    }
    expect(finished?.throttledCalls).toEqual({ eks: 0, ec2: 0, sts: 0, organizations: 0 });
  });
});
