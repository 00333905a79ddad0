import type { Cluster } from '@aws-sdk/client-eks';
import { type AccountTarget } from '../../src/model/accounts.js';
import {
  type AccountScanResult,
  type RegionScan,
  type AccountRegion,
} from '../../src/model/scan.js';
import { type AuditReport, type Finding } from '../../src/model/findings.js';
import { type CliRun, runCli } from './cli.js';
import { schemaErrors } from './schema.js';

export function parseReport(stdout: string): AuditReport {
  return JSON.parse(stdout) as AuditReport;
}

/** The cluster's finding (for `ruleId` when given; with several rules a cluster has one per rule). */
export function findingFor(
  report: AuditReport,
  region: string,
  clusterName: string,
  ruleId?: string,
): Finding {
  const finding = report.findings.find(
    (f) =>
      f.region === region &&
      f.clusterName === clusterName &&
      (ruleId === undefined || f.ruleId === ruleId),
  );
  if (!finding) throw new Error(`no finding for ${region}/${clusterName} ${ruleId ?? ''}`);
  return finding;
}

/** The account the unit tests' single-account reports are about. */
export const TEST_ACCOUNT = { accountId: '123456789012', name: null, roleArn: null } as const;

/** One account's scan, as the report builder takes it. */
export function accountScan(
  scans: readonly RegionScan[],
  skipped: readonly AccountRegion[] = [],
  optInStatus: ReadonlyMap<string, string> = new Map(),
  target: AccountTarget = TEST_ACCOUNT,
): AccountScanResult {
  return { target, ok: true, optInStatus, skipped, scans };
}

/** An ACTIVE cluster `c` with this endpoint configuration, as DescribeCluster returns it to a rule. */
export function clusterWithEndpoint(vpc: Cluster['resourcesVpcConfig']): Cluster {
  return {
    name: 'c',
    arn: 'arn:aws:eks:us-east-1:123456789012:cluster/c',
    status: 'ACTIVE',
    resourcesVpcConfig: vpc,
  };
}

/**
 * `audit` of one region against the emulator at `url()` (read at each call: the emulator starts in
 * beforeAll), and the same with `--output json`, its report checked against the schema.
 */
export function regionAudit(url: () => string, region: string) {
  const audit = (...args: string[]): Promise<CliRun> =>
    runCli(['audit', '--endpoint-url', url(), '--regions', region, ...args]);
  const auditJson = async (...args: string[]) => {
    const run = await audit('--output', 'json', ...args);
    const report = parseReport(run.stdout);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    return { run, report };
  };
  return { audit, auditJson };
}
