import type { RuleMetadata } from '../../rules/types.js';
import type { formatTable } from './table.format.js';

/** What a format may need beyond the report: the rules' full metadata (remediation, rationale), the width to fit. */
export interface FormatContext {
  readonly rules: readonly RuleMetadata[];
  /** Terminal width for the table; undefined means no limit. */
  readonly width?: number | undefined;
  /** The table's other options, whatever the command sets (e.g. what decides its verdict). */
  readonly table?: Omit<NonNullable<Parameters<typeof formatTable>[1]>, 'width'>;
}

export function ruleMetadata(context: FormatContext, ruleId: string): RuleMetadata | undefined {
  return context.rules.find((r) => r.id === ruleId);
}

/** `text` cut to at most `max` characters, an ellipsis marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** AWS partition of a region name: where an ARN or a Security Hub product lives. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** The finding's cluster ARN, or the one it would have when it could not be read. */
export function clusterArn(
  arn: string | null,
  account: string,
  region: string,
  name: string,
): string {
  return arn ?? `arn:${partitionOf(region)}:eks:${region}:${account}:cluster/${name}`;
}

/** A stable identity of "this rule on this cluster": a re-scan produces the same one. */
export function findingUid(
  account: string,
  region: string,
  cluster: string,
  ruleId: string,
): string {
  return `eksposure/${account}/${region}/${cluster}/${ruleId}`;
}

/** Where the ASFF Types taxonomy puts a check on network reachability of a resource. */
export const FINDING_TYPE =
  'Software and Configuration Checks/AWS Security Best Practices/Network Reachability';
