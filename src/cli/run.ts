import { firstLine } from '../aws/errors.js';
import { EXIT_INCOMPLETE } from '../report/audit-report.js';
import { toolVersion } from '../version.js';
import { CliError } from './cli-error.js';
import { applyCommand } from './commands/apply.command.js';
import { auditCommand } from './commands/audit.command.js';
import { emulatorCommand } from './commands/emulator.command.js';
import { remediateCommand } from './commands/remediate.command.js';
import { resumeCommand } from './commands/resume.command.js';
import { rollbackCommand } from './commands/rollback.command.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { CliDeps } from './deps.js';

/** yargs is loaded here, not at start-up: a bare `--version` is answered without it. */
export async function buildParser(deps: CliDeps, setExitCode: (code: number) => void) {
  const { default: yargs } = await import('yargs');
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
    .command(remediateCommand(deps, setExitCode))
    .command(applyCommand(deps, setExitCode))
    .command(rollbackCommand(deps, setExitCode))
    .command(resumeCommand(deps, setExitCode))
    .command(emulatorCommand(deps, setExitCode))
    .demandCommand(1, 'Name a command: audit, remediate, apply, rollback, resume or emulator.')
    .strict()
    .fail((message, error) => {
      // Validation failures (unknown flag, missing command) arrive as a message; anything else as an error.
      // yargs spreads some (invalid choices) over two lines: the rule is one line on stderr.
      throw error ?? new CliError(`${message.replace(/:?\s*\n\s*/g, ': ')} (see eksposure --help)`);
    })
    .exitProcess(false)
    .epilogue(EXIT_CODES_HELP)
    .example('$0 audit', 'Every cluster in every enabled region, as a table')
    .example('$0 remediate --out plan.json', 'Plan the change that closes each failure (dry run)')
    .example('$0 <command> --help', "A command's flags, examples and exit codes")
    .version(toolVersion)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(100, deps.stdout.columns ?? 100));
}

/** Runs one command line; never throws, never exits the process: returns the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    // What yargs would print, without the 40 ms of loading it.
    deps.stdout.write(`${toolVersion}\n`);
    return 0;
  }
  let exitCode = 0;
  try {
    const parser = await buildParser(deps, (code) => {
      exitCode = code;
    });
    await parser.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CliError) {
      deps.stderr.write(`eksposure: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    deps.stderr.write(
      `eksposure: internal error, the command did not complete: ${firstLine(message)}\n`,
    );
    return EXIT_INCOMPLETE;
  }
}
