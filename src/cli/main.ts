#!/usr/bin/env node
import { realDeps } from './deps.js';
import { runCli } from './run.js';
import { nodeSupportNote, SDK_NODE_WARNING_SWITCH } from './runtime-note.js';

const runtimeNote = nodeSupportNote(process.version, process.env);
// Set before any SDK client exists: the SDK reads it when the first client is made.
process.env[SDK_NODE_WARNING_SWITCH] = 'true';
const exitCode = await runCli(process.argv.slice(2), realDeps({ runtimeNote }));
if (exitCode === 130 || exitCode === 143) {
  // Interrupted: the command has said what it left behind. An SDK retry backoff still pending
  // for an abandoned call (up to 20 s under throttling) must not keep the process, or
  // `docker stop`, waiting. Exit once what was written has been flushed.
  process.stderr.write('', () => process.stdout.write('', () => process.exit(exitCode)));
} else {
  process.exitCode = exitCode;
}
