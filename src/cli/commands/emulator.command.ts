import type { Argv, CommandModule } from 'yargs';
import type { FaultRule } from '../../emulator/faults.js';
import { FixtureError, loadFixture } from '../../emulator/fixture.js';
import { startEmulator } from '../../emulator/server.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';

interface EmulatorArgs {
  readonly fixtures: string;
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly 'latency-ms'?: number;
  readonly 'throttle-rate'?: number;
  readonly 'server-error-rate'?: number;
  readonly 'fail-region'?: readonly string[];
}

function rate(flag: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(value >= 0 && value <= 1))
    throw new CliError(`--${flag} must be between 0 and 1, got ${value}.`);
  return value;
}

/** The flags' faults: one rule for every call, and an always-failing rule per --fail-region. */
export function faultsFromFlags(args: EmulatorArgs): FaultRule[] {
  const latencyMs = args['latency-ms'];
  if (latencyMs !== undefined && !(Number.isInteger(latencyMs) && latencyMs >= 0)) {
    throw new CliError(`--latency-ms must be a whole number of milliseconds, got ${latencyMs}.`);
  }
  const everyCall: FaultRule = {
    latencyMs,
    throttleRate: rate('throttle-rate', args['throttle-rate']),
    serverErrorRate: rate('server-error-rate', args['server-error-rate']),
  };
  const failing = (args['fail-region'] ?? []).map((region): FaultRule => ({
    region,
    service: 'eks',
    fail: 'access-denied',
  }));
  return [everyCall, ...failing];
}

export async function emulator(deps: CliDeps, args: EmulatorArgs): Promise<number> {
  const faults = faultsFromFlags(args);
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new CliError(`--port must be 0 to 65535, got ${args.port}.`);
  }
  let fixture;
  try {
    fixture = await loadFixture(args.fixtures);
  } catch (error) {
    if (error instanceof FixtureError) throw new CliError(error.message);
    throw error;
  }
  const running = await startEmulator({
    fixture,
    port: args.port,
    host: args.host,
    faults,
    seed: args.seed,
  });
  const clusters = [...running.state.regions.values()].reduce((n, r) => n + r.clusters.size, 0);
  deps.stdout.write(`${running.url}\n`);
  deps.stderr.write(
    `eksposure emulator: EKS and EC2 for account ${running.state.accountId} on ${running.url} ` +
      `(${running.state.regions.size} regions, ${clusters} clusters from ${args.fixtures}); ` +
      `try: AWS_ENDPOINT_URL=${running.url} eksposure audit. Ctrl-C stops it.\n`,
  );
  const signal = await deps.untilSignal();
  await running.close();
  deps.stderr.write(`eksposure emulator: stopped (${signal}).\n`);
  return 0;
}

export function emulatorCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'emulator',
    describe:
      'Serve a local, wire-compatible EKS and EC2 API from a fixture file (for demos and tests)',
    builder: (yargs: Argv) =>
      yargs.options({
        fixtures: {
          type: 'string',
          demandOption: true,
          describe: 'Fixture file (see docs/fixtures.md)',
        },
        port: { type: 'number', default: 0, describe: 'Port to listen on (0: any free port)' },
        host: { type: 'string', default: '127.0.0.1', describe: 'Address to bind' },
        seed: { type: 'number', default: 1, describe: 'Seed for the fault dice' },
        'latency-ms': { type: 'number', describe: 'Delay added to every call' },
        'throttle-rate': { type: 'number', describe: 'Chance (0 to 1) that a call is throttled' },
        'server-error-rate': { type: 'number', describe: 'Chance (0 to 1) that a call gets a 500' },
        'fail-region': {
          type: 'string',
          array: true,
          describe: 'Regions whose EKS calls are always denied',
        },
      }),
    handler: async (argv) => {
      setExitCode(await emulator(deps, argv as unknown as EmulatorArgs));
    },
  };
}
