/** The `apply` command's definition; its handler and what it needs load only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { APPLY_EXAMPLES, withHelp } from '../options/help-examples.js';
import { APPLY_EXIT_CODES_HELP } from '../exit-codes.js';
import { confirmOption } from '../options/apply-options.js';
import { applyProbeOptions } from '../options/apply-probe-options.js';
import { changeCommandOptions } from '../options/change-options.js';
import type { ApplyArgs } from './apply.handler.js';

export function applyCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'apply <plan>',
    describe:
      'Apply a saved plan: check each cluster again (same ARN, same configuration, the change its mode gives, pre-flight), confirm, submit, watch, verify',
    builder: (yargs: Argv) =>
      withHelp(yargs, APPLY_EXAMPLES)
        .positional('plan', {
          type: 'string',
          describe: 'Plan file from eksposure remediate --out',
        })
        .epilogue(APPLY_EXIT_CODES_HELP)
        .options({
          ...confirmOption,
          journal: {
            type: 'string',
            describe: 'The journal to write (default .eksposure/journal-<plan id>.ndjson)',
          },
          ...changeCommandOptions,
          ...applyProbeOptions,
        }),
    handler: async (argv) => {
      const { apply } = await import('./apply.handler.js');
      setExitCode(await apply(deps, argv as unknown as ApplyArgs));
    },
  };
}
