/** The `rules` command's definition; its handler loads only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { RULES_EXAMPLES, withHelp } from '../options/help-examples.js';

export function rulesCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'rules',
    describe: 'List every rule: id, aliases, severity, title and rationale',
    builder: (yargs: Argv) =>
      withHelp(yargs, RULES_EXAMPLES).options({
        output: {
          choices: ['table', 'json'] as const,
          default: 'table' as const,
          describe: 'Format on stdout (json: every rule with its remediation and references)',
        },
      }),
    handler: async (argv) => {
      const { listRules } = await import('./rules.handler.js');
      setExitCode(listRules(deps, argv as unknown as { output: 'table' | 'json' }));
    },
  };
}
