import { formatShard } from '../../accounts/shard.js';
import { exitCodeFor } from '../../report/audit-report.js';
import { writeJson } from '../../report/json.formatter.js';
import { mergeReports } from '../../report/merge-reports.js';
import { formatTable } from '../../report/table.formatter.js';
import { readInputFile } from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';

export interface MergeArgs {
  readonly reports: readonly string[];
  readonly output: 'table' | 'json';
}

export function merge(deps: CliDeps, args: MergeArgs): number {
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
  if (args.output === 'json') writeJson(report, deps.stdout);
  else deps.stdout.write(formatTable(report, { width: deps.stdout.columns }));
  return exitCodeFor(report);
}
