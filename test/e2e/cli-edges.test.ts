import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type CliRun, isolatedAwsEnv, REPO_ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/remediation.js';

/**
 * us-east-1: enough clusters that the JSON report is larger than a pipe's buffer (so a reader that
 * stops early really breaks the pipe), all private so that its audit passes. One open cluster in
 * ap-south-1; af-south-1 not enabled.
 */
const account: Fixture = {
  accountId: '111122223333',
  regions: {
    'us-east-1': {
      generate: [
        {
          count: 300,
          namePrefix: 'private-',
          cluster: { endpointPublicAccess: false, endpointPrivateAccess: true },
        },
      ],
    },
    'ap-south-1': { clusters: [{ name: 'open', endpointPublicAccess: true }] },
    'eu-west-1': {
      clusters: [{ name: 'quiet', endpointPublicAccess: false, endpointPrivateAccess: true }],
    },
    'af-south-1': { optInStatus: 'not-opted-in' },
  },
};

const CLI = join(REPO_ROOT, 'dist', 'eksposure.mjs');
const totalCalls = (emulator: RunningEmulator) =>
  [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);
const nonEmpty = (text: string) => text.split('\n').filter((l) => l.trim().length > 0);

/** A port nothing listens on: taken from the system, then let go. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The env with no static keys: the credentials come from the profile alone. */
const profileEnv = (home: string, extra: Record<string, string> = {}) =>
  isolatedAwsEnv({
    HOME: home,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    ...extra,
  });

describe('the terminal, the file system and the environment', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture: account });
  });
  afterAll(() => emulator.close());

  const calls = async <T>(body: () => Promise<T>): Promise<{ result: T; calls: number }> => {
    const before = totalCalls(emulator);
    const result = await body();
    return { result, calls: totalCalls(emulator) - before };
  };

  it('ends quietly, with its own exit code, under `| head -1`', async () => {
    // A shell pipe, as a user types it: Node's own child pipes are socket pairs, whose larger
    // buffers would take the whole report and never break.
    const child = spawn(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${CLI}" audit --output json --regions us-east-1 | head -1; exit "\${PIPESTATUS[0]}"`,
      ],
      {
        env: isolatedAwsEnv({ AWS_ENDPOINT_URL: emulator.url }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stdout).toBe('{\n');
    expect(stderr).toBe('');
    // Every cluster passes: 0, as when the whole report is read (the crash it replaces exited 1).
    expect(code).toBe(0);
  });

  describe('a path that cannot be written is bad input, refused before any AWS call', () => {
    const dir = tempDir();
    const aFile = join(dir, 'a-file');
    writeFileSync(aFile, 'not a folder');

    it.each([
      ['its folder is a file', join(aFile, 'plan.json'), `${aFile} is a file, not a folder`],
      [
        'its folder does not exist',
        join(dir, 'missing', 'plan.json'),
        `the folder ${join(dir, 'missing')} does not exist`,
      ],
      ['it is a folder', dir, 'it is a folder'],
    ])('--out where %s: exit 2, one line naming the path', async (_case, out, why) => {
      const { result, calls: made } = await calls(() =>
        runCli(['remediate', '--endpoint-url', emulator.url, '--out', out]),
      );
      expect(result.code).toBe(2);
      expect(nonEmpty(result.stderr)).toEqual([
        `eksposure: --out ${out}: ${why}; choose another path.`,
      ]);
      expect(made).toBe(0);
    });

    // root may write anywhere: this case needs an ordinary user (as in CI).
    const unlessRoot = process.getuid?.() === 0 ? it.skip : it;
    unlessRoot('--out in a read-only folder', async () => {
      const readOnly = join(dir, 'read-only');
      mkdirSync(readOnly, { mode: 0o555 });
      const out = join(readOnly, 'plan.json');
      const run = await runCli(['remediate', '--endpoint-url', emulator.url, '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`the folder ${readOnly} is not writable: permission denied`);
      expect(existsSync(out)).toBe(false);
    });
  });

  it('says the emulator port is in use, exit 2, in one line', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const run = await runCli([
        'emulator',
        '--fixtures',
        join(REPO_ROOT, 'fixtures', 'demo.json'),
        '--port',
        String(port),
      ]);
      expect(run.code).toBe(2);
      expect(nonEmpty(run.stderr)).toEqual([
        `eksposure: cannot listen on 127.0.0.1:${port}: the address is already in use (EADDRINUSE); stop what listens there, or choose another --port (0 takes a free one).`,
      ]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  describe('credentials and region', () => {
    it('names a profile that does not exist', async () => {
      const { result, calls: made } = await calls(() =>
        runCli(
          ['audit', '--endpoint-url', emulator.url, '--profile', 'nosuch'],
          profileEnv(tempDir()),
        ),
      );
      expect(result.code).toBe(2);
      expect(nonEmpty(result.stderr)).toEqual([
        'eksposure: no usable AWS credentials: profile "nosuch" is not in ~/.aws/config or ~/.aws/credentials, or holds no credentials (aws configure list-profiles lists them).',
      ]);
      expect(made).toBe(0);
    });

    it("shows a failing credential_process's own error line", async () => {
      const home = tempDir();
      mkdirSync(join(home, '.aws'));
      writeFileSync(
        join(home, '.aws', 'config'),
        '[profile corp]\ncredential_process = sh -c "echo session expired: run corp-login >&2; exit 1"\n',
      );
      const run = await runCli(
        ['audit', '--endpoint-url', emulator.url, '--profile', 'corp'],
        profileEnv(home),
      );
      expect(run.code).toBe(2);
      expect(nonEmpty(run.stderr)).toEqual([
        'eksposure: no usable AWS credentials: the credential_process of profile "corp" failed: session expired: run corp-login.',
      ]);
    });

    it('says, in one line, that --profile wins over static keys in the environment', async () => {
      const home = tempDir();
      mkdirSync(join(home, '.aws'));
      writeFileSync(
        join(home, '.aws', 'credentials'),
        '[audit]\naws_access_key_id = AKIAPROFILE000000000\naws_secret_access_key = profile-secret\n',
      );
      const run = await runCli(
        ['audit', '--endpoint-url', emulator.url, '--profile', 'audit', '--regions', 'eu-west-1'],
        isolatedAwsEnv({ HOME: home }),
      );
      expect(run.code).toBe(0);
      expect(nonEmpty(run.stderr)).toEqual([
        'eksposure: note: using profile "audit"; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment are ignored.',
      ]);
    });

    it('names a home region that is not enabled as the likely cause', async () => {
      const run = await runCli(
        ['audit', '--endpoint-url', emulator.url],
        isolatedAwsEnv({ AWS_REGION: 'af-south-1' }),
      );
      expect(run.code).toBe(2);
      expect(nonEmpty(run.stderr)).toHaveLength(1);
      expect(run.stderr).toContain('if af-south-1 is not enabled for this account');
    });
  });

  describe('endpoints', () => {
    const auditEuWest = (env: Record<string, string>, ...args: string[]): Promise<CliRun> =>
      runCli(
        ['audit', '--output', 'json', '--regions', 'eu-west-1', '--max-attempts', '1', ...args],
        isolatedAwsEnv(env),
      );

    it('AWS_ENDPOINT_URL_EKS and AWS_ENDPOINT_URL_EC2 win over AWS_ENDPOINT_URL', async () => {
      const dead = `http://127.0.0.1:${await deadPort()}`;
      const run = await auditEuWest({
        AWS_ENDPOINT_URL: dead,
        AWS_ENDPOINT_URL_EKS: emulator.url,
        AWS_ENDPOINT_URL_EC2: emulator.url,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    });

    it('--endpoint-url wins over both', async () => {
      const dead = `http://127.0.0.1:${await deadPort()}`;
      const run = await auditEuWest(
        { AWS_ENDPOINT_URL: dead, AWS_ENDPOINT_URL_EKS: dead, AWS_ENDPOINT_URL_EC2: dead },
        '--endpoint-url',
        emulator.url,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    });
  });

  it('fits the plan to 80 columns when asked (COLUMNS exported), splitting no word', async () => {
    const run = await runCli(
      ['remediate', '--regions', 'ap-south-1', '--cluster', 'open'],
      isolatedAwsEnv({ AWS_ENDPOINT_URL: emulator.url, COLUMNS: '80' }),
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.filter((l) => l.length > 80 && !l.includes("'endpointPublicAccess="))).toEqual([]);
    expect(run.stdout).toContain('by hand: aws eks update-cluster-config');
  });

  it("shows the SDK's Node warning as one line before the logs, never between them", async () => {
    const run = await runCli(
      ['audit', '--output', 'json', '--regions', 'eu-west-1', '--log-level', 'info'],
      isolatedAwsEnv({ AWS_ENDPOINT_URL: emulator.url, NODE_NO_WARNINGS: undefined }),
    );
    expect(run.code).toBe(0);
    const lines = nonEmpty(run.stderr);
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');
    const major = Number(process.versions.node.split('.')[0]);
    const notes =
      major < 22
        ? [
            `eksposure: note: the AWS SDK supports Node ${major} until January 2027; use Node 22 or later.`,
          ]
        : [];
    expect(lines.slice(0, notes.length)).toEqual(notes);
    const logs = lines.slice(notes.length);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});
