import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { JournalEntry } from '../../src/remediation/journal.js';
import { type CliRun, runCli } from './cli.js';

/**
 * An account for remediation tests. us-east-1: two open clusters (one with private access and a
 * partly private allowlist), one in a VPC without DNS hostnames (blocked in private mode), one
 * already private. eu-west-1: an open cluster managed by CloudFormation.
 */
export const remediationAccount: Fixture = {
  accountId: '111122223333',
  regions: {
    'us-east-1': {
      vpcs: { 'vpc-0nodns': { enableDnsSupport: true, enableDnsHostnames: false } },
      clusters: [
        { name: 'open-a', publicAccessCidrs: ['0.0.0.0/0'] },
        {
          name: 'open-b',
          endpointPrivateAccess: true,
          publicAccessCidrs: ['10.1.0.0/16', '0.0.0.0/0'],
        },
        { name: 'no-dns', vpcId: 'vpc-0nodns' },
        { name: 'already-private', endpointPublicAccess: false, endpointPrivateAccess: true },
      ],
    },
    'eu-west-1': {
      clusters: [{ name: 'eu-open', tags: { 'aws:cloudformation:stack-name': 'eu-stack' } }],
    },
  },
};

/** Poll updates fast: the emulator's updates take a fraction of a second in these tests. */
export const FAST = ['--poll-interval', '0.05'];

export const JSON_OUT = ['--output', 'json'];

/** Apply without asking, journal to the given file, poll fast. */
export const confirmed = (journal: string) => ['--yes', '--journal', journal, ...FAST];

/** The built CLI against the emulator. */
export const cliAgainst = (emulator: RunningEmulator, ...args: string[]): Promise<CliRun> =>
  runCli([...args, '--endpoint-url', emulator.url]);

export const tempDir = () => mkdtempSync(join(tmpdir(), 'eksposure-e2e-'));

/** Every cluster's endpoint configuration and status, to show that a refused command changed nothing. */
export const allConfigs = (emulator: RunningEmulator) =>
  [...emulator.state.regions.values()].flatMap((r) =>
    [...r.clusters.values()].map((c) => [c.arn, JSON.stringify(c.resourcesVpcConfig), c.status]),
  );

/** UpdateClusterConfig calls the emulator received. */
/** Every call the emulator has answered so far: a refusal before any AWS call leaves it as it was. */
export const callsTo = (emulator: RunningEmulator) =>
  [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);

export const submits = (emulator: RunningEmulator) =>
  emulator.stats.calls.get('eks:UpdateClusterConfig') ?? 0;

export const updatesOf = (emulator: RunningEmulator, name: string, region = 'us-east-1') =>
  emulator.state.regions.get(region)?.updates.get(name) ?? [];

export const readJournal = (path: string): JournalEntry[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as JournalEntry);
