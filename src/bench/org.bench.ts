/**
 * An organization scan: 50 accounts x 17 regions x 20 clusters at 50 ms per call, through a role
 * in each account, behind token buckets per account, region and service whose sizes eksposure is
 * not told: from a quarter of its starting rates to five times them. Its pacing must learn them.
 * Then the same organization in 3 shards, merged, against the single run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture, FixtureAccount } from '../emulator/fixture.js';
import { startEmulator } from '../emulator/server.js';
import type { TokenBucketConfig } from '../emulator/token-bucket.js';
import { emulatorEnv, spawnCli } from '../tools/spawn-cli.js';
import { accountFixture, evenAccount } from './fixtures.js';
import { type BenchRow, round, runProbedCli, verdict } from './measure.js';

const ACCOUNTS = 50;
const CLUSTERS_PER_REGION = 20;
const LATENCY_MS = 50;
const SHARDS = 3;
const WALL_TARGET_MS = 60_000;
/** The wall-time target holds for buckets at least this fraction of the starting rates. */
const WALL_TARGET_FROM = 0.5;
/** Bucket sizes as a fraction of eksposure's starting rates (src/aws/pacing.ts DEFAULT_RATES). */
const BUCKET_FACTORS = (process.env.EKSPOSURE_BENCH_FACTORS ?? '0.25,0.5,1,2,5')
  .split(',')
  .map(Number);
/** eksposure's starting rates, burst and refill a second, which the emulator's buckets scale. */
const STARTING_RATES = {
  eks: [20, 10],
  ec2: [20, 5],
  sts: [10, 10],
  organizations: [5, 2],
} as const;

/** Buckets `factor` times eksposure's starting rates (a capacity of at least one call). */
const bucketsAt = (factor: number): TokenBucketConfig =>
  Object.fromEntries(
    Object.entries(STARTING_RATES).map(([service, [burst, perSecond]]) => [
      service,
      { capacity: Math.max(1, burst * factor), refillPerSecond: perSecond * factor },
    ]),
  );
const THROTTLED_TARGET = 0.1;
const MANAGEMENT_ACCOUNT = '100000000000';
const ROLE_ARN = 'arn:aws:iam::{account}:role/SecurityAudit';

/** Account ids 100000000000, 100000000001, ...: the first is the management account. */
const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => String(100_000_000_000 + i));

function organizationFixture(): Fixture {
  const { regions } = accountFixture(evenAccount(CLUSTERS_PER_REGION));
  const accounts: Record<string, FixtureAccount> = Object.fromEntries(
    accountIds.map((id, i) => [id, { name: `account-${i}`, regions }]),
  );
  return {
    accountId: MANAGEMENT_ACCOUNT,
    roles: { SecurityAudit: { trustedAccounts: [MANAGEMENT_ACCOUNT] } },
    organization: { managementAccountId: MANAGEMENT_ACCOUNT },
    accounts,
  };
}

interface OrgReport {
  readonly complete: boolean;
  readonly summary: { readonly clusters: number; readonly error: number };
  readonly accounts: readonly { readonly accountId: string; readonly status: string }[];
  readonly findings: readonly {
    readonly accountId: string;
    readonly region: string;
    readonly clusterName: string;
    readonly status: string;
  }[];
}

const totalCalls = (counts: ReadonlyMap<string, number>) =>
  [...counts.values()].reduce((a, b) => a + b, 0);

/** What a reader compares between two reports of the same organization. */
const verdicts = (report: OrgReport) =>
  JSON.stringify({
    accounts: report.accounts.map((a) => [a.accountId, a.status]),
    findings: report.findings.map((f) => [f.accountId, f.region, f.clusterName, f.status]),
  });

/** One scan of the organization behind buckets `factor` times eksposure's starting rates. */
async function scanAtBucketSize(
  factor: number,
): Promise<{ row: BenchRow; report: OrgReport; code: number | null }> {
  const emulator = await startEmulator({
    fixture: organizationFixture(),
    faults: [{ latencyMs: LATENCY_MS }],
    tokenBuckets: bucketsAt(factor),
    seed: 42,
  });
  try {
    const run = await runProbedCli(AUDIT_ARGS, emulatorEnv(emulator.url));
    const report = JSON.parse(run.stdout) as OrgReport;
    const calls = totalCalls(emulator.stats.calls);
    const throttled = totalCalls(emulator.stats.throttled);
    const expectedClusters = ACCOUNTS * 17 * CLUSTERS_PER_REGION;
    const evaluated = report.findings.filter((f) => f.status !== 'ERROR').length;
    const errors =
      report.summary.error + report.accounts.filter((a) => a.status === 'error').length;
    const timed = factor >= WALL_TARGET_FROM;
    const pass =
      evaluated === expectedClusters &&
      errors === 0 &&
      report.complete &&
      throttled <= THROTTLED_TARGET * calls &&
      (!timed || run.wallMs <= WALL_TARGET_MS);
    const row: BenchRow = {
      name: `audit --organization, ${ACCOUNTS} accounts x 17 regions x ${CLUSTERS_PER_REGION} clusters, ${LATENCY_MS} ms per call, buckets ${factor}x eksposure's starting rates`,
      figure:
        `${round(run.wallMs / 1000, 1)} s (${evaluated} of ${expectedClusters} clusters evaluated, ${errors} errors, ` +
        `${calls} calls, ${throttled} throttled (${round((100 * throttled) / calls, 1)} %), ${emulator.stats.retried} retries, ` +
        `CPU ${round(run.cpuMs / 1000, 1)} s, exit ${run.code})`,
      target: `every cluster, 0 errors, throttled <= ${THROTTLED_TARGET * 100} %${timed ? `, <= ${WALL_TARGET_MS / 1000} s` : ''}`,
      verdict: verdict(pass),
    };
    return { row, report, code: run.code };
  } finally {
    await emulator.close();
  }
}

const AUDIT_ARGS = [
  'audit',
  '--organization',
  '--role-arn',
  ROLE_ARN,
  '--output',
  'json',
  ...(process.env.EKSPOSURE_BENCH_ARGS ?? '').split(' ').filter(Boolean),
];

export async function organizationRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let atStartingRates: { report: OrgReport; code: number | null } | undefined;
  for (const factor of BUCKET_FACTORS) {
    const scanned = await scanAtBucketSize(factor);
    rows.push(scanned.row);
    if (factor === 1) atStartingRates = scanned;
  }
  if (atStartingRates) rows.push(await shardsRow(atStartingRates));
  return rows;
}

/** The shards run side by side, as an Indexed Job's pods would, against the same buckets. */
async function shardsRow(single: { report: OrgReport; code: number | null }): Promise<BenchRow> {
  const emulator = await startEmulator({
    fixture: organizationFixture(),
    faults: [{ latencyMs: LATENCY_MS }],
    tokenBuckets: bucketsAt(1),
    seed: 42,
  });
  try {
    const env = emulatorEnv(emulator.url);
    const folder = mkdtempSync(join(tmpdir(), 'eksposure-shards-'));
    const started = performance.now();
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) =>
        spawnCli([...AUDIT_ARGS, '--shard', `${i}/${SHARDS}`], env, 'pipe'),
      ),
    );
    const shardsMs = performance.now() - started;
    const files = shards.map((shard, i) => {
      const path = join(folder, `report-${i}.json`);
      writeFileSync(path, shard.stdout);
      return path;
    });
    const merged = await spawnCli(['merge', ...files, '--output', 'json'], env, 'pipe');
    const same =
      merged.code === single.code &&
      verdicts(JSON.parse(merged.stdout) as OrgReport) === verdicts(single.report);
    return {
      name: `${SHARDS} shards of the same organization side by side, then eksposure merge`,
      figure: `${same ? 'same' : 'NOT the same'} accounts, findings and exit code as one run (shards ${round(shardsMs / 1000, 1)} s; merge exit ${merged.code}${merged.code === single.code ? '' : `: ${merged.stderr.trim()}`})`,
      target: 'equal to one run',
      verdict: verdict(same),
    };
  } finally {
    await emulator.close();
  }
}
