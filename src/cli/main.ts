#!/usr/bin/env node
import { realDeps } from './deps.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), realDeps());
