import { runAccountsAudit, runAudit } from '../../audit/run-audit.js';
import { exitCodeFor } from '../../report/audit-report.js';
import { writeJson } from '../../report/json.formatter.js';
import { silentProgress, terminalProgress } from '../../report/progress.js';
import { formatTable } from '../../report/table.formatter.js';
import { toolVersion } from '../../version.js';
import { type AccountArgs, resolveAccountScope } from '../account-options.js';
import { accountOpener, realPacer, selectAccounts } from '../account-session.js';
import { type AwsConnectionArgs, resolveAwsConnection } from '../aws-options.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { openScanSession } from '../scan-interrupt.js';

export interface AuditArgs extends AwsConnectionArgs, AccountArgs {
  readonly output: 'table' | 'json';
  readonly 'log-level': string;
}

export async function audit(deps: CliDeps, args: AuditArgs): Promise<number> {
  const connection = resolveAwsConnection(args, deps.env);
  const scope = resolveAccountScope(args);
  const severalAccounts = scope.source.kind !== 'caller';
  // Only a run across accounts is paced: a single account keeps the speed it had.
  const callerPacer = severalAccounts ? realPacer(deps) : undefined;
  const { logger, interrupt, clients, credentials, homeRegion } = await openScanSession(
    deps,
    connection,
    args['log-level'],
    callerPacer,
  );
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
    const auditDeps = { clock: deps.clock, logger, progress, toolVersion };
    const options = {
      homeRegion,
      regions: connection.regions,
      concurrency: connection.concurrency,
      regionConcurrency: connection.regionConcurrency,
      signal: interrupt.signal,
    };
    const outcome =
      severalAccounts && callerPacer
        ? await runAccountsAudit(
            {
              ...auditDeps,
              openAccount: accountOpener(
                deps,
                credentials,
                scope,
                connection,
                homeRegion,
                callerPacer,
              ),
            },
            await selectAccounts(scope, clients, logger, interrupt.signal),
            { ...options, accountConcurrency: scope.accountConcurrency },
          )
        : await runAudit({ ...auditDeps, clients }, options);
    progress.done();
    // A scan cut short is not reported: its errors are ours, not the account's.
    interrupt.throwIfInterrupted();
    if (outcome.kind === 'refused') throw new CliError(outcome.message, outcome.exitCode);
    const { report } = outcome;
    if (args.output === 'json') writeJson(report, deps.stdout);
    else deps.stdout.write(formatTable(report, { width: deps.stdout.columns }));
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
