import { isObject } from '../model/json-shape.js';
import { REGION_NAME_PATTERN } from '../model/aws-names.js';
import {
  applyChange,
  fingerprintOf,
  isEndpointChange,
  isEndpointConfig,
  sameEndpointConfig,
} from './endpoint-config.js';
import { parseAllowlist } from './allowlist.js';
import { accountProblem, ownCredentialAccounts } from './accounts.js';
import {
  type ClusterPlan,
  PLAN_KIND,
  REMEDIATION_PLAN_SCHEMA_VERSION,
  type RemediationPlan,
} from './plan.js';

/** Plans of this major are read; 1.x plans, which named no account, are refused (plan again). */
const READ_MAJOR = `${REMEDIATION_PLAN_SCHEMA_VERSION.split('.')[0]}.`;

export function serializePlan(plan: RemediationPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

const ACTIONS = new Set(['update', 'blocked', 'skip']);
const MODES = new Set(['private', 'allowlist', 'rollback']);

function clusterProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'is not an object';
  const c = value;
  if (typeof c.region !== 'string' || !REGION_NAME_PATTERN.test(c.region))
    return 'has no valid region';
  if (typeof c.clusterName !== 'string' || c.clusterName === '') return 'has no clusterName';
  if (typeof c.arn !== 'string' || !c.arn.startsWith('arn:')) return 'has no cluster ARN';
  const account = accountProblem(c, c.arn);
  if (account) return account;
  if (typeof c.action !== 'string' || !ACTIONS.has(c.action))
    return 'has an action other than update, blocked or skip';
  if (!isEndpointConfig(c.before) || !isEndpointConfig(c.after))
    return 'has no before/after configuration';
  if (!isEndpointChange(c.change)) return 'has no change';
  if (c.fingerprint !== fingerprintOf(c.before))
    return 'has a fingerprint that does not match its own "before" (the file was edited or damaged)';
  if (!sameEndpointConfig(applyChange(c.before, c.change), c.after))
    return 'has a change that does not lead to its "after" (the file was edited or damaged)';
  if (!Array.isArray(c.preflight)) return 'has no pre-flight results';
  return undefined;
}

/** An allowlist plan's CIDRs must be what remediate itself would accept (apply derives each change from them). */
function allowCidrsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || !value.every((c) => typeof c === 'string'))
    return 'its "allowCidrs" is not a list of CIDRs';
  const parsed = parseAllowlist(value.map((c) => ({ value: c, source: 'allowCidrs' })));
  if (!parsed.ok) return `its ${parsed.message}`;
  if (parsed.cidrs.join(',') !== value.join(','))
    return 'its "allowCidrs" is not in the form remediate writes (the file was edited or damaged)';
  return undefined;
}

export type PlanRead =
  | { readonly ok: true; readonly plan: RemediationPlan }
  | { readonly ok: false; readonly message: string };

/**
 * Pure: reads a saved plan and refuses anything that is not an intact plan of a known schema
 * version. Each refusal is one line naming the file and the first problem.
 */
export function parsePlan(text: string, path: string): PlanRead {
  const fail = (why: string): PlanRead => ({
    ok: false,
    message: `${path} is not a usable plan: ${why}; make a new one with eksposure remediate --out ${path}.`,
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(value) || value.kind !== PLAN_KIND) return fail(`"kind" is not "${PLAN_KIND}"`);
  const v = value;
  if (typeof v.schemaVersion === 'string' && v.schemaVersion.startsWith('1.')) {
    return fail(
      `schemaVersion ${v.schemaVersion} is a plan of an older eksposure, which did not record each cluster's account and role`,
    );
  }
  if (typeof v.schemaVersion !== 'string' || !v.schemaVersion.startsWith(READ_MAJOR)) {
    return fail(
      `schemaVersion ${JSON.stringify(v.schemaVersion)} is not ${READ_MAJOR}x, which this eksposure reads`,
    );
  }
  if (typeof v.planId !== 'string' || v.planId.length < 8) return fail('it has no planId');
  if (typeof v.mode !== 'string' || !MODES.has(v.mode)) return fail('its mode is unknown');
  const allowlistProblem = v.mode === 'allowlist' ? allowCidrsProblem(v.allowCidrs) : undefined;
  if (allowlistProblem) return fail(allowlistProblem);
  if (!Array.isArray(v.clusters)) return fail('it has no "clusters" list');
  for (const [i, cluster] of v.clusters.entries()) {
    const problem = clusterProblem(cluster);
    if (problem) return fail(`clusters[${i}] ${problem}`);
  }
  const ownAccounts = ownCredentialAccounts(v.clusters as ClusterPlan[]);
  if (ownAccounts.length > 1) {
    return fail(
      `clusters of accounts ${ownAccounts.join(' and ')} have no role, but one set of credentials acts in one account only`,
    );
  }
  return { ok: true, plan: value as unknown as RemediationPlan };
}
