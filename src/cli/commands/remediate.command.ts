/** The `remediate` command's definition; its handler and what it needs load only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import type { CliDeps } from '../deps.js';
import { accountOptions } from '../options/account-options.js';
import { confirmOption, watchOptions } from '../options/apply-options.js';
import { changeProbeOptions } from '../options/apply-probe-options.js';
import { awsConnectionOptions, countFlag } from '../options/aws-options.js';
import { REMEDIATE_EXAMPLES, withHelp } from '../options/help-examples.js';
import { REMEDIATION_EXIT_CODES_HELP } from '../exit-codes.js';
import { configOption } from '../options/rule-options.js';
import type { RemediateArgs } from './remediate.handler.js';

export function remediateCommand(
  deps: CliDeps,
  setExitCode: (code: number) => void,
): CommandModule {
  return {
    command: 'remediate',
    describe: 'Plan (dry run, the default) or --apply the change that closes each EKS-001 failure',
    builder: (yargs: Argv) =>
      withHelp(yargs, REMEDIATE_EXAMPLES, REMEDIATION_EXIT_CODES_HELP).options({
        ...awsConnectionOptions,
        ...accountOptions,
        mode: {
          choices: ['private', 'allowlist'] as const,
          default: 'private' as const,
          describe:
            'private: public endpoint off, private on. allowlist: public only for the given CIDRs, private on',
        },
        'allow-cidr': {
          type: 'string',
          array: true,
          describe:
            'Allowlist mode: an IPv4 or IPv6 CIDR allowed to reach the public endpoint (repeatable; IPv6 goes to dual-stack clusters only)',
        },
        'allow-cidrs-file': {
          type: 'string',
          describe: 'Allowlist mode: a file of CIDRs, one per line (# comments)',
        },
        cluster: {
          type: 'string',
          array: true,
          describe: 'Only these clusters (by name, repeatable)',
        },
        'my-ip': {
          type: 'string',
          describe:
            'Your public IPv4 address: warns when the allowlist would lock you out; with --probe, where "not reachable" holds from',
        },
        out: {
          type: 'string',
          describe: 'Write the plan (JSON, schemas/remediation-plan.schema.json) here',
        },
        'iac-dir': {
          type: 'string',
          array: true,
          describe:
            'Find each failing cluster in the Terraform, CloudFormation, eksctl or Crossplane code under this directory (repeatable) and plan the fix as a patch to it',
        },
        'patch-out': {
          type: 'string',
          describe:
            'With --iac-dir: write the fix as one unified diff here (git apply FILE applies it); never writes your files',
        },
        'allow-drift': {
          type: 'boolean',
          default: false,
          describe:
            'Change clusters managed as code anyway, for an emergency (recorded in the plan and journal): merge the patch after',
        },
        nodes: {
          type: 'boolean',
          default: false,
          describe:
            "Also read each cluster's EC2 nodes (rule EKS-003) and add, as advice, the aws ec2 revoke-security-group-ingress (allowlist mode: authorize the allowed CIDRs first) closing each rule that opens a node port to the internet; eksposure never applies security-group changes",
        },
        apply: {
          type: 'boolean',
          default: false,
          describe: 'Submit the plan: UpdateClusterConfig, then watch each update to its end',
        },
        ...confirmOption,
        journal: {
          type: 'string',
          describe:
            'With --apply: the journal to write (default .eksposure/journal-<plan id>.ndjson)',
        },
        'apply-concurrency': countFlag('With --apply: clusters changed at once', 4),
        ...watchOptions,
        ...changeProbeOptions,
        ...configOption,
      }),
    handler: async (argv) => {
      const { remediate } = await import('./remediate.handler.js');
      setExitCode(await remediate(deps, argv as unknown as RemediateArgs));
    },
  };
}
