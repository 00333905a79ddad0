/**
 * End to end against moto (https://github.com/getmoto/moto), an AWS emulator we did not write:
 * the built CLI audits clusters that boto3 created through moto's own API. Everything stays on
 * 127.0.0.1. Without moto_server (or a python3 with boto3) on PATH the suite is skipped, and says so.
 *
 * What moto 5.2 does, checked by hand before writing this:
 * - DescribeRegions answers 38 regions with or without AllRegions; opt-in regions come back
 *   "not-opted-in", the rest "opt-in-not-required". The CLI must skip the former and scan the rest.
 * - DescribeCluster echoes endpointPublicAccess/endpointPrivateAccess/publicAccessCidrs exactly as
 *   given at creation and fills in no AWS default: a cluster created without them has only
 *   subnetIds (and securityGroupIds) in resourcesVpcConfig.
 * - ListClusters pages at maxResults (default 100) through the names sorted (not in creation
 *   order); nextToken is the name of the first cluster of the next page. The CLI asks for 100, so only more than 100 clusters in
 *   one region proves that it follows nextToken.
 * - CreateCluster costs moto about 90 ms (it builds a boto3 Session per call to validate the role
 *   ARN), so the 110 clusters below take about 10 s to seed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RemediationPlan } from '../../src/remediation/plan.js';

import { isolatedAwsEnv, REPO_ROOT, runCli } from '../support/cli.js';
import {
  type MotoServer,
  motoToolEnv,
  startMotoServer,
  describeIfMoto,
} from '../support/moto-server.js';
import { findingFor, parseReport } from '../support/report.js';
import { type AuditReport, type Finding } from '../../src/model/findings.js';

const HOME_REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's default account
const SEEDER = join(REPO_ROOT, 'test', 'e2e', 'moto', 'seed_clusters.py');
const LIST_PAGE_SIZE = 100; // what the CLI asks ListClusters for

type AccessMode = 'private' | 'public-restricted' | 'public-open';

interface SeededCluster {
  readonly region: string;
  readonly name: string;
  /** Sent to moto's CreateCluster as given; an absent field is left out of the request. */
  readonly vpc: {
    readonly endpointPublicAccess?: boolean;
    readonly endpointPrivateAccess?: boolean;
    readonly publicAccessCidrs?: readonly string[];
  };
  readonly expected: {
    readonly status: 'PASS' | 'FAIL';
    readonly accessMode: AccessMode;
    readonly endpointPublicAccess: boolean;
    readonly endpointPrivateAccess: boolean;
    readonly publicAccessCidrs: readonly string[];
  };
}

function cluster(
  region: string,
  name: string,
  vpc: SeededCluster['vpc'],
  status: 'PASS' | 'FAIL',
  accessMode: AccessMode,
  expectedCidrs: readonly string[] = vpc.publicAccessCidrs ?? [],
): SeededCluster {
  return {
    region,
    name,
    vpc,
    expected: {
      status,
      accessMode,
      // Where moto leaves a field out, the CLI assumes AWS's creation default.
      endpointPublicAccess: vpc.endpointPublicAccess ?? true,
      endpointPrivateAccess: vpc.endpointPrivateAccess ?? false,
      publicAccessCidrs: expectedCidrs,
    },
  };
}

const OPEN_V4 = ['0.0.0.0/0'];

/**
 * us-east-1 gets more than one ListClusters page. moto pages the names in sorted order, so the
 * 99-cluster fleet fills the first page with open-private-off, and open-private-on is alone on
 * the second: a CLI that stopped after the first page would miss a FAIL.
 */
const FLEET_SIZE = 99;
const US_EAST_1: SeededCluster[] = [
  ...Array.from({ length: FLEET_SIZE }, (_, i) =>
    cluster(
      'us-east-1',
      `fleet-${String(i).padStart(3, '0')}`,
      {
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['10.0.0.0/8'],
      },
      'PASS',
      'public-restricted',
    ),
  ),
  cluster(
    'us-east-1',
    'open-private-off',
    { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: OPEN_V4 },
    'FAIL',
    'public-open',
  ),
  cluster(
    'us-east-1',
    'open-private-on',
    { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: OPEN_V4 },
    'FAIL',
    'public-open',
  ),
];

const EU_WEST_1: SeededCluster[] = [
  cluster(
    'eu-west-1',
    'restricted-private-on',
    {
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24', '198.51.100.0/24'],
    },
    'PASS',
    'public-restricted',
  ),
  cluster(
    'eu-west-1',
    'restricted-private-off',
    {
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['192.0.2.10/32'],
    },
    'PASS',
    'public-restricted',
  ),
  cluster(
    'eu-west-1',
    'split-halves-open',
    {
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'],
    },
    'FAIL',
    'public-open',
  ),
  cluster(
    'eu-west-1',
    'empty-allowlist',
    { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: [] },
    'FAIL',
    'public-open',
  ),
  // The same name as in ap-southeast-2, with the opposite verdict.
  cluster(
    'eu-west-1',
    'twin',
    { endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: OPEN_V4 },
    'PASS',
    'private',
  ),
];

const AP_SOUTHEAST_2: SeededCluster[] = [
  // AWS keeps reporting 0.0.0.0/0 after the public endpoint is turned off; it must still pass.
  cluster(
    'ap-southeast-2',
    'private-only',
    { endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: OPEN_V4 },
    'PASS',
    'private',
  ),
  cluster(
    'ap-southeast-2',
    'ipv6-open',
    { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['::/0'] },
    'FAIL',
    'public-open',
  ),
  cluster(
    'ap-southeast-2',
    'twin',
    { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: OPEN_V4 },
    'FAIL',
    'public-open',
  ),
  // No endpoint fields at all: moto answers none, and the CLI must assume AWS's open default.
  cluster('ap-southeast-2', 'moto-defaults', {}, 'FAIL', 'public-open', []),
];

const SEEDED: readonly SeededCluster[] = [...US_EAST_1, ...EU_WEST_1, ...AP_SOUTHEAST_2];
const SEEDED_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
/** The first cluster of us-east-1's second ListClusters page (moto sorts by name): its nextToken. */
const SECOND_PAGE_TOKEN = US_EAST_1.map((c) => c.name).sort()[LIST_PAGE_SIZE]!;

const inRegion = (region: string) => SEEDED.filter((c) => c.region === region);
const withStatus = (clusters: readonly SeededCluster[], status: string) =>
  clusters.filter((c) => c.expected.status === status).length;

const toolEnv = motoToolEnv;

const describeWithMoto = describeIfMoto('the moto end-to-end audit tests');

function runSeeder(endpoint: string, clusters: readonly SeededCluster[]): Promise<void> {
  const spec = {
    endpoint,
    clusters: clusters.map((c) => ({ region: c.region, name: c.name, resourcesVpcConfig: c.vpc })),
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SEEDER], { env: toolEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`seed_clusters.py exited ${code}:\n${output}`)),
    );
    child.stdin.end(JSON.stringify(spec));
  });
}

describeWithMoto('eksposure audit, and the reads of remediate, against moto_server', () => {
  let moto: MotoServer | undefined;
  let endpoint = '';

  beforeAll(async () => {
    moto = await startMotoServer();
    endpoint = moto.endpoint;
    await runSeeder(endpoint, SEEDED);
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  const audit = (...extra: string[]) =>
    runCli(
      ['audit', '--endpoint-url', endpoint, ...extra],
      isolatedAwsEnv({ AWS_REGION: HOME_REGION }),
    );

  function expectFindingsMatch(report: AuditReport, clusters: readonly SeededCluster[]) {
    for (const seeded of clusters) {
      const matching = report.findings.filter(
        (f) => f.region === seeded.region && f.clusterName === seeded.name,
      );
      expect(matching).toHaveLength(1);
      const finding: Finding = findingFor(report, seeded.region, seeded.name);
      expect({
        name: seeded.name,
        ruleId: finding.ruleId,
        status: finding.status,
        region: finding.region,
        arn: finding.arn,
        clusterStatus: finding.clusterStatus,
        accessMode: finding.accessMode,
        endpointPublicAccess: finding.endpointPublicAccess,
        endpointPrivateAccess: finding.endpointPrivateAccess,
        publicAccessCidrs: finding.publicAccessCidrs,
        error: finding.error,
      }).toEqual({
        name: seeded.name,
        ruleId: 'EKS-001',
        status: seeded.expected.status,
        region: seeded.region,
        arn: `arn:aws:eks:${seeded.region}:${ACCOUNT}:cluster/${seeded.name}`,
        clusterStatus: 'ACTIVE',
        accessMode: seeded.expected.accessMode,
        endpointPublicAccess: seeded.expected.endpointPublicAccess,
        endpointPrivateAccess: seeded.expected.endpointPrivateAccess,
        publicAccessCidrs: seeded.expected.publicAccessCidrs,
        error: null,
      });
    }
    expect(report.findings).toHaveLength(clusters.length);
  }

  it('reports every seeded cluster in every enabled region, following ListClusters pages', async () => {
    const run = await audit('--output', 'json');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);

    expect(report.complete).toBe(true);
    expect(report.homeRegion).toBe(HOME_REGION);
    expect(report.requestedRegions).toBeNull();
    expect(report.summary).toMatchObject({
      regionsFailed: 0,
      clusters: SEEDED.length,
      pass: withStatus(SEEDED, 'PASS'),
      fail: withStatus(SEEDED, 'FAIL'),
      error: 0,
    });
    expectFindingsMatch(report, SEEDED);

    // moto's opt-in regions are skipped, every other region is scanned without error.
    const skipped = report.regions.filter((r) => r.status === 'skipped');
    const scanned = report.regions.filter((r) => r.status === 'ok');
    expect(skipped.length).toBeGreaterThan(0);
    expect(scanned.length + skipped.length).toBe(report.regions.length);
    expect(report.summary.regionsSkipped).toBe(skipped.length);
    expect(report.summary.regionsScanned).toBe(scanned.length);
    for (const region of skipped) {
      expect(region).toMatchObject({ optInStatus: 'not-opted-in', clusterCount: null });
    }
    for (const region of scanned) {
      expect(region.optInStatus).toBe('opt-in-not-required');
      expect({ region: region.region, clusterCount: region.clusterCount }).toEqual({
        region: region.region,
        clusterCount: inRegion(region.region).length,
      });
    }
    for (const name of [...SEEDED_REGIONS, 'us-west-2']) {
      expect(scanned.map((r) => r.region)).toContain(name);
    }
    expect(scanned.filter((r) => r.clusterCount === 0).length).toBe(
      scanned.length - SEEDED_REGIONS.length,
    );

    // Proof from moto's own request log that the CLI asked for the second page.
    expect(inRegion('us-east-1').length).toBeGreaterThan(LIST_PAGE_SIZE);
    // Werkzeug logs a request once answered: the line may still be on its way through the pipe.
    const secondPage = `GET /clusters?maxResults=${LIST_PAGE_SIZE}&nextToken=${SECOND_PAGE_TOKEN}`;
    await moto?.logged(`${secondPage} `);
    expect((moto?.log() ?? '').match(/GET \/clusters\?\S*/g)).toContain(secondPage);
    expect(findingFor(report, 'us-east-1', SECOND_PAGE_TOKEN).status).toBe('FAIL');
  });

  it('with --regions eu-west-1 reports that region only', async () => {
    const run = await audit('--output', 'json', '--regions', 'eu-west-1');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);

    expect(report.complete).toBe(true);
    expect(report.requestedRegions).toEqual(['eu-west-1']);
    expect(report.regions).toEqual([
      {
        accountId: '123456789012',
        region: 'eu-west-1',
        status: 'ok',
        optInStatus: 'opt-in-not-required',
        clusterCount: EU_WEST_1.length,
        error: null,
        reason: null,
      },
    ]);
    expect(report.summary).toEqual({
      accounts: 1,
      accountsScanned: 1,
      accountsFailed: 0,
      accountsSkipped: 0,
      regionsScanned: 1,
      regionsSkipped: 0,
      regionsFailed: 0,
      clusters: EU_WEST_1.length,
      pass: withStatus(EU_WEST_1, 'PASS'),
      fail: withStatus(EU_WEST_1, 'FAIL'),
      error: 0,
      suppressed: 0,
    });
    expectFindingsMatch(report, EU_WEST_1);
    // The eu-west-1 twin passes; its failing namesake in ap-southeast-2 is not reported.
    expect(findingFor(report, 'eu-west-1', 'twin').status).toBe('PASS');
  });

  it('exits 0 for a scanned region with no clusters', async () => {
    const run = await audit('--output', 'json', '--regions', 'us-west-2');
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(report.complete).toBe(true);
    expect(report.regions).toEqual([
      expect.objectContaining({ region: 'us-west-2', status: 'ok', clusterCount: 0 }),
    ]);
    expect(report.findings).toEqual([]);
  });

  it('prints FAIL rows, and with --show-passed PASS rows, in the table', async () => {
    const run = await audit('--regions', 'ap-southeast-2', '--show-passed');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^FAIL +ap-southeast-2 +ipv6-open +public open \(private on\) +::\/0 +ACTIVE$/m,
    );
    expect(run.stdout).toMatch(
      /^FAIL +ap-southeast-2 +moto-defaults +public open \(private off\) +\(none: open\) +ACTIVE$/m,
    );
    expect(run.stdout).toMatch(/^PASS +ap-southeast-2 +private-only +private only +- +ACTIVE$/m);
    const fail = withStatus(AP_SOUTHEAST_2, 'FAIL');
    const pass = withStatus(AP_SOUTHEAST_2, 'PASS');
    expect(run.stdout).toContain(
      `${AP_SOUTHEAST_2.length} clusters in 1 region (0 skipped, 0 failed): ${fail} FAIL, ${pass} PASS, 0 ERROR.`,
    );
    expect(run.stdout).toContain('Exit 1: clusters are open to the internet.');
  });
  // moto answers ListUpdates with a 404 page and leaves vpcId out of DescribeCluster: a planner
  // that guessed would submit; eksposure must block each cluster and say why.
  it('remediate reads the same clusters and blocks each one it cannot check, instead of guessing', async () => {
    const run = await runCli(
      ['remediate', '--endpoint-url', endpoint, '--output', 'json'],
      isolatedAwsEnv({ AWS_REGION: HOME_REGION }),
    );
    expect(run.code).toBe(1);
    const plan = JSON.parse(run.stdout) as RemediationPlan;
    const failing = SEEDED.filter((c) => c.expected.status === 'FAIL');
    expect(plan.clusters.map((c) => `${c.region}/${c.clusterName}`).sort()).toEqual(
      failing.map((c) => `${c.region}/${c.name}`).sort(),
    );
    for (const cluster of plan.clusters) {
      expect(cluster.action).toBe('blocked');
      expect(cluster.preflight).toContainEqual(
        expect.objectContaining({ check: 'cluster-state', status: 'block' }),
      );
      expect(cluster.preflight).toContainEqual(
        expect.objectContaining({ check: 'vpc-dns', status: 'block' }),
      );
    }
  });
});
