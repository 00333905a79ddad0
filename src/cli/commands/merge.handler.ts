import { formatShard } from '../../accounts/shard.js';
import { mergeShards } from '../../app/merge-shards.js';
import { compareWithBaseline } from '../../audit/baseline.js';
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
import { type BaselineArgs, loadBaseline } from '../options/baseline-options.js';

export interface MergeArgs extends ReportOutputArgs, FailOnArgs, BaselineArgs {
  readonly reports: readonly string[];
}

export async function merge(deps: CliDeps, args: MergeArgs): Promise<number> {
  const outputs = resolveOutputTargets(args);
  const baseline = loadBaseline(args);
  const failOnNew = args['fail-on-new'] === true;
  const files = args.reports.map((path) => ({
    name: path,
    text: readInputFile('report', String(path)),
  }));
  const outcome = mergeShards(files);
  if (outcome.kind === 'refused')
    throw new CliError(outcome.message, exitCodeForRefusal(outcome.refusal));
  const { missingShards } = outcome;
  const report = baseline
    ? compareWithBaseline(outcome.report, baseline.report, baseline.file)
    : outcome.report;
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
    table: { failOn, failOnNew, showPassed: args['show-passed'] === true },
  });
  return exitCodeFor(report, failOn, failOnNew);
}
