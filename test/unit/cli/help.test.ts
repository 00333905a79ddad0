import { jest } from '@jest/globals';
import { type CliDeps, realDeps } from '../../../src/cli/deps.js';
import { runCli } from '../../../src/cli/run.js';
import { toolVersion } from '../../../src/cli/version.js';

/** The real parser in this process; yargs prints help with console.log, captured here. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  });
  const deps: CliDeps = {
    ...realDeps(),
    stdout: { write: (t) => void (stdout += t), isTTY: false },
    stderr: { write: (t) => void (stderr += t), isTTY: false },
    env: {},
  };
  try {
    return { code: await runCli(argv, deps), stdout, stderr };
  } finally {
    log.mockRestore();
  }
}

describe('help and flags', () => {
  it('--version alone, answered before yargs loads, prints what yargs prints', async () => {
    const fast = await run(['--version']);
    const throughYargs = await run(['audit', '--version']);
    expect(fast).toEqual({ code: 0, stdout: `${toolVersion}\n`, stderr: '' });
    expect(throughYargs).toEqual(fast);
  });

  it('-h is --help', async () => {
    const short = await run(['-h']);
    expect(short.code).toBe(0);
    expect(short.stdout).toContain('Commands:');
    expect(short.stdout).toBe((await run(['--help'])).stdout);
  });

  it.each([
    ['audit', '1  a cluster FAILs a rule run (EKS-001 by default) at the --fail-on level'],
    ['remediate', 'dry run: a cluster is blocked'],
    ['apply', '0    every change in the plan was applied and verified'],
    ['rollback', '0    every cluster the journal shows changed was put back and verified'],
    ['resume', '0    every update in flight ended and was verified, or none was in flight'],
    ['merge', '1  a cluster FAILs a rule the shards ran, at the --fail-on level'],
    ['emulator', undefined],
    ['rules', undefined],
    ['completion', undefined],
  ])('%s -h shows an example and its own exit codes', async (command, exitCodeLine) => {
    const help = await run([command, '-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`Examples:\\n\\s+eksposure ${command} `));
    if (exitCodeLine) expect(help.stdout).toContain(exitCodeLine);
  });

  it.each([
    ['audit', '--concurrency', 'abc', 200],
    ['audit', '--region-concurrency', '3x', 100],
    ['resume', '--concurrency', 'many', 50],
  ])('%s %s %s says what it got, exit 2', async (command, flag, value, max) => {
    const extra = command === 'resume' ? ['--journal', 'j.ndjson'] : [];
    const refused = await run([command, flag, value, ...extra]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `eksposure: ${flag} must be a whole number from 1 to ${max}, got "${value}".\n`,
    );
  });

  it.each(['--rules', '--config', '--approved-cidrs', '--output-file'])(
    'audit %s without its value is a usage error in one line, exit 2',
    async (flag) => {
      const refused = await run(['audit', flag]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `eksposure: Not enough arguments following: ${flag.slice(2)} (see eksposure --help)\n`,
      );
    },
  );

  it.each([
    ['apply', 'plan.json'],
    ['rollback', '--journal', 'j.ndjson'],
    ['resume', '--journal', 'j.ndjson'],
  ])(
    '%s paces each account as audit does: --pace in its help, a bad one refused in one line',
    async (command, ...rest) => {
      expect((await run([command, '-h'])).stdout).toMatch(
        /--pace +Across accounts: client-side pacing/,
      );
      const refused = await run([command, ...rest, '--pace', 'eks=0/1']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^eksposure: --pace "eks=0\/1" is not SERVICE=BURST\/PER_SECOND [^\n]*\n$/,
      );
    },
  );
});
