import yargs from 'yargs';
import { EXIT_INCOMPLETE, EXIT_USAGE } from '../report/audit-report.js';
import { toolVersion } from '../version.js';
import { CliError } from './cli-error.js';
import { auditCommand } from './commands/audit.command.js';
import { emulatorCommand } from './commands/emulator.command.js';
import type { CliDeps } from './deps.js';

export const EXIT_CODES_HELP = `Exit codes:
  0  every cluster was evaluated and passed
  1  at least one cluster FAILs EKS-001
  2  bad usage or input (flags, region names, credentials); nothing was scanned
  3  the scan is incomplete (a region or cluster could not be read), whatever else was found`;

export function buildParser(deps: CliDeps, setExitCode: (code: number) => void) {
  return yargs()
    .scriptName('eksposure')
    .usage(
      '$0 <command> [options]\n\nFinds Amazon EKS clusters whose Kubernetes API endpoint is open to the internet.',
    )
    .option('log-level', {
      choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      default: 'warn',
      describe: 'Log level of the JSON logs on stderr',
      global: true,
    })
    .command(auditCommand(deps, setExitCode))
    .command(emulatorCommand(deps, setExitCode))
    .demandCommand(1, 'Name a command: audit or emulator.')
    .strict()
    .fail(false)
    .exitProcess(false)
    .epilogue(EXIT_CODES_HELP)
    .version(toolVersion)
    .help()
    .wrap(100);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Runs one command line; never throws, never exits the process: returns the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let exitCode = 0;
  try {
    await buildParser(deps, (code) => {
      exitCode = code;
    }).parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CliError) {
      deps.stderr.write(`eksposure: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === 'YError') {
      deps.stderr.write(`eksposure: ${firstLine(error.message)} (see eksposure --help)\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    deps.stderr.write(
      `eksposure: internal error, the command did not complete: ${firstLine(message)}\n`,
    );
    return EXIT_INCOMPLETE;
  }
}
