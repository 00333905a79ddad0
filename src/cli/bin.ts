#!/usr/bin/env node
/**
 * The installed entry point (dist/eksposure.mjs). It only turns Node's compile cache on, then loads
 * the CLI from its own chunk, so that the CLI's code, too, is read from the cache.
 */
import module from 'node:module';

// Node 22.1+ (absent from Node 20's types and runtime): keeps V8's compiled code in
// os.tmpdir()/node-compile-cache between runs; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

await import('./main.js');
