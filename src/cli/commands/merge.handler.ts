import { formatShard } from '../../accounts/shard.js';
import { exitCodeFor } from '../../report/audit-report.js';
import { mergeReports } from '../../report/merge-reports.js';
import { rules } from '../../rules/registry.js';
import { readInputFile } from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import {
  type ReportOutputArgs,
  resolveOutputTargets,
  writeReportOutputs,
} from '../report-outputs.js';
import type { FailOnArgs } from '../rule-options.js';

export interface MergeArgs extends ReportOutputArgs, FailOnArgs {
  readonly reports: readonly string[];
}

export async function merge(deps: CliDeps, args: MergeArgs): Promise<number> {
  const outputs = resolveOutputTargets(args);
  if (args.reports.length === 0)
    throw new CliError(
      'merge needs the JSON reports of the shards, e.g. eksposure merge report-*.json.',
    );
  const files = args.reports.map((path) => ({
    name: path,
    text: readInputFile('report', String(path)),
  }));
  const outcome = mergeReports(files);
  if (!outcome.ok) throw new CliError(outcome.message);
  const { report, missingShards } = outcome;
  if (missingShards.length > 0) {
    const shards = missingShards.map(formatShard).join(', ');
    deps.stderr.write(
      `eksposure: no report for shard ${shards}: its accounts are missing, the merged report is incomplete (exit 3); run that shard again and merge every report.\n`,
    );
  }
  const ran = rules.map((r) => r.metadata).filter((m) => report.rules.some((r) => r.id === m.id));
  // The shards' own --fail-on is not in their reports: the merge is told again.
  const failOn = args['fail-on'] ?? 'any';
  await writeReportOutputs(report, outputs, deps.stdout, { rules: ran, table: { failOn } });
  return exitCodeFor(report, failOn);
}
