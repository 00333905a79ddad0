/**
 * remediate --apply, apply, rollback across accounts, end to end: the built CLI against the
 * emulator serving an organization, from a central account through a role in each member account.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import type { ApplyReport } from '../../src/report/apply-report.js';
import { isolatedAwsEnv, runCli } from '../support/cli.js';
import { FAST, JSON_OUT, readJournal, tempDir } from '../support/remediation.js';
import { schemaErrors } from '../support/schema.js';

const CENTRAL = '111111111111';
const PAYMENTS = '222222222222';
const PLATFORM = '333333333333';
const KEYS = { central: 'AKIAMANAGEMENT000001', payments: 'AKIAPRODUCTION000002' };
const ROLE_TEMPLATE = 'arn:aws:iam::{account}:role/Remediator';
const roleIn = (account: string) => ROLE_TEMPLATE.replace('{account}', account);

/** One open cluster in each member account; the platform account's role asks for an ExternalId. */
const fixture: Fixture = {
  accountId: CENTRAL,
  accessKeys: { [KEYS.central]: CENTRAL, [KEYS.payments]: PAYMENTS },
  roles: { Remediator: { trustedAccounts: [CENTRAL] } },
  accounts: {
    [CENTRAL]: { regions: { 'us-east-1': { clusters: [] } } },
    [PAYMENTS]: { regions: { 'us-east-1': { clusters: [{ name: 'payments' }] } } },
    [PLATFORM]: {
      roles: { Remediator: { trustedAccounts: [CENTRAL], externalId: 'platform-4f1c' } },
      regions: { 'us-east-1': { clusters: [{ name: 'platform' }] } },
    },
  },
};

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await startEmulator({ fixture, faults: [], updateDurationMs: 100 });
});

afterEach(async () => {
  await emulator.close();
});

/** The built CLI with `key`'s credentials, every service sent to the emulator. */
const as = (key: string, ...args: string[]) =>
  runCli([...args, '--endpoint-url', emulator.url], isolatedAwsEnv({ AWS_ACCESS_KEY_ID: key }));

const acrossAccounts = [
  '--accounts',
  `${PAYMENTS},${PLATFORM}`,
  '--role-arn',
  ROLE_TEMPLATE,
  '--external-id',
  'platform-4f1c',
];

const publicAccess = (account: string, name: string) =>
  emulator.state.accounts.get(account)?.regions.get('us-east-1')?.clusters.get(name)
    ?.resourcesVpcConfig.endpointPublicAccess;

const submitsIn = () => emulator.stats.calls.get('eks:UpdateClusterConfig') ?? 0;

describe('remediation across accounts', () => {
  it('remediate --apply changes and verifies a cluster in each account through its role; rollback puts both back', async () => {
    const dir = tempDir();
    const journal = join(dir, 'journal.ndjson');
    const applied = await as(
      KEYS.central,
      'remediate',
      ...acrossAccounts,
      '--apply',
      '--yes',
      '--journal',
      journal,
      ...FAST,
      ...JSON_OUT,
    );
    expect(applied.stderr).not.toContain('platform-4f1c');
    expect(applied.code).toBe(0);
    const report = JSON.parse(applied.stdout) as ApplyReport;
    expect(schemaErrors('apply-report.schema.json', report)).toEqual([]);
    expect(report.clusters.map((c) => [c.accountId, c.roleArn, c.clusterName, c.result])).toEqual([
      [PAYMENTS, roleIn(PAYMENTS), 'payments', 'verified'],
      [PLATFORM, roleIn(PLATFORM), 'platform', 'verified'],
    ]);
    expect(publicAccess(PAYMENTS, 'payments')).toBe(false);
    expect(publicAccess(PLATFORM, 'platform')).toBe(false);

    const lines = readJournal(journal);
    for (const line of lines) expect(schemaErrors('journal-entry.schema.json', line)).toEqual([]);
    expect(new Set(lines.map((l) => `${l.accountId} ${l.roleArn} ${l.clusterName}`))).toEqual(
      new Set([
        `${PAYMENTS} ${roleIn(PAYMENTS)} payments`,
        `${PLATFORM} ${roleIn(PLATFORM)} platform`,
      ]),
    );
    // The plan kept beside the journal names each cluster's account and role, never the ExternalId.
    const planFile = readFileSync(join(dir, `plan-${report.planId}.json`), 'utf8');
    expect(planFile).not.toContain('platform-4f1c');
    expect(schemaErrors('remediation-plan.schema.json', JSON.parse(planFile))).toEqual([]);

    const rolledBack = await as(
      KEYS.central,
      'rollback',
      '--journal',
      journal,
      '--new-journal',
      join(dir, 'rollback.ndjson'),
      '--external-id',
      'platform-4f1c',
      '--yes',
      ...FAST,
      ...JSON_OUT,
    );
    expect(rolledBack.code).toBe(0);
    const undone = JSON.parse(rolledBack.stdout) as ApplyReport;
    expect(undone.clusters.map((c) => [c.accountId, c.result])).toEqual([
      [PAYMENTS, 'verified'],
      [PLATFORM, 'verified'],
    ]);
    expect(publicAccess(PAYMENTS, 'payments')).toBe(true);
    expect(publicAccess(PLATFORM, 'platform')).toBe(true);
  });

  it("refuses a plan applied with another account's credentials: one line naming both accounts, exit 2, nothing changed", async () => {
    const plan = join(tempDir(), 'plan.json');
    const planned = await as(KEYS.payments, 'remediate', '--out', plan);
    expect(planned.code).toBe(0);
    const applied = await as(KEYS.central, 'apply', plan, '--yes', ...FAST);
    expect(applied.code).toBe(2);
    expect(applied.stderr.trim().split('\n')).toEqual([
      `eksposure: the plan ${plan} changes clusters of account ${PAYMENTS} with the caller's own credentials, but these credentials act in account ${CENTRAL}; use credentials of account ${PAYMENTS} (--profile or AWS_PROFILE), or plan again with them (eksposure remediate --out FILE). Nothing was changed.`,
    ]);
    expect(submitsIn()).toBe(0);
    expect(publicAccess(PAYMENTS, 'payments')).toBe(true);
  });

  it('a role that cannot be assumed at apply time fails its account, reported, while the other account is changed', async () => {
    const dir = tempDir();
    const plan = join(dir, 'plan.json');
    expect((await as(KEYS.central, 'remediate', ...acrossAccounts, '--out', plan)).code).toBe(0);
    // Without the ExternalId the platform role's trust policy asks for, AssumeRole is refused.
    const applied = await as(
      KEYS.central,
      'apply',
      plan,
      '--yes',
      '--journal',
      join(dir, 'journal.ndjson'),
      ...FAST,
      ...JSON_OUT,
    );
    expect(applied.code).toBe(1);
    const report = JSON.parse(applied.stdout) as ApplyReport;
    expect(report.clusters.find((c) => c.accountId === PLATFORM)).toMatchObject({
      result: 'failed',
      updateId: null,
      errors: [expect.objectContaining({ code: 'AccessDenied' })],
      reason: expect.stringContaining(
        `account ${PLATFORM} (role ${roleIn(PLATFORM)}) could not be reached`,
      ),
    });
    expect(report.clusters.find((c) => c.accountId === PAYMENTS)?.result).toBe('verified');
    expect(publicAccess(PLATFORM, 'platform')).toBe(true);
    expect(publicAccess(PAYMENTS, 'payments')).toBe(false);
    expect(submitsIn()).toBe(1);
  });

  it("resume watches each account's update through its role; an account whose role is refused stays in flight", async () => {
    await emulator.close();
    emulator = await startEmulator({ fixture, faults: [], updateDurationMs: 1500 });
    const journal = join(tempDir(), 'journal.ndjson');
    const applied = await as(
      KEYS.central,
      'remediate',
      ...acrossAccounts,
      '--apply',
      '--yes',
      '--journal',
      journal,
      '--timeout',
      '0.3s',
      ...FAST,
    );
    expect(applied.code).toBe(4);
    const resume = (...extra: string[]) =>
      as(KEYS.central, 'resume', '--journal', journal, ...extra, ...FAST, ...JSON_OUT);

    const withoutExternalId = await resume();
    expect(withoutExternalId.code).toBe(4);
    const first = JSON.parse(withoutExternalId.stdout) as ApplyReport;
    expect(first.clusters.map((c) => [c.accountId, c.result])).toEqual([
      [PAYMENTS, 'verified'],
      [PLATFORM, 'in-flight'],
    ]);
    expect(first.clusters[1]?.errors).toEqual([expect.objectContaining({ code: 'AccessDenied' })]);

    const withExternalId = await resume('--external-id', 'platform-4f1c');
    expect(withExternalId.code).toBe(0);
    expect((JSON.parse(withExternalId.stdout) as ApplyReport).clusters).toEqual([
      expect.objectContaining({
        accountId: PLATFORM,
        roleArn: roleIn(PLATFORM),
        result: 'verified',
      }),
    ]);
    expect(publicAccess(PLATFORM, 'platform')).toBe(false);
    expect(readJournal(journal).at(-1)).toMatchObject({ accountId: PLATFORM, status: 'Verified' });
  });
});
