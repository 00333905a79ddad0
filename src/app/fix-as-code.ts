/**
 * remediate --iac-dir: each failing cluster's definition in the code under the directories, and the
 * fix as a patch to it. Nothing is written: the patch comes back for the CLI to write.
 */
import { fixesAsCode, type IacCluster } from '../iac/fix-as-code.js';
import type { IacFormat, SourceFile } from '../iac/types.js';
import type { AsCodeFailure, AsCodeFix } from '../model/as-code.js';
import { definedInCode } from '../remediation/preflight/managed-as-code.preflight.js';
import { CFN_LOGICAL_ID, UNKNOWN_MANAGER } from '../model/managed-by.js';
import type { ClusterPlan, RemediationPlan } from '../remediation/plan.js';
import { withPreflightResult } from '../remediation/planner.js';

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

/** Where a fix found its cluster's definition: `file:line`, or each candidate's. */
const whereDefined = (fix: Exclude<AsCodeFix, { status: 'not-found' }>) =>
  fix.status === 'ambiguous'
    ? fix.candidates.map((c) => `${c.file}:${String(c.line)}`).join(', ')
    : `${fix.location.file}:${String(fix.location.line)}`;

/** A cluster its tags do not show managed, found in code: the managed-as-code check says so. */
function blockFoundInCode(entry: ClusterPlan, fix: AsCodeFix, allowDrift: boolean): ClusterPlan {
  if (entry.action !== 'update' || fix.status === 'not-found') return entry;
  if ((entry.managedBy?.tool ?? 'unknown') !== 'unknown') return entry;
  return withPreflightResult(
    entry,
    definedInCode(entry.clusterName, whereDefined(fix), allowDrift),
  );
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
