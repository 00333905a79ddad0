import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { addressInCidrs } from '../../src/net/cidr.js';
import type { ApplyReport } from '../../src/report/apply-report.js';
import {
  EKS_DEFAULT,
  makeTestPki,
  type RunningApiServer,
  type RunningGate,
  startApiServer,
  startGate,
} from '../support/kube-tls.js';
import {
  allConfigs,
  cliAgainst,
  confirmed,
  JSON_OUT,
  submits,
  tempDir,
} from '../support/remediation.js';
import { schemaErrors } from '../support/schema.js';

const REGION = 'us-east-1';
/** The address the tests say the prober has (--my-ip); the gates judge allowlists against it. */
const VANTAGE = '198.51.100.7';
const pki = makeTestPki();
const caData = Buffer.from(pki.ca.cert).toString('base64');

const SLOW_UPDATE_MS = 3_600_000;
let clockSkewMs = 0;
let api: RunningApiServer;
let emulator: RunningEmulator;
const gates: RunningGate[] = [];

/** What the cluster's endpoint lets through, as EKS would: nothing when public access is off, else its allowlist. */
function admitsVantage(name: string): boolean {
  const vpc = emulator.state.regions.get(REGION)?.clusters.get(name)?.resourcesVpcConfig;
  return (
    vpc !== undefined && vpc.endpointPublicAccess && addressInCidrs(VANTAGE, vpc.publicAccessCidrs)
  );
}

beforeAll(async () => {
  api = await startApiServer(pki.server, EKS_DEFAULT);
  const gated = async (name: string) => {
    const gate = await startGate(api.port, () => admitsVantage(name));
    gates.push(gate);
    return { name, endpoint: `https://127.0.0.1:${gate.port}`, certificateAuthority: caData };
  };
  const fixture: Fixture = {
    accountId: '111122223333',
    regions: {
      [REGION]: {
        clusters: [
          await gated('closes'),
          await gated('walled-out'),
          await gated('walled-in'),
          await gated('slow'),
          // Answers whatever its configuration says: a change that did not take from where we stand.
          {
            name: 'stuck',
            endpoint: `https://127.0.0.1:${api.port}`,
            certificateAuthority: caData,
          },
        ],
      },
    },
  };
  emulator = await startEmulator({
    fixture,
    updateDurationMs: 100,
    // 'slow' ends only when a test moves the emulator's clock past it.
    faults: [{ cluster: 'slow', updateDurationMs: SLOW_UPDATE_MS }],
    clock: () => new Date(Date.now() + clockSkewMs),
  });
});

afterAll(async () => {
  await emulator.close();
  await Promise.all([api.close(), ...gates.map((g) => g.close())]);
});

const applyProbingWith = (journal: string, ...args: string[]) =>
  cliAgainst(
    emulator,
    'remediate',
    '--regions',
    REGION,
    '--apply',
    '--probe',
    '--probe-timeout',
    '3',
    ...confirmed(journal),
    ...args,
  );

const applyProbing = (...args: string[]) =>
  applyProbingWith(join(tempDir(), 'journal.ndjson'), ...args);

const reportOf = (stdout: string) => {
  const report = JSON.parse(stdout) as ApplyReport;
  expect(schemaErrors('apply-report.schema.json', report)).toEqual([]);
  return report;
};

describe('remediate --apply --probe: confirms from outside that the change took', () => {
  it('a cluster made private no longer answers: confirmed, exit 0', async () => {
    expect(admitsVantage('closes')).toBe(true);
    const run = await applyProbing('--cluster', 'closes', ...JSON_OUT);
    expect(run.code).toBe(0);
    const report = reportOf(run.stdout);
    expect(report.summary.probe).toEqual({ confirmed: 1, stillAnswering: 0, notJudged: 0 });
    expect(report.clusters[0]?.probe).toMatchObject({
      expected: 'not-reachable',
      confirmed: true,
      attempts: 1,
      observation: { verdict: 'not-reachable', insecure: false },
    });
    expect(run.stderr).toContain('probing 1 changed endpoint from this machine (--probe)');
  });

  it('a cluster that still answers after its change: STILL ANSWERS, exit 1', async () => {
    const run = await applyProbing('--cluster', 'stuck', '--probe-wait', '0');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/STILL ANSWERS\s+us-east-1\/stuck/);
    expect(run.stdout).toContain('1 still answering');
    // The change itself was made and verified; only the observation disagrees.
    expect(run.stdout).toMatch(/VERIFIED\s+us-east-1\/stuck/);
  });

  it('apply PLAN --probe: an allowlist that leaves --my-ip out is confirmed from there', async () => {
    const plan = join(tempDir(), 'plan.json');
    const planned = await cliAgainst(
      emulator,
      'remediate',
      '--regions',
      REGION,
      '--cluster',
      'walled-out',
      '--mode',
      'allowlist',
      '--allow-cidr',
      '203.0.113.0/24',
      '--out',
      plan,
    );
    expect(planned.code).toBe(0);
    const run = await cliAgainst(
      emulator,
      'apply',
      plan,
      '--probe',
      '--my-ip',
      VANTAGE,
      ...confirmed(join(tempDir(), 'journal.ndjson')),
      ...JSON_OUT,
    );
    expect(run.code).toBe(0);
    expect(reportOf(run.stdout).clusters[0]?.probe).toMatchObject({
      expected: 'not-reachable',
      confirmed: true,
      observation: { vantage: VANTAGE, verdict: 'not-reachable' },
    });
  });

  it('an allowlist that admits --my-ip: answers, and is not judged from inside it', async () => {
    const run = await applyProbing(
      '--cluster',
      'walled-in',
      '--mode',
      'allowlist',
      '--allow-cidr',
      '198.51.100.0/24',
      '--my-ip',
      VANTAGE,
      ...JSON_OUT,
    );
    expect(run.code).toBe(0);
    const check = reportOf(run.stdout).clusters[0]?.probe;
    expect(check).toMatchObject({
      expected: 'reachable-from-here',
      confirmed: null,
      observation: { verdict: 'version-disclosed' },
    });
    expect(check?.summary).toContain(`${VANTAGE} is inside the allowlist`);
  });
});

describe('resume --probe', () => {
  it('confirms a change that outlasted --timeout once resume has watched it to the end', async () => {
    const journal = join(tempDir(), 'journal.ndjson');
    const timedOut = await applyProbingWith(journal, '--cluster', 'slow', '--timeout', '1s');
    expect(timedOut.code).toBe(4);
    // Nothing verified yet, so nothing to confirm: the probe waits for resume.
    expect(timedOut.stdout).toMatch(/IN FLIGHT\s+us-east-1\/slow/);
    expect(timedOut.stdout).not.toContain('CONFIRMED');
    clockSkewMs = SLOW_UPDATE_MS;
    const resumed = await cliAgainst(
      emulator,
      'resume',
      '--journal',
      journal,
      '--poll-interval',
      '0.2',
      '--probe',
      ...JSON_OUT,
    );
    expect(resumed.code).toBe(0);
    expect(reportOf(resumed.stdout).clusters[0]?.probe).toMatchObject({
      expected: 'not-reachable',
      confirmed: true,
    });
  });
});

describe('probe flags on the change path: one line, exit 2, nothing changed', () => {
  it.each([
    [
      ['remediate', '--regions', REGION, '--probe'],
      '--probe with remediate confirms changes, so it needs --apply',
    ],
    [
      ['remediate', '--regions', REGION, '--apply', '--yes', '--probe-wait', '30s'],
      '--probe-wait applies only with --probe',
    ],
    [
      ['remediate', '--regions', REGION, '--apply', '--yes', '--probe', '--probe-wait', 'soon'],
      '--probe-wait "soon"',
    ],
    [['apply', 'plan.json', '--yes', '--my-ip', VANTAGE], '--my-ip applies only with --probe'],
  ])('%j', async (args, message) => {
    const before = allConfigs(emulator);
    const calls = submits(emulator);
    const run = await cliAgainst(emulator, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
    expect(allConfigs(emulator)).toEqual(before);
    expect(submits(emulator)).toBe(calls);
  });
});
