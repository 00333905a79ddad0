import type { Argv } from 'yargs';
import { firstLine, isError } from '../model/errors.js';

import { toolVersion } from './version.js';
import { CliError } from './cli-error.js';
import { applyCommand } from './commands/apply.command.js';
import { auditCommand } from './commands/audit.command.js';
import { emulatorCommand } from './commands/emulator.command.js';
import { mergeCommand } from './commands/merge.command.js';
import { remediateCommand } from './commands/remediate.command.js';
import { resumeCommand } from './commands/resume.command.js';
import { rollbackCommand } from './commands/rollback.command.js';
import { probeCommand } from './commands/probe.command.js';
import { rulesCommand } from './commands/rules.command.js';
import { EXIT_CODES_HELP, EXIT_INCOMPLETE } from './exit-codes.js';
import { COMPLETION_EXAMPLES, withHelp } from './options/help-examples.js';
import type { CliDeps } from './deps.js';

/** yargs is loaded here, not at start-up: a bare `--version` is answered without it. */
export async function buildParser(deps: CliDeps, setExitCode: (code: number) => void) {
  const { default: yargs } = await import('yargs');
  const parser = yargs();
  return (
    parser
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
      .command(mergeCommand(deps, setExitCode))
      .command(emulatorCommand(deps, setExitCode))
      .command(rulesCommand(deps, setExitCode))
      .command(probeCommand(deps, setExitCode))
      .command({
        command: 'completion',
        describe: 'Print a bash/zsh completion script (add it to ~/.bashrc or ~/.zshrc)',
        builder: (y: Argv) => withHelp(y, COMPLETION_EXAMPLES),
        handler: () => {
          // yargs' types omit the two parameters its implementation takes: the program and the command.
          const withNames = parser as unknown as {
            showCompletionScript(app: string, cmd: string): void;
          };
          withNames.showCompletionScript('eksposure', 'completion');
        },
      })
      // Answers the script's `--get-yargs-completions` calls. Registered under a name nobody types:
      // yargs would otherwise print the script for `completion --help` instead of its help.
      .completion('__completion-script', false)
      .demandCommand(
        1,
        'Name a command: audit, remediate, apply, rollback, resume, merge, rules, completion or emulator.',
      )
      .strict()
      .fail((message, error) => {
        // Validation failures (unknown flag, missing command) arrive as a message, the parser's own
        // (a flag without its value) as a YError: both are usage. Anything else is the handler's.
        // yargs spreads some (invalid choices) over two lines: the rule is one line on stderr.
        if (error && error.name !== 'YError') throw error;
        const text = error?.message ?? message;
        throw new CliError(`${text.replace(/:?\s*\n\s*/g, ': ')} (see eksposure --help)`);
      })
      .exitProcess(false)
      .epilogue(EXIT_CODES_HELP)
      .example('$0 audit', 'Every cluster in every enabled region, as a table')
      .example('$0 remediate --out plan.json', 'Plan the change that closes each failure (dry run)')
      .example('$0 <command> --help', "A command's flags, examples and exit codes")
      .version(toolVersion)
      .help()
      .alias('help', 'h')
      .wrap(Math.min(100, deps.stdout.columns ?? 100))
  );
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
    // With a callback, yargs hands over what it would print (help, --version, the completion
    // script) instead of writing it with console.log: it goes out through our own stdout.
    await parser.parseAsync([...argv], (_error: unknown, _parsed: unknown, output: string) => {
      if (output) deps.stdout.write(`${output}\n`);
    });
    return exitCode;
  } catch (error) {
    if (error instanceof CliError) {
      deps.stderr.write(`eksposure: ${error.message}\n`);
      return error.exitCode;
    }
    const message = isError(error) ? error.message : String(error);
    deps.stderr.write(
      `eksposure: internal error, the command did not complete: ${firstLine(message)}\n`,
    );
    return EXIT_INCOMPLETE;
  }
}
