/**
 * Start-up: `eksposure --help` and `--version` against a bare `node -e 0`, medians of 7, on this
 * Node and on Node 22 (scripts/install-node22.sh puts it in .ci/node22; EKSPOSURE_NODE22 overrides).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_PATH, PACKAGE_ROOT } from '../tools/spawn-cli.js';
import { type BenchRow, median, round, verdict } from './measure.js';

const RUNS = 7;
const TARGET_OVER_MS = 100;

interface Variant {
  readonly label: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** Wall time of one process from spawn to exit, output discarded. */
function timeOnce(node: string, variant: Variant): number {
  const started = performance.now();
  const run = spawnSync(node, variant.args, {
    stdio: 'ignore',
    env: { ...process.env, ...variant.env },
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${node} ${variant.args.join(' ')} exited ${run.status}`);
  return ms;
}

/** Medians of RUNS, the variants interleaved so that a busy moment hits them all alike. */
function medians(node: string, variants: readonly Variant[]): Map<string, number> {
  const times = new Map(variants.map((v) => [v.label, [] as number[]]));
  for (const variant of variants) timeOnce(node, variant); // warm the page and compile caches
  for (let i = 0; i < RUNS; i++)
    for (const variant of variants) times.get(variant.label)!.push(timeOnce(node, variant));
  return new Map([...times].map(([label, ms]) => [label, median(ms)]));
}

export function node22Path(): string | undefined {
  const path =
    process.env.EKSPOSURE_NODE22 ??
    join(PACKAGE_ROOT, '.ci', 'node22', 'node_modules', '.bin', 'node');
  return existsSync(path) ? path : undefined;
}

function nodeVersion(node: string): string {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

function rowsFor(node: string): BenchRow[] {
  const version = nodeVersion(node);
  const supportsCompileCache = Number(version.slice(1).split('.')[0]) >= 22;
  const variants: Variant[] = [
    { label: 'bare', args: ['-e', '0'] },
    { label: '--help', args: [CLI_PATH, '--help'] },
    { label: '--version', args: [CLI_PATH, '--version'] },
    ...(supportsCompileCache
      ? [
          {
            label: '--help without compile cache',
            args: [CLI_PATH, '--help'],
            env: { NODE_DISABLE_COMPILE_CACHE: '1' },
          },
        ]
      : []),
  ];
  const ms = medians(node, variants);
  const bare = ms.get('bare')!;
  const rows = ['--help', '--version'].map((flag): BenchRow => {
    const over = ms.get(flag)! - bare;
    return {
      name: `start-up ${flag}, Node ${version}`,
      figure: `${round(over)} ms over bare node (${round(ms.get(flag)!)} vs ${round(bare)} ms, medians of ${RUNS})`,
      target: `<= ${TARGET_OVER_MS} ms over`,
      verdict: verdict(over <= TARGET_OVER_MS),
    };
  });
  const uncached = ms.get('--help without compile cache');
  if (uncached !== undefined)
    rows.push({
      name: `start-up --help, Node ${version}, compile cache off`,
      figure: `${round(uncached - bare)} ms over bare node (${round(uncached)} ms; cache on: ${round(ms.get('--help')!)} ms)`,
      target: 'none: shows what module.enableCompileCache() saves',
      verdict: 'INFO',
    });
  return rows;
}

export function startupRows(): BenchRow[] {
  const node22 = node22Path();
  return [
    ...rowsFor(process.execPath),
    ...(node22
      ? rowsFor(node22)
      : [
          {
            name: 'start-up on Node 22',
            figure: 'not measured: no Node 22 (run bash scripts/install-node22.sh)',
            target: `<= ${TARGET_OVER_MS} ms over`,
            verdict: 'SKIP' as const,
          },
        ]),
  ];
}
