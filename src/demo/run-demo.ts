/**
 * `npm run demo`: the emulator on fixtures/demo.json, and `eksposure audit` against it, in a
 * separate process, exactly as a user would run it. No AWS account is touched.
 */
import { join } from 'node:path';
import { loadFixture } from '../emulator/fixture.js';
import { startEmulator } from '../emulator/server.js';
import { EXIT_FINDINGS } from '../report/audit-report.js';
import { emulatorEnv, PACKAGE_ROOT, spawnCli } from '../tools/spawn-cli.js';

const fixturePath = join(PACKAGE_ROOT, 'fixtures', 'demo.json');
const emulator = await startEmulator({ fixture: await loadFixture(fixturePath) });
process.stderr.write(
  `demo: emulator serving ${fixturePath} at ${emulator.url} (no AWS account is used)\n`,
);
process.stderr.write(`demo: eksposure audit --endpoint-url ${emulator.url}\n\n`);

const run = await spawnCli(
  ['audit', '--endpoint-url', emulator.url, ...process.argv.slice(2)],
  emulatorEnv(emulator.url),
  'inherit',
);
await emulator.close();

// The demo account has exposed clusters on purpose: exit 1 from the audit is the demo working.
if (run.code === EXIT_FINDINGS) {
  process.stderr.write(
    '\ndemo: ran as intended (the audit exits 1 because the demo account has exposed clusters).\n',
  );
  process.exitCode = 0;
} else {
  process.stderr.write(
    `\ndemo: the audit exited ${run.code}, expected 1 (findings): something is wrong.\n`,
  );
  process.exitCode = 1;
}
