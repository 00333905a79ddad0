/** The `resume` command's definition; its handler and what it needs load only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { applyProbeOptions } from '../options/apply-probe-options.js';
import { changeCommandOptions } from '../options/change-options.js';
import { RESUME_EXAMPLES, withHelp } from '../options/help-examples.js';
import { RESUME_EXIT_CODES_HELP } from '../exit-codes.js';
import type { ResumeArgs } from './resume.handler.js';

export function resumeCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'resume',
    describe:
      'Finish what a journal left open: watch updates still in flight to their end and verify them, and find out what became of submits whose answer was lost',
    builder: (yargs: Argv) =>
      withHelp(yargs, RESUME_EXAMPLES, RESUME_EXIT_CODES_HELP).options({
        journal: {
          type: 'string',
          demandOption: true,
          describe: 'The journal of an interrupted or timed-out apply',
        },
        ...changeCommandOptions,
        ...applyProbeOptions,
      }),
    handler: async (argv) => {
      const { resume } = await import('./resume.handler.js');
      setExitCode(await resume(deps, argv as unknown as ResumeArgs));
    },
  };
}
