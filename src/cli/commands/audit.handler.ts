import { audit as runAudit, type AuditProbe } from '../../app/audit.js';
import { compareWithBaseline } from '../../audit/baseline.js';
import { probeClusters } from '../../probe/probe-clusters.js';
import { type AccountArgs, resolveAccountScope } from '../options/account-options.js';
import { type AwsConnectionArgs, resolveAwsConnection } from '../options/aws-options.js';
import { type BaselineArgs, loadBaseline } from '../options/baseline-options.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { exitCodeFor, exitCodeForRefusal } from '../exit-codes.js';
import { type ProbeTuningArgs, resolveAuditProbe } from '../options/probe-options.js';
import { resolveRuleSetup, warnUnusedExemptions, withProbeRule } from '../options/rule-config.js';
import type { RuleArgs } from '../options/rule-options.js';
import {
  type ReportOutputArgs,
  resolveOutputTargets,
  writeReportOutputs,
} from '../options/report-outputs.js';
import { resolveSecurityHub, type SecurityHubArgs } from '../options/security-hub-options.js';
import { callerPacerFor, callerPorts, clockOf, openScanSession, pacingFor } from '../session.js';
import { silentProgress } from '../../model/scan.js';
import { terminalProgress } from '../terminal-progress.js';
import { toolVersion } from '../version.js';
import type { Logger } from 'pino';
import type { CallerAws } from '../../app/ports.js';
import type { SecurityHubRequest } from '../../app/sync-security-hub.js';
import type { SecurityHubSummary } from '../../model/security-hub.js';
import { withSecurityHub } from '../../report/security-hub-sync.js';

export interface AuditArgs
  extends
    AwsConnectionArgs,
    AccountArgs,
    RuleArgs,
    ReportOutputArgs,
    BaselineArgs,
    ProbeTuningArgs,
    SecurityHubArgs {
  readonly 'log-level': string;
  readonly probe?: boolean;
}

export async function audit(deps: CliDeps, args: AuditArgs): Promise<number> {
  const connection = resolveAwsConnection(args, deps.env);
  const setup = withProbeRule(resolveRuleSetup(args), resolveAuditProbe(args));
  const outputs = resolveOutputTargets(args);
  const baseline = loadBaseline(args);
  const failOnNew = args['fail-on-new'] === true;
  const scope = resolveAccountScope(args);
  const securityHub = resolveSecurityHub(args);
  const pacing = pacingFor(scope);
  const callerPacer = callerPacerFor(deps, pacing);
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
  const caller = callerPorts(deps, session, { ...connection, ...scope, pacing }, callerPacer);
  try {
    const outcome = await runAudit(
      {
        caller,
        clock: clockOf(deps),
        logger,
        progress,
        toolVersion,
        probeEndpoints: (accounts, probe: AuditProbe, signal) =>
          probeClusters(accounts, { ...probe, clock: deps.clock, signal }),
        probeKubelets: async (targets, probe: AuditProbe, signal) => {
          const { probeKubelets } = await import('../../probe/kubelet-prober.js');
          return probeKubelets(targets, {
            timeoutMs: probe.timeoutMs,
            concurrency: probe.concurrency,
            signal,
            now: () => deps.clock().getTime(),
          });
        },
      },
      {
        ...connection,
        homeRegion,
        scope,
        signal: interrupt.signal,
        rules: setup.rules,
        ruleContext: setup.ruleContext,
        exemptions: setup.config.exemptions,
        managers: setup.config.managers,
        probe: setup.probe,
      },
    );
    // The accounts could not be selected: nothing was scanned, so there is no progress to clear.
    if (outcome.kind === 'not-selected')
      throw new CliError(outcome.message, exitCodeForRefusal(outcome.refusal));
    progress.done();
    // A scan cut short is not reported: its errors are ours, not the account's.
    interrupt.throwIfInterrupted();
    if (outcome.kind === 'interrupted') throw new Error('interrupted without a signal');
    if (outcome.kind === 'refused')
      throw new CliError(outcome.message, exitCodeForRefusal(outcome.refusal));
    const context = { rules: setup.rules.map((r) => r.metadata) };
    // Compared first, so that what goes to Security Hub carries each finding's change.
    const compared = baseline
      ? compareWithBaseline(outcome.report, baseline.report, baseline.file)
      : outcome.report;
    const synced =
      securityHub &&
      (await sendToSecurityHub(deps, caller, logger, {
        report: compared,
        context,
        regions: securityHub.regions,
        accountConcurrency: scope.accountConcurrency,
        signal: interrupt.signal,
      }));
    interrupt.throwIfInterrupted();
    const throttledCalls = { ...pacing.throttled };
    const report = {
      ...(synced ? withSecurityHub(compared, synced) : compared),
      run: { throttledCalls },
    };
    await writeReportOutputs(report, outputs, deps.stdout, {
      ...context,
      table: { failOn: setup.failOn, failOnNew, showPassed: args['show-passed'] === true },
    });
    warnUnusedExemptions(deps.stderr, report, setup);
    logger.info(
      {
        durationMs: Date.parse(report.finishedAt) - Date.parse(report.startedAt),
        maxRssKb: process.resourceUsage().maxRSS,
        throttledCalls,
        pacing: pacing.learned(),
        ...report.summary,
      },
      'audit finished',
    );
    return exitCodeFor(report, setup.failOn, failOnNew);
  } finally {
    clients.destroy();
  }
}

/** --security-hub: the findings imported (the use case and its decisions load only then). */
async function sendToSecurityHub(
  deps: CliDeps,
  caller: CallerAws,
  logger: Logger,
  request: SecurityHubRequest,
): Promise<SecurityHubSummary> {
  const { syncSecurityHub } = await import('../../app/sync-security-hub.js');
  const summary = await syncSecurityHub(
    {
      caller,
      clock: clockOf(deps),
      logger,
      warn: (line) => deps.stderr.write(`eksposure: ${line}\n`),
    },
    request,
  );
  logger.info(
    {
      imported: summary.imported,
      updated: summary.updated,
      archived: summary.archived,
      failed: summary.failed,
    },
    'security hub synced',
  );
  // Said whatever the output format: the report may go to a file, and this changed AWS.
  deps.stderr.write(
    `eksposure: Security Hub: ${String(summary.imported)} imported, ${String(summary.updated)} updated, ${String(summary.archived)} archived, ${String(summary.failed)} refused\n`,
  );
  return summary;
}
