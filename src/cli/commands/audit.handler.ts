import { runAudit } from '../../audit/run-audit.js';
import { exitCodeFor } from '../../report/audit-report.js';
import { silentProgress, terminalProgress } from '../../report/progress.js';
import { rules } from '../../rules/registry.js';
import { toolVersion } from '../../version.js';
import { type AwsConnectionArgs, resolveAwsConnection } from '../aws-options.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import {
  type ReportOutputArgs,
  resolveOutputTargets,
  writeReportOutputs,
} from '../report-outputs.js';
import { openScanSession } from '../scan-interrupt.js';

export interface AuditArgs extends AwsConnectionArgs, ReportOutputArgs {
  readonly 'log-level': string;
}

export async function audit(deps: CliDeps, args: AuditArgs): Promise<number> {
  const connection = resolveAwsConnection(args, deps.env);
  const outputs = resolveOutputTargets(args);
  const { logger, interrupt, clients, homeRegion } = await openScanSession(
    deps,
    connection,
    args['log-level'],
  );
  const progress = deps.stderr.isTTY
    ? terminalProgress(deps.stderr, () => Date.now())
    : { ...silentProgress, done: () => undefined };
  logger.info(
    { homeRegion, endpoints: connection.endpoints, regions: connection.regions ?? 'all' },
    'audit starting',
  );
  try {
    const outcome = await runAudit(
      { clients, clock: deps.clock, logger, progress, toolVersion },
      {
        homeRegion,
        regions: connection.regions,
        concurrency: connection.concurrency,
        regionConcurrency: connection.regionConcurrency,
        signal: interrupt.signal,
      },
    );
    progress.done();
    // A scan cut short is not reported: its errors are ours, not the account's.
    interrupt.throwIfInterrupted();
    if (outcome.kind === 'refused') throw new CliError(outcome.message, outcome.exitCode);
    const { report } = outcome;
    await writeReportOutputs(report, outputs, deps.stdout, {
      rules: rules.map((r) => r.metadata),
    });
    logger.info(
      {
        durationMs: Date.parse(report.finishedAt) - Date.parse(report.startedAt),
        maxRssKb: process.resourceUsage().maxRSS,
        ...report.summary,
      },
      'audit finished',
    );
    return exitCodeFor(report);
  } finally {
    clients.destroy();
  }
}
