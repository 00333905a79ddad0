import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedAwsEnv, REPO_ROOT, runSpawnedCli, startCli } from '../support/cli.js';

/**
 * A module hook, loaded into the CLI through NODE_OPTIONS, that appends the URL of every module
 * the process loads to $EKSPOSURE_RECORD_MODULES. Hooks run on Node's loader thread: they write
 * synchronously, so the list is complete when the process has exited.
 */
const RECORDER_HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  appendFileSync(process.env.EKSPOSURE_RECORD_MODULES, url + '\\n');
  return nextLoad(url, context);
}`;
const RECORDER = `import { register } from 'node:module'; register(${JSON.stringify(
  `data:text/javascript,${encodeURIComponent(RECORDER_HOOKS)}`,
)});`;

function recordingEnv() {
  const list = join(mkdtempSync(join(tmpdir(), 'eksposure-modules-')), 'loaded.txt');
  writeFileSync(list, '');
  const env = isolatedAwsEnv({
    NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(RECORDER)}`,
    EKSPOSURE_RECORD_MODULES: list,
  });
  return { env, list };
}

/** The files of the package that the process read, relative to its root. */
const filesLoaded = (list: string) =>
  readFileSync(list, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => relative(REPO_ROOT, fileURLToPath(url)));

/** The packages whose code is in the files of dist/ that the process read (from the build). */
function packagesLoaded(list: string): Set<string> {
  const packagesByFile = JSON.parse(
    readFileSync(join(REPO_ROOT, 'dist', 'eksposure.packages.json'), 'utf8'),
  ) as Record<string, string[]>;
  return new Set(
    filesLoaded(list).flatMap((file) => {
      const packages = packagesByFile[file];
      if (!packages) throw new Error(`${file} was loaded but is not one of the build's outputs`);
      return packages;
    }),
  );
}

const HEAVY = /^(@aws-sdk\/|@smithy\/|pino$)/;
const heavyOf = (packages: Set<string>) => [...packages].filter((name) => HEAVY.test(name));

describe('start-up loads only what the command uses', () => {
  test.each(['--help', '--version', 'audit --help'])(
    'eksposure %s reads no AWS SDK and no pino',
    async (line) => {
      const args = line.split(' ');
      const { env, list } = recordingEnv();
      const run = await runSpawnedCli(args, env);
      expect(run.code).toBe(0);
      const packages = packagesLoaded(list);
      if (args.includes('--help')) expect(packages).toContain('yargs');
      expect(heavyOf(packages)).toEqual([]);
    },
  );

  test('emulator serves without loading the AWS SDK', async () => {
    const { env, list } = recordingEnv();
    const fixtures = join(REPO_ROOT, 'fixtures', 'demo.json');
    const cli = startCli(['emulator', '--fixtures', fixtures], env);
    await cli.waitFor(() => cli.stderr().includes('Ctrl-C stops it'), 'the emulator to listen');
    cli.signal('SIGTERM');
    const run = await cli.exited;
    // The whole stderr on failure: how it ended, and what it said.
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    expect(heavyOf(packagesLoaded(list))).toEqual([]);
  });

  test('audit does load the SDK: the recorder sees what it must', async () => {
    const { env, list } = recordingEnv();
    // A closed port: the audit loads its clients, then fails to reach AWS.
    const run = await runSpawnedCli(['audit', '--max-attempts', '1'], {
      ...env,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('could not list the account');
    expect(heavyOf(packagesLoaded(list))).toEqual(
      expect.arrayContaining(['@aws-sdk/client-eks', '@aws-sdk/client-ec2', 'pino']),
    );
    // Only the SDK commands eksposure sends: about 1 MB in all, where the whole EC2 client alone is 2 MB.
    // EKS-003's EC2 commands (DescribeInstances' Instance schema above all) share EC2's chunk even
    // though they are imported apart: about 26 kB more (1.50 MB to 1.53 MB).
    const bytes = filesLoaded(list).reduce(
      (sum, file) => sum + statSync(join(REPO_ROOT, file)).size,
      0,
    );
    expect(bytes).toBeLessThan(1_550_000);
  });
});
