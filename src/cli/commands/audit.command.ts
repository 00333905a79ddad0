/** The `audit` command's definition; its handler and what it needs load only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { accountOptions } from '../options/account-options.js';
import { baselineOptions } from '../options/baseline-options.js';
import { awsConnectionOptions } from '../options/aws-options.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { AUDIT_EXAMPLES, withHelp } from '../options/help-examples.js';
import { auditProbeOptions } from '../options/probe-options.js';
import { ruleOptions } from '../options/rule-options.js';
import { reportOutputOptions } from '../options/report-outputs.js';
import { securityHubOptions } from '../options/security-hub-options.js';
import type { AuditArgs } from './audit.handler.js';

export function auditCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'audit',
    describe:
      'Report every EKS cluster in every enabled region against EKS-001 or the rules chosen (read-only)',
    builder: (yargs: Argv) =>
      withHelp(yargs, AUDIT_EXAMPLES, EXIT_CODES_HELP).options({
        ...awsConnectionOptions,
        ...ruleOptions,
        ...accountOptions,
        ...reportOutputOptions,
        ...baselineOptions,
        ...auditProbeOptions,
        ...securityHubOptions,
      }),
    handler: async (argv) => {
      const { audit } = await import('./audit.handler.js');
      setExitCode(await audit(deps, argv as unknown as AuditArgs));
    },
  };
}
