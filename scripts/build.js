/**
 * `npm run build`: esbuild bundles the CLI into dist/eksposure.mjs (the `bin`, and what the tests,
 * demo, benchmarks and Docker image run) plus the chunks it loads on demand in dist/chunks/, and
 * the demo and the benchmarks into dist/demo/ and dist/bench/. Type-checking is `npm run typecheck`.
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The packages' ES module builds first: esbuild can drop the SDK commands we never send.
  mainFields: ['module', 'main'],
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
  // src/version.ts reads package.json only when run from src/ (tests).
  define: { EKSPOSURE_VERSION: JSON.stringify(version) },
  // The AWS SDK, yargs and pino are CommonJS inside; their require() of Node built-ins needs a real one.
  banner: {
    js: "import { createRequire as __eksposureCreateRequire } from 'node:module'; const require = __eksposureCreateRequire(import.meta.url);",
  },
};

await rm('dist', { recursive: true, force: true });

// Every `await import()` in the CLI becomes a chunk that is read only when a command needs it.
const cli = await build({
  ...common,
  entryPoints: { eksposure: 'src/cli/bin.ts' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
});
// Which sources each file of dist/ holds: the start-up test checks `--help` reads no AWS SDK.
await writeFile('dist/eksposure.meta.json', JSON.stringify(cli.metafile));

await build({
  ...common,
  entryPoints: [
    { in: 'src/demo/run-demo.ts', out: 'demo/run-demo' },
    { in: 'src/bench/run-benchmarks.ts', out: 'bench/run-benchmarks' },
    { in: 'src/bench/usage-probe.ts', out: 'bench/usage-probe' },
  ],
});
