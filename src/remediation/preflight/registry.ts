import { allowlistFamilyCheck } from './allowlist-family.preflight.js';
import { allowlistScopeCheck } from './allowlist-scope.preflight.js';
import { clusterStateCheck } from './cluster-state.preflight.js';
import { managedAsCodeCheck } from './managed-as-code.preflight.js';
import { nodeAccessCheck } from './node-access.preflight.js';
import { operatorLockoutCheck } from './operator-lockout.preflight.js';
import { privateOnlyCheck } from './private-only.preflight.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';
import { vpcDnsCheck } from './vpc-dns.preflight.js';
import { isError } from '../../model/errors.js';

/** Every pre-flight check, in report order. A test pins this list. */
export const preflightChecks: readonly PreflightCheck[] = [
  clusterStateCheck,
  vpcDnsCheck,
  privateOnlyCheck,
  operatorLockoutCheck,
  nodeAccessCheck,
  managedAsCodeCheck,
  allowlistScopeCheck,
  allowlistFamilyCheck,
];

/**
 * Runs every check that applies to this change, in report order. A check that throws blocks the
 * change: a check that could not look is not a check that passed.
 */
export function runPreflight(
  input: PreflightInput,
  checks: readonly PreflightCheck[] = preflightChecks,
): PreflightResult[] {
  return checks.flatMap((check) => {
    try {
      const result = check.run(input);
      return result === undefined ? [] : [result];
    } catch (error) {
      const reason = isError(error) ? error.message || error.name : String(error);
      return [
        {
          check: check.id,
          status: 'block' as const,
          message: `Pre-flight check ${check.id} failed to run: ${reason}; not changing this cluster (${input.cluster.name ?? 'unnamed'}).`,
        },
      ];
    }
  });
}
