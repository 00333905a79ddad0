import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { runCli } from '../support/cli.js';
import { findingFor, parseReport } from '../support/report.js';

/**
 * The audit starts ListClusters in the 17 default regions before DescribeRegions answers; its
 * answer still decides what is reported. This account lacks most default regions, has one that
 * DescribeRegions lists as not enabled (an account AWS never makes, but a server may answer so),
 * and has an opt-in region that only DescribeRegions can name.
 */
const account: Fixture = {
  regions: {
    'us-east-1': { clusters: [{ name: 'home' }] },
    'eu-west-1': {
      clusters: [{ name: 'dublin', endpointPublicAccess: false, endpointPrivateAccess: true }],
    },
    'us-west-2': { optInStatus: 'not-opted-in', clusters: [{ name: 'never-reported' }] },
    'ap-southeast-3': { optInStatus: 'opted-in', clusters: [{ name: 'jakarta' }] },
  },
};

describe('audit: scans started before DescribeRegions answers', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture: account });
  });
  afterAll(() => emulator.close());

  it('reports only the regions DescribeRegions lists as enabled, opted-in ones included', async () => {
    const run = await runCli(['audit', '--output', 'json', '--endpoint-url', emulator.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.regions.map((r) => [r.region, r.status])).toEqual([
      ['ap-southeast-3', 'ok'],
      ['eu-west-1', 'ok'],
      ['us-east-1', 'ok'],
      ['us-west-2', 'skipped'],
    ]);
    expect(report.findings.map((f) => f.clusterName).sort()).toEqual(['dublin', 'home', 'jakarta']);
    expect(findingFor(report, 'ap-southeast-3', 'jakarta').status).toBe('FAIL');
    expect(report.complete).toBe(true);
    // The default regions this account lacks were asked too, and answered "not enabled".
    expect(emulator.stats.calls.get('eks:ListClusters')).toBeGreaterThan(3);
  });
});
