import type { Shard } from '../accounts/shard.js';
import type { AuditReport } from '../model/findings.js';
import { mergeReports } from '../report/merge-reports.js';
import { rules } from '../rules/registry.js';
import type { RuleMetadata } from '../rules/types.js';
import { refused, type Refused } from './outcomes.js';

export type MergeOutcome =
  | {
      readonly kind: 'merged';
      readonly report: AuditReport;
      /** Shards of the run with no report: their accounts are missing (the report is incomplete). */
      readonly missingShards: readonly Shard[];
      /** The rules the shards ran, with their full metadata (for the formats). */
      readonly rules: readonly RuleMetadata[];
    }
  | Refused;

/** merge: the JSON reports of one run's shards, as the report one run over every account gives. */
export function mergeShards(
  files: readonly { readonly name: string; readonly text: string }[],
): MergeOutcome {
  if (files.length === 0)
    return refused(
      'bad-input',
      'merge needs the JSON reports of the shards, e.g. eksposure merge report-*.json.',
    );
  const outcome = mergeReports(files);
  if (!outcome.ok) return refused('bad-input', outcome.message);
  const { report, missingShards } = outcome;
  const ran = rules.map((r) => r.metadata).filter((m) => report.rules.some((r) => r.id === m.id));
  return { kind: 'merged', report, missingShards, rules: ran };
}
