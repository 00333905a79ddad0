/**
 * remediate --iac-dir: each failing cluster's definition in the code under the directories, and the
 * fix as a patch to it. Nothing is written: the patch comes back for the CLI to write.
 */
import { fixesAsCode, type IacCluster } from '../iac/fix-as-code.js';
import type { IacFormat, SourceFile } from '../iac/types.js';
import type { AsCodeFailure, AsCodeFix } from '../model/as-code.js';
import { id as MANAGED_AS_CODE } from '../remediation/preflight/managed-as-code.preflight.js';
import { CFN_LOGICAL_ID, UNKNOWN_MANAGER } from '../model/managed-by.js';
import type { ClusterPlan, RemediationPlan } from '../remediation/plan.js';
import { preflightBlockReason } from '../remediation/planner.js';
import type { PreflightResult } from '../remediation/preflight/types.js';

export interface AsCodeRequest {
  /** --iac-dir, as given. */
  readonly dirs: readonly string[];
  /** Every file under them the formats may read (paths relative to the working directory). */
  readonly files: readonly SourceFile[];
  /** Files that could not be read. */
  readonly unreadable: readonly AsCodeFailure[];
  /** --patch-out; null: the patch is only shown. */
  readonly patchFile: string | null;
}

export interface AsCodeOutcome {
  /** The plan, each cluster to fix with what was found in code, and the search's summary. */
  readonly plan: RemediationPlan;
  /** The unified diff; empty when nothing was patched. */
  readonly patch: string;
}

/** The clusters whose fix belongs in code: the ones the plan changes or blocks (not skipped ones). */
const toFix = (entry: ClusterPlan) => entry.action !== 'skip';

function clusterOf(entry: ClusterPlan): IacCluster {
  const managedBy = entry.managedBy ?? UNKNOWN_MANAGER;
  const logicalId = managedBy.evidence.find((e) => e.tag === CFN_LOGICAL_ID)?.value;
  return {
    key: entry.arn,
    managedBy,
    target: {
      clusterName: entry.clusterName,
      region: entry.region,
      ...(logicalId !== undefined ? { logicalId } : {}),
      after: entry.after,
      change: entry.change,
    },
  };
}

/**
 * A cluster whose tags name no tool but whose definition is in the code under --iac-dir is managed
 * as code all the same: blocked like a tagged one unless the plan allows drift, and then warned.
 */
function blockFoundInCode(entry: ClusterPlan, fix: AsCodeFix, allowDrift: boolean): ClusterPlan {
  if (entry.action !== 'update' || fix.status === 'not-found') return entry;
  if ((entry.managedBy?.tool ?? 'unknown') !== 'unknown') return entry;
  const where =
    fix.status === 'ambiguous'
      ? fix.candidates.map((c) => `${c.file}:${String(c.line)}`).join(', ')
      : `${fix.location.file}:${String(fix.location.line)}`;
  const found = `Cluster ${entry.clusterName} is defined in code (${where}), which would put the endpoint back`;
  const result: PreflightResult = allowDrift
    ? {
        check: MANAGED_AS_CODE,
        status: 'warn',
        message: `${found}; changed anyway (--allow-drift): merge the fix into the code too.`,
      }
    : {
        check: MANAGED_AS_CODE,
        status: 'block',
        message: `${found}. Fix it there (the patch), or allow the drift for an emergency (--allow-drift).`,
      };
  const preflight = [...entry.preflight.filter((r) => r.check !== MANAGED_AS_CODE), result];
  if (allowDrift) return { ...entry, preflight };
  return {
    ...entry,
    action: 'blocked',
    reason: preflightBlockReason(preflight.filter((r) => r.status === 'block')),
    preflight,
  };
}

export async function planFixesAsCode(
  formats: readonly IacFormat[],
  plan: RemediationPlan,
  request: AsCodeRequest,
): Promise<AsCodeOutcome> {
  const found = await fixesAsCode(
    formats,
    request.files,
    plan.clusters.filter(toFix).map(clusterOf),
  );
  const clusters = plan.clusters.map((entry) => {
    const fix = toFix(entry) ? found.fixes.get(entry.arn) : undefined;
    if (!fix) return entry;
    return blockFoundInCode({ ...entry, asCode: fix }, fix, plan.allowDrift === true);
  });
  const count = (action: string) => clusters.filter((c) => c.action === action).length;
  return {
    plan: {
      ...plan,
      clusters,
      summary: { update: count('update'), blocked: count('blocked'), skip: count('skip') },
      asCode: {
        dirs: [...request.dirs],
        patchFile: found.patch === '' ? null : request.patchFile,
        files: found.files,
        failures: [...request.unreadable, ...found.failures],
      },
    },
    patch: found.patch,
  };
}
