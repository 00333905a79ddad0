import { formatShard } from '../../accounts/shard.js';
import { mergeShards } from '../../app/merge-shards.js';
import { readInputFile } from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { exitCodeFor, exitCodeForRefusal } from '../exit-codes.js';
import {
  type ReportOutputArgs,
  resolveOutputTargets,
  writeReportOutputs,
} from '../options/report-outputs.js';
import type { FailOnArgs } from '../options/rule-options.js';

export interface MergeArgs extends ReportOutputArgs, FailOnArgs {
  readonly reports: readonly string[];
}

export async function merge(deps: CliDeps, args: MergeArgs): Promise<number> {
  const outputs = resolveOutputTargets(args);
  const files = args.reports.map((path) => ({
    name: path,
    text: readInputFile('report', String(path)),
  }));
  const outcome = mergeShards(files);
  if (outcome.kind === 'refused')
    throw new CliError(outcome.message, exitCodeForRefusal(outcome.refusal));
  const { report, missingShards } = outcome;
  if (missingShards.length > 0) {
    const shards = missingShards.map(formatShard).join(', ');
    deps.stderr.write(
      `eksposure: no report for shard ${shards}: its accounts are missing, the merged report is incomplete (exit 3); run that shard again and merge every report.\n`,
    );
  }
  // The shards' own --fail-on is not in their reports: the merge is told again.
  const failOn = args['fail-on'] ?? 'any';
  await writeReportOutputs(report, outputs, deps.stdout, {
    rules: outcome.rules,
    table: { failOn },
  });
  return exitCodeFor(report, failOn);
}
