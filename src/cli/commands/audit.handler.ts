import { exitCodeFor } from '../../report/audit-report.js';
import { silentProgress, terminalProgress } from '../../report/progress.js';
import { toolVersion } from '../../version.js';
import { type AccountArgs, resolveAccountScope } from '../account-options.js';
import { callerPacerFor, runScan } from '../account-session.js';
import { type AwsConnectionArgs, resolveAwsConnection } from '../aws-options.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { probeAfterScan, withProbeRule } from '../audit-probe.js';
import { type ProbeTuningArgs, resolveAuditProbe } from '../probe-options.js';
import { resolveRuleSetup, warnUnusedExemptions } from '../rule-config.js';
import type { RuleArgs } from '../rule-options.js';
import {
  type ReportOutputArgs,
  resolveOutputTargets,
  writeReportOutputs,
} from '../report-outputs.js';
import { openScanSession } from '../scan-interrupt.js';

export interface AuditArgs
  extends AwsConnectionArgs, AccountArgs, RuleArgs, ReportOutputArgs, ProbeTuningArgs {
  readonly 'log-level': string;
  readonly probe?: boolean;
}

export async function audit(deps: CliDeps, args: AuditArgs): Promise<number> {
  const connection = resolveAwsConnection(args, deps.env);
  const setup = withProbeRule(resolveRuleSetup(args), resolveAuditProbe(args));
  const outputs = resolveOutputTargets(args);
  const scope = resolveAccountScope(args);
  const callerPacer = callerPacerFor(deps, scope);
  const session = await openScanSession(deps, connection, args['log-level'], callerPacer);
  const { logger, interrupt, clients, homeRegion } = session;
  const progress = deps.stderr.isTTY
    ? terminalProgress(deps.stderr, () => Date.now())
    : { ...silentProgress, done: () => undefined };
  logger.info(
    {
      homeRegion,
      endpoints: connection.endpoints,
      regions: connection.regions ?? 'all',
      accounts: scope.source.kind,
    },
    'audit starting',
  );
  try {
    const outcome = await runScan(deps, session, {
      connection,
      scope,
      callerPacer,
      progress,
      toolVersion,
      evaluation: {
        rules: setup.rules,
        ruleContext: setup.ruleContext,
        exemptions: setup.config.exemptions,
        ...(setup.probe && {
          keepCertificateAuthority: true,
          probe: probeAfterScan(deps, setup.probe, session.logger, interrupt.signal),
        }),
      },
    });
    progress.done();
    // A scan cut short is not reported: its errors are ours, not the account's.
    interrupt.throwIfInterrupted();
    if (outcome.kind === 'refused') throw new CliError(outcome.message, outcome.exitCode);
    const { report } = outcome;
    await writeReportOutputs(report, outputs, deps.stdout, {
      rules: setup.rules.map((r) => r.metadata),
      table: { failOn: setup.failOn },
    });
    warnUnusedExemptions(deps.stderr, report, setup);
    logger.info(
      {
        durationMs: Date.parse(report.finishedAt) - Date.parse(report.startedAt),
        maxRssKb: process.resourceUsage().maxRSS,
        ...report.summary,
      },
      'audit finished',
    );
    return exitCodeFor(report, setup.failOn);
  } finally {
    clients.destroy();
  }
}
