/**
 * `npm run demo`: the emulator on fixtures/demo.json, and the whole workflow against it, each
 * step a separate `eksposure` process exactly as a user would run it: audit, plan, apply, verify,
 * roll back; then, against fixtures/iac.json and a copy of the code in fixtures/iac/, the fix as a
 * patch to the code that manages each cluster. No AWS account is touched.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixture } from '../emulator/fixture.js';
import { startEmulator } from '../emulator/server.js';
import { emulatorEnv, PACKAGE_ROOT, spawnCli } from '../tools/spawn-cli.js';

const fixturePath = join(PACKAGE_ROOT, 'fixtures', 'demo.json');
const emulator = await startEmulator({
  fixture: await loadFixture(fixturePath),
  updateDurationMs: 1_000,
});
const work = mkdtempSync(join(tmpdir(), 'eksposure-demo-'));
const journal = join(work, 'journal.ndjson');
const watch = ['--poll-interval', '0.25'];
process.stderr.write(
  `demo: emulator serving ${fixturePath} at ${emulator.url} (no AWS account is used); files in ${work}\n`,
);

/** A copy of fixtures/iac/: infrastructure code to patch (the demo never writes to the package). */
const code = join(work, 'infra');
cpSync(join(PACKAGE_ROOT, 'fixtures', 'iac'), code, { recursive: true });
const asCode = await startEmulator({
  fixture: await loadFixture(join(PACKAGE_ROOT, 'fixtures', 'iac.json')),
});

/** Each step, the exit code that means it did what the demo intends, and where it runs. */
const steps: { say: string; args: string[]; expect: number; url?: string; cwd?: string }[] = [
  {
    say: 'audit every region (exits 1: the demo account has exposed clusters on purpose)',
    args: ['audit', ...process.argv.slice(2)],
    expect: 1,
  },
  {
    say: 'plan the fix for us-east-1, a dry run (exits 1: ml-sandbox is blocked, its VPC has DNS hostnames off)',
    args: ['remediate', '--regions', 'us-east-1'],
    expect: 1,
  },
  {
    say: 'apply the fix in us-west-2: submit, watch each update, verify',
    args: [
      'remediate',
      '--regions',
      'us-west-2',
      '--apply',
      '--yes',
      '--out',
      join(work, 'plan.json'),
      '--journal',
      journal,
      ...watch,
    ],
    expect: 0,
  },
  { say: 'audit us-west-2 again', args: ['audit', '--regions', 'us-west-2'], expect: 0 },
  {
    say: 'roll back what the journal shows was changed',
    args: [
      'rollback',
      '--journal',
      journal,
      '--new-journal',
      join(work, 'rollback.ndjson'),
      '--yes',
      ...watch,
    ],
    expect: 0,
  },
  {
    say: 'for clusters that Terraform, CloudFormation, eksctl or Crossplane manage, the fix as a patch to their code in infra/ (a dry run; exits 1: they are blocked from --apply until the patch is merged)',
    args: [
      'remediate',
      '--regions',
      'us-east-1,us-east-2,us-west-2,eu-west-1',
      ...['terraform', 'cloudformation', 'eksctl', 'crossplane'].flatMap((d) => ['--iac-dir', d]),
      '--patch-out',
      'endpoint-private.patch',
    ],
    expect: 1,
    url: asCode.url,
    cwd: code,
  },
];

let failed = false;
for (const step of steps) {
  process.stderr.write(`\ndemo: ${step.say}\ndemo: $ eksposure ${step.args.join(' ')}\n\n`);
  const url = step.url ?? emulator.url;
  const run = await spawnCli(
    [...step.args, '--endpoint-url', url],
    emulatorEnv(url),
    'inherit',
    undefined,
    undefined,
    step.cwd,
  );
  if (run.code !== step.expect) {
    process.stderr.write(
      `\ndemo: exited ${run.code}, expected ${step.expect}: something is wrong.\n`,
    );
    failed = true;
    break;
  }
}
await emulator.close();
await asCode.close();
if (!failed) {
  const patch = join(code, 'endpoint-private.patch');
  process.stderr.write(
    `\ndemo: the patch (${patch}), which \`git apply\` applies from ${code}:\n\n${readFileSync(patch, 'utf8')}`,
  );
}
process.stderr.write(failed ? '' : '\ndemo: every step ran as intended.\n');
process.exitCode = failed ? 1 : 0;
