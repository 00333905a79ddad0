/** The `rollback` command's definition; its handler and what it needs load only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { confirmOption } from '../options/apply-options.js';
import { changeCommandOptions } from '../options/change-options.js';
import { ROLLBACK_EXAMPLES, withHelp } from '../options/help-examples.js';
import { ROLLBACK_EXIT_CODES_HELP } from '../exit-codes.js';
import type { RollbackArgs } from './rollback.handler.js';

export function rollbackCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'rollback',
    describe:
      'Put back the configuration before, for each cluster a journal shows changed by its update',
    builder: (yargs: Argv) =>
      withHelp(yargs, ROLLBACK_EXAMPLES, ROLLBACK_EXIT_CODES_HELP).options({
        journal: {
          type: 'string',
          demandOption: true,
          describe: 'The journal of the apply to undo',
        },
        'new-journal': {
          type: 'string',
          describe:
            "The rollback's own journal (default .eksposure/journal-<rollback plan id>.ndjson)",
        },
        ...confirmOption,
        ...changeCommandOptions,
      }),
    handler: async (argv) => {
      const { rollback } = await import('./rollback.handler.js');
      setExitCode(await rollback(deps, argv as unknown as RollbackArgs));
    },
  };
}
