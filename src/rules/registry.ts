import { eks001EndpointPublicAccess } from './eks-001-endpoint-public-access.js';
import { eks002EndpointNoPublicAccess } from './eks-002-endpoint-no-public-access.js';
import { eks003NodeExposure } from './eks-003-node-exposure.js';
import { eksProbe001ApiReachable } from './eks-probe-001-api-reachable.js';
import type { Rule } from './types.js';
import { type Severity } from '../model/findings.js';

/** Every rule eksposure knows, in report order. A test pins this list. */
export const rules: readonly Rule[] = [
  eks001EndpointPublicAccess,
  eks002EndpointNoPublicAccess,
  eks003NodeExposure,
  eksProbe001ApiReachable,
];

/** What runs when --rules is not given: the Conformity reading. */
export const DEFAULT_RULE_IDS: readonly string[] = ['EKS-001'];
export const defaultRules: readonly Rule[] = rules.filter((r) =>
  DEFAULT_RULE_IDS.includes(r.metadata.id),
);

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Pure: the rule a name (an id or an alias, any case) stands for. */
export function ruleNamed(name: string, from: readonly Rule[] = rules): Rule | undefined {
  const wanted = name.trim().toLowerCase();
  return from.find(
    (r) =>
      r.metadata.id.toLowerCase() === wanted ||
      r.metadata.aliases.some((a) => a.toLowerCase() === wanted),
  );
}

export type RuleSelection =
  | { readonly ok: true; readonly rules: readonly Rule[] }
  | { readonly ok: false; readonly unknown: readonly string[] };

/** Pure: the rules named (ids or aliases), in registry order, each once; or the names that are none. */
export function selectRules(names: readonly string[]): RuleSelection {
  const unknown = names.filter((n) => ruleNamed(n) === undefined);
  if (unknown.length > 0) return { ok: false, unknown };
  const chosen = new Set(names.map((n) => ruleNamed(n)));
  return { ok: true, rules: rules.filter((r) => chosen.has(r)) };
}

export function knownRuleNames(): string {
  return rules.map((r) => [r.metadata.id, ...r.metadata.aliases].join(' / ')).join(', ');
}
