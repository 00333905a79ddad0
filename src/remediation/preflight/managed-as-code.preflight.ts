import { managedByOf, stackOf, toolName } from '../../model/managed-by.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'managed-as-code';
export const title = 'Cluster managed as code';

const NEXT_RUN = {
  terraform: 'the next terraform apply',
  cloudformation: 'the next stack update',
  eksctl: 'the next eksctl or stack update',
  crossplane: "Crossplane's next reconcile",
} as const;

/**
 * A change made behind the back of the code that owns a cluster is undone by its next run. Those
 * tools leave tags on the cluster; others leave nothing, so "no tags" is not "not managed".
 * Remediation blocks a managed cluster (the fix belongs in the code: `remediate --iac-dir`) unless
 * the operator allows the drift for an emergency; rollback only warns (it undoes eksposure's own
 * change, back towards what the code says).
 */
export function run(input: PreflightInput): PreflightResult {
  const name = input.cluster.name ?? '(unnamed)';
  const policy = input.managedAsCode ?? { onManaged: 'warn', declared: [] };
  const managedBy = managedByOf(input.cluster.tags, policy.declared);
  if (managedBy.tool === 'unknown') {
    return {
      check: id,
      status: 'ok',
      message:
        `No infrastructure-as-code tags found on cluster ${name}; plain Terraform resources, Pulumi, CDK and ` +
        'the console leave none, so check how it is managed before applying.',
    };
  }
  const { stackName } = stackOf(input.cluster.tags, name);
  // The tags themselves are on the plan entry (managedBy): the sentence names the tool and stack.
  const owner = toolName(managedBy.tool) + (stackName ? `, stack ${stackName}` : '');
  const next = NEXT_RUN[managedBy.tool];
  switch (policy.onManaged) {
    case 'block':
      return {
        check: id,
        status: 'block',
        message:
          `Cluster ${name} is managed as code (${owner}): ${next} would put the endpoint back. ` +
          'Fix it in the code (remediate --iac-dir DIR --patch-out FILE writes the patch), or allow the drift for an emergency (--allow-drift).',
      };
    case 'allow-drift':
      return {
        check: id,
        status: 'warn',
        message: `Cluster ${name} is managed as code (${owner}); changed anyway (--allow-drift): merge the fix into the code too, or ${next} will put it back.`,
      };
    case 'warn':
      return {
        check: id,
        status: 'warn',
        message: `Cluster ${name} is managed as code (${owner}): change the endpoint there too, or ${next} will put it back.`,
      };
  }
}

/**
 * The same check for a cluster whose tags name no tool but whose definition `remediate --iac-dir`
 * found in code (at `where`): managed as code all the same, so blocked unless the plan allows the
 * drift, and then warned.
 */
export function definedInCode(name: string, where: string, allowDrift: boolean): PreflightResult {
  const found = `Cluster ${name} is defined in code (${where}), which would put the endpoint back`;
  return allowDrift
    ? {
        check: id,
        status: 'warn',
        message: `${found}; changed anyway (--allow-drift): merge the fix into the code too.`,
      }
    : {
        check: id,
        status: 'block',
        message: `${found}. Fix it there (the patch), or allow the drift for an emergency (--allow-drift).`,
      };
}

export const managedAsCodeCheck: PreflightCheck = { id, title, run };
