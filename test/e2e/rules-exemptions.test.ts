import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type CliRun, isolatedAwsEnv, runCli } from '../support/cli.js';
import { findingFor, parseReport, regionAudit } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

/** Each reading and each exemption has its cluster; ap-south-1 denies EKS (an incomplete scan). */
const fixture: Fixture = {
  accountId: ACCOUNT,
  regions: {
    [REGION]: {
      clusters: [
        { name: 'open-default' },
        { name: 'allowlisted', endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
        { name: 'private-only', endpointPublicAccess: false, endpointPrivateAccess: true },
        { name: 'sandbox-1' },
        { name: 'vendor', tags: { 'eksposure/exempt': 'true' } },
        { name: 'legacy' },
      ],
    },
    'ap-south-1': { clusters: [{ name: 'mumbai' }] },
  },
  faults: [{ region: 'ap-south-1', service: 'eks', fail: 'access-denied' }],
};

const exemptions = [
  { cluster: 'sandbox-*', reason: 'vendor demo, ticket SEC-142', expires: '2099-03-31' },
  { tag: { 'eksposure/exempt': 'true' }, account: ACCOUNT, reason: 'SEC-7', expires: '2099-02-01' },
  {
    arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/legacy`,
    rules: ['EKS-001'],
    reason: 'migration, SEC-99',
    expires: '2020-01-15',
  },
  { cluster: 'gone-*', reason: 'cluster deleted since', expires: '2099-01-01' },
];

const totalCalls = (emulator: RunningEmulator) =>
  [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);

/** A folder holding `name` with `content` (a config file). */
function folderWith(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'eksposure-config-'));
  writeFileSync(join(dir, name), content);
  return dir;
}

const configFile = (config: object): string =>
  join(folderWith('exemptions.json', JSON.stringify(config)), 'exemptions.json');

const lines = (text: string) => text.split('\n').filter((l) => l.trim().length > 0);

describe('rules, --fail-on, approved ranges and exemptions against the emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture });
  });
  afterAll(() => emulator.close());

  const { audit, auditJson } = regionAudit(() => emulator.url, REGION);

  it('runs EKS-001 alone by default: a restricted allowlist passes', async () => {
    const { run, report } = await auditJson();
    expect(run.code).toBe(1);
    expect(report.rules.map((r) => r.id)).toEqual(['EKS-001']);
    expect(findingFor(report, REGION, 'allowlisted').status).toBe('PASS');
    expect(findingFor(report, REGION, 'open-default').evidence).toMatchObject({
      openToInternet: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
  });

  it('--rules EKS.1 runs the strict reading: any public endpoint fails, whatever its CIDRs', async () => {
    const { run, report } = await auditJson('--rules', 'EKS.1');
    expect(run.code).toBe(1);
    expect(report.rules).toEqual([
      expect.objectContaining({
        id: 'EKS-002',
        aliases: ['EKS.1', 'eks-endpoint-no-public-access'],
      }),
    ]);
    expect(findingFor(report, REGION, 'allowlisted')).toMatchObject({
      ruleId: 'EKS-002',
      status: 'FAIL',
      severity: 'high',
      // The report's endpoint columns stay beside the rule's own evidence.
      publicAccessCidrs: ['203.0.113.0/24'],
      evidence: { publicAccessCidrs: ['203.0.113.0/24'] },
    });
    expect(findingFor(report, REGION, 'private-only').status).toBe('PASS');
  });

  it('shows both readings side by side in the table, a row per cluster and rule', async () => {
    const run = await audit('--rules', 'EKS-001,eks-endpoint-no-public-access', '--show-passed');
    expect(run.code).toBe(1);
    const allowlisted = lines(run.stdout).filter((l) => /\ballowlisted\b/.test(l));
    expect(allowlisted).toEqual([
      expect.stringMatching(/^PASS .*EKS-001/),
      expect.stringMatching(/^FAIL .*EKS-002/),
    ]);
  });

  it('refuses an unknown rule in one line, exit 2, before any AWS call', async () => {
    const before = totalCalls(emulator);
    const run = await audit('--rules', 'EKS-001,EKS-999');
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringContaining('unknown rule EKS-999')]);
    expect(run.stderr).toContain('EKS.1');
    expect(totalCalls(emulator)).toBe(before);
  });

  it.each([
    [['--fail-on', 'high'], 0],
    [['--fail-on', 'medium'], 1],
    [['--fail-on', 'never'], 0],
    [['--rules', 'EKS-002', '--fail-on', 'high'], 1],
    [['--rules', 'EKS-002', '--fail-on', 'critical'], 0],
  ])('%j exits %i (EKS-001 is medium, EKS-002 high)', async (args, code) => {
    const run = await audit(...args);
    expect(run.code).toBe(code);
    expect(run.stdout).toContain(`Exit ${code}:`);
  });

  it('still exits 3 with --fail-on never when a region could not be read', async () => {
    const run = await audit('--regions', `${REGION},ap-south-1`, '--fail-on', 'never');
    expect(run.code).toBe(3);
  });

  it('--approved-cidrs fails an allowlist outside the approved ranges, naming them', async () => {
    const { run, report } = await auditJson('--approved-cidrs', '198.51.100.0/24,10.0.0.0/8');
    expect(run.code).toBe(1);
    const finding = findingFor(report, REGION, 'allowlisted');
    expect(finding.status).toBe('FAIL');
    expect(finding.message).toContain('outside the approved CIDRs: 203.0.113.0/24');
    expect(finding.evidence).toMatchObject({ outsideApproved: ['203.0.113.0/24'] });

    const table = await audit('--approved-cidrs', '198.51.100.0/24');
    expect(lines(table.stdout).find((l) => /\ballowlisted\b/.test(l))).toContain(
      'not approved: 203.0.113.0/24',
    );

    const inside = await auditJson('--approved-cidrs', '203.0.112.0/23');
    expect(findingFor(inside.report, REGION, 'allowlisted').status).toBe('PASS');
  });

  it('refuses a malformed --approved-cidrs in one line, exit 2', async () => {
    const run = await audit('--approved-cidrs', '203.0.113.0/33');
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([expect.stringContaining('"203.0.113.0/33"')]);
  });

  describe('with a config file of exemptions', () => {
    let run: CliRun;
    let report: ReturnType<typeof parseReport>;
    beforeAll(async () => {
      ({ run, report } = await auditJson('--config', configFile({ exemptions })));
    });

    it('suppresses matching failures with their reason and expiry, never hiding them', () => {
      for (const [name, index] of [
        ['sandbox-1', 0],
        ['vendor', 1],
      ] as const) {
        expect(findingFor(report, REGION, name)).toMatchObject({
          status: 'SUPPRESSED',
          exemption: {
            index,
            reason: exemptions[index]?.reason,
            expires: exemptions[index]?.expires,
            expired: false,
          },
        });
      }
      expect(report.summary.suppressed).toBe(2);
    });

    it('lets an expired exemption suppress nothing, and says which expired and when', () => {
      const legacy = findingFor(report, REGION, 'legacy');
      expect(legacy.status).toBe('FAIL');
      expect(legacy.message).toContain('exemptions[2] ("migration, SEC-99") expired on 2020-01-15');
      expect(legacy.exemption).toMatchObject({ index: 2, expired: true });
    });

    it('reports an exemption that matched nothing as unused, in the report and on stderr', () => {
      expect(report.exemptions.filter((e) => e.unused).map((e) => e.index)).toEqual([3]);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(/unused exemption: exemptions\[3\] \(cluster gone-\*\)/),
      ]);
    });

    it('exits 1 for the failures left (open-default, and legacy whose exemption expired)', () => {
      expect(run.code).toBe(1);
      expect(report.summary.fail).toBe(2);
    });
  });

  it('exits 0 when every failure is suppressed, and the table says so', async () => {
    const config = configFile({
      exemptions: [
        { cluster: '*', rules: ['EKS-001'], reason: 'accepted, SEC-1', expires: '2099-01-01' },
      ],
    });
    const run = await audit('--config', config);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SUPPRESSED');
    expect(run.stdout).toContain('accepted, SEC-1');
    expect(run.stdout).toMatch(/4 SUPPRESSED/);
  });

  it('reads .eksposure.json from the working directory when --config is not given', async () => {
    const cwd = folderWith(
      '.eksposure.json',
      JSON.stringify({ exemptions: [exemptions[0]], approvedCidrs: ['198.51.100.0/24'] }),
    );
    const run = await runCli(
      ['audit', '--output', 'json', '--endpoint-url', emulator.url, '--regions', REGION],
      isolatedAwsEnv(),
      cwd,
    );
    const report = parseReport(run.stdout);
    expect(findingFor(report, REGION, 'sandbox-1').status).toBe('SUPPRESSED');
    expect(findingFor(report, REGION, 'allowlisted').status).toBe('FAIL');
  });

  it.each([
    ['does not parse', '{"exemptions": [', /is not JSON/],
    [
      'lacks a reason',
      JSON.stringify({ exemptions: [{ cluster: 'a', expires: '2099-01-01' }] }),
      /exemptions\[0\] must have required property 'reason'/,
    ],
    [
      'has no expiry date',
      JSON.stringify({ exemptions: [{ cluster: 'a', reason: 'r', expires: 'soon' }] }),
      /exemptions\[0\]\.expires must match pattern/,
    ],
  ])(
    'refuses a config file that %s: one line, exit 2, no AWS call',
    async (_what, text, problem) => {
      const before = totalCalls(emulator);
      const path = join(folderWith('bad.json', text), 'bad.json');
      const run = await audit('--config', path);
      expect(run.code).toBe(2);
      expect(lines(run.stderr)).toEqual([expect.stringMatching(problem)]);
      expect(run.stderr).toContain(path);
      expect(totalCalls(emulator)).toBe(before);
    },
  );

  it('never plans an exempt cluster for remediation, and says why', async () => {
    const run = await runCli([
      'remediate',
      '--output',
      'json',
      '--endpoint-url',
      emulator.url,
      '--regions',
      REGION,
      '--config',
      configFile({ exemptions }),
    ]);
    const plan = JSON.parse(run.stdout) as {
      clusters: { clusterName: string; action: string; reason: string }[];
    };
    const sandbox = plan.clusters.find((c) => c.clusterName === 'sandbox-1');
    expect(sandbox).toMatchObject({ action: 'skip' });
    expect(sandbox?.reason).toContain('exempt from EKS-001 by exemptions[0] until 2099-03-31');
    expect(plan.clusters.find((c) => c.clusterName === 'legacy')?.action).toBe('update');
    expect(schemaErrors('remediation-plan.schema.json', plan)).toEqual([]);
  });
});

describe('eksposure rules and completion', () => {
  it('lists every rule with id, aliases, severity, title and rationale', async () => {
    const run = await runCli(['rules']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /EKS-001 \(default\)\s+-\s+medium\s+EKS Cluster Endpoint Public Access/,
    );
    expect(run.stdout).toMatch(/EKS-002\s+EKS\.1, eks-endpoint-no-public-access\s+high/);
    const json = JSON.parse((await runCli(['rules', '--output', 'json'])).stdout) as {
      id: string;
      aliases: string[];
      rationale: string;
    }[];
    expect(json.map((r) => r.id)).toEqual(['EKS-001', 'EKS-002', 'EKS-003', 'EKS-PROBE-001']);
    expect(json[1]?.aliases).toContain('EKS.1');
  });

  it('prints a completion script that completes the commands', async () => {
    const script = await runCli(['completion']);
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('--get-yargs-completions');
    const completions = await runCli(['--get-yargs-completions', 'eksposure', 'ru']);
    expect(lines(completions.stdout)).toContain('rules');
  });
});
