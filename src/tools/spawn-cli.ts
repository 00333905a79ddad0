import { spawn, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Two levels up from src/tools/ (tests) and from dist/demo/ or dist/bench/ (bundles). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI, the bundle that `npm run build` makes and the package's `bin` names. */
export const CLI_PATH = join(PACKAGE_ROOT, 'dist', 'eksposure.mjs');

/**
 * The environment for running the CLI against a local emulator: dummy static credentials, and
 * nothing of the caller's own AWS set-up (profiles, endpoints, real keys) carried over.
 */
export function emulatorEnv(endpoint: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')),
  );
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAEKSPOSUREDEMO000',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface SpawnedCli {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in its own process; with `inherit`, its output goes straight to this terminal.
 * `node` chooses the Node binary and its flags (benchmarks).
 */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdio: 'pipe' | 'inherit',
  cliPath: string = CLI_PATH,
  node: { readonly path: string; readonly args: readonly string[] } = {
    path: process.execPath,
    args: [],
  },
  cwd?: string,
): Promise<SpawnedCli> {
  return new Promise((resolve, reject) => {
    const options: StdioOptions =
      stdio === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'];
    const child = spawn(node.path, [...node.args, cliPath, ...args], { env, stdio: options, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
