/**
 * `npm run demo`: the emulator on fixtures/demo.json, and the whole workflow against it, each
 * step a separate `eksposure` process exactly as a user would run it: audit, plan, apply, verify,
 * roll back. No AWS account is touched.
 */
import { mkdtempSync } from 'node:fs';
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

/** Each step, and the exit code that means it did what the demo intends. */
const steps: { say: string; args: string[]; expect: number }[] = [
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
];

let failed = false;
for (const step of steps) {
  process.stderr.write(`\ndemo: ${step.say}\ndemo: $ eksposure ${step.args.join(' ')}\n\n`);
  const run = await spawnCli(
    [...step.args, '--endpoint-url', emulator.url],
    emulatorEnv(emulator.url),
    'inherit',
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
process.stderr.write(failed ? '' : '\ndemo: every step ran as intended.\n');
process.exitCode = failed ? 1 : 0;
