#!/usr/bin/env node
import { realDeps } from './deps.js';
import { runCli } from './run.js';
import { nodeSupportNote, SDK_NODE_WARNING_SWITCH } from './runtime-note.js';

const runtimeNote = nodeSupportNote(process.version, process.env);
// Set before any SDK client exists: the SDK reads it when the first client is made.
process.env[SDK_NODE_WARNING_SWITCH] = 'true';
process.exitCode = await runCli(process.argv.slice(2), realDeps({ runtimeNote }));
