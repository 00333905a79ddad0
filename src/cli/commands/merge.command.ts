/** The `merge` command's definition; its handler loads only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { MERGE_EXIT_CODES_HELP } from '../exit-codes.js';
import { MERGE_EXAMPLES, withHelp } from '../options/help-examples.js';
import { baselineOptions } from '../options/baseline-options.js';
import { reportOutputOptions } from '../options/report-outputs.js';
import { failOnOption } from '../options/rule-options.js';
import type { MergeArgs } from './merge.handler.js';

export function mergeCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'merge [reports..]',
    describe:
      'Combine the JSON reports of audit --shard runs into the report, and exit code, of one run',
    builder: (yargs: Argv) =>
      withHelp(yargs, MERGE_EXAMPLES, MERGE_EXIT_CODES_HELP)
        .positional('reports', {
          type: 'string',
          array: true,
          describe: 'Report files from eksposure audit --shard I/N --output json',
        })
        .options({ ...failOnOption, ...reportOutputOptions, ...baselineOptions }),
    handler: async (argv) => {
      const { merge } = await import('./merge.handler.js');
      setExitCode(await merge(deps, argv as unknown as MergeArgs));
    },
  };
}
