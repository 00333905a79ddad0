/**
 * `npm run build`: esbuild bundles the CLI into dist/eksposure.mjs (the `bin`, and what the tests,
 * demo, benchmarks and Docker image run) plus the chunks it loads on demand in dist/chunks/, and
 * the demo and the benchmarks into dist/demo/ and dist/bench/. Type-checking is `npm run typecheck`.
 */
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const ASCII_WIDTH = 'eksposure-ascii-width';

/**
 * yargs lays its help out with three copies of `string-width`, each of which creates an
 * Intl.Segmenter and compiles Unicode property regexes when loaded, then measures every string a
 * grapheme at a time: about 70 ms of `--help`. Printable ASCII is as wide as it is long, so each
 * import gets a wrapper that answers that case itself and loads the real module (through a
 * require() that esbuild defers) only for other text: the same widths, so the same help.
 * @type {import('esbuild').Plugin}
 */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === ASCII_WIDTH
        ? undefined
        : { path: args.resolveDir, namespace: ASCII_WIDTH },
    );
    b.onLoad({ filter: /.*/, namespace: ASCII_WIDTH }, (args) => ({
      resolveDir: args.path,
      loader: 'js',
      contents: `
        let measure;
        export default function stringWidth(text, options) {
          if (typeof text === 'string' && /^[\x20-\x7e]*$/.test(text)) return text.length;
          measure ??= require('string-width').default;
          return measure(text, options);
        }`,
    }));
  },
};

/**
 * An AWS SDK client's schemas are one module of arrays such as `[3, n0, _DRR, 0, [...], [[0, {
 * [_xN]: _RN }]]]`. esbuild drops the schemas no command uses only when it can see that building
 * them has no side effects, and a computed key that names a variable (`[_xN]`) could, as far as it
 * knows, call a toString(). The module's own string constants are put in those keys' place, so
 * the EC2 client is compiled with the few shapes DescribeRegions and DescribeVpcAttribute need
 * instead of all 700 operations' (2 MB at each start).
 * @type {import('esbuild').Plugin}
 */
const shakeableSdkSchemas = {
  name: 'shakeable-sdk-schemas',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const strings = new Map(
          [...source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map(([, name, text]) => [
            name,
            text,
          ]),
        );
        const contents = source.replace(/\[(_\w+)\]:/g, (key, name) =>
          strings.has(name) ? `[${strings.get(name)}]:` : key,
        );
        return { contents, loader: 'js' };
      },
    );
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  plugins: [asciiStringWidth, shakeableSdkSchemas],
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
  // src/cli/version.ts reads package.json only when run from src/ (tests).
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
// The Terraform parser's wasm (remediate --iac-dir), beside the chunks: the bundle runs without
// node_modules (the Docker image), and src/iac/terraform/parse.ts looks in dist/wasm/ first.
await mkdir('dist/wasm', { recursive: true });
for (const file of [
  'web-tree-sitter/web-tree-sitter.wasm',
  '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm',
])
  await copyFile(join('node_modules', file), join('dist/wasm', basename(file)));
// Which packages each file of the CLI holds (a few KB): the start-up test checks that `--help`
// reads no file with the AWS SDK in it.
const packageOf = (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
const packagesByFile = Object.fromEntries(
  Object.entries(cli.metafile.outputs)
    .filter(([file]) => file.endsWith('.mjs'))
    .map(([file, { inputs }]) => [
      file,
      [...new Set(Object.keys(inputs).map(packageOf).filter(Boolean))].sort(),
    ]),
);
await writeFile('dist/eksposure.packages.json', `${JSON.stringify(packagesByFile, null, 1)}\n`);

await build({
  ...common,
  entryPoints: [
    { in: 'src/demo/run-demo.ts', out: 'demo/run-demo' },
    { in: 'src/bench/run-benchmarks.ts', out: 'bench/run-benchmarks' },
    { in: 'src/bench/usage-probe.ts', out: 'bench/usage-probe' },
    // Each its own file, so that the bare client's process loads nothing of eksposure's.
    { in: 'src/bench/sdk-floor.ts', out: 'bench/sdk-floor' },
    { in: 'src/bench/sdk-clients.ts', out: 'bench/sdk-clients' },
  ],
});
