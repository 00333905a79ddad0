/** The `emulator` command's definition; its handler and what it needs load only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { EMULATOR_EXAMPLES, withHelp } from '../options/help-examples.js';
import type { EmulatorArgs } from './emulator.handler.js';

export function emulatorCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'emulator',
    describe:
      'Serve a local, wire-compatible EKS and EC2 API from a fixture file (for demos and tests)',
    builder: (yargs: Argv) =>
      withHelp(yargs, EMULATOR_EXAMPLES).options({
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
        'update-duration-ms': {
          type: 'number',
          describe: 'How long a cluster update stays InProgress (default 3000)',
        },
        'fail-update': {
          type: 'string',
          array: true,
          describe: 'Clusters whose updates end Failed',
        },
        'cancel-update': {
          type: 'string',
          array: true,
          describe: 'Clusters whose updates end Cancelled',
        },
        'token-bucket': {
          type: 'string',
          array: true,
          describe:
            "Throttle per account, region and service: 'aws' (AWS-like buckets) or SERVICE=CAPACITY/REFILL_PER_SECOND, e.g. ec2=100/20",
        },
      }),
    handler: async (argv) => {
      const { emulator } = await import('./emulator.handler.js');
      setExitCode(await emulator(deps, argv as unknown as EmulatorArgs));
    },
  };
}
