import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import { shardSelection } from '../accounts/shard.js';
import {
  type AccountSelection,
  type AccountTarget,
  selectNamedAccounts,
  selectOrganizationAccounts,
} from '../accounts/targets.js';
import type { AccountScanResult } from '../audit/evaluate.js';
import {
  type AuditOptions,
  type AuditOutcome,
  type AuditProgress,
  type OpenedAccount,
  runAccountsAudit,
  runAudit,
} from '../audit/run-audit.js';
import { accountCredentials } from '../aws/assume-role.js';
import type { AwsClients, CredentialsProvider } from '../aws/clients.js';
import { formatErrorInfo, toErrorInfo } from '../model/errors.js';
import { listOrganizationAccounts } from '../aws/organization-accounts.js';
import { createPacer, type Pacer } from '../aws/pacing.js';
import { EXIT_INCOMPLETE } from '../report/audit-report.js';
import type { AccountScope } from './account-options.js';
import type { AwsConnection } from './aws-options.js';
import { CONNECT_TIMEOUT_MS } from './aws-session.js';
import { CliError } from './cli-error.js';
import type { CliDeps } from './deps.js';
import type { ScanSession } from './scan-interrupt.js';

/** Error codes meaning the caller may not list the organization (not its management account). */
const NOT_ALLOWED = new Set(['AccessDeniedException', 'AWSOrganizationsNotInUseException']);

const NOT_PACED: Pacer = { take: () => Promise.resolve() };

/** The pacer of one account's calls, on the real clock (none with --pace off). */
export const realPacer = (
  deps: Pick<CliDeps, 'sleep'>,
  scope: Pick<AccountScope, 'pacing'>,
): Pacer =>
  scope.pacing === null
    ? NOT_PACED
    : createPacer(scope.pacing, Date.now, (ms) => deps.sleep(ms, new AbortController().signal));

/**
 * The accounts a multi-account run covers: those named, or the organization's (or an OU's), less
 * the excluded ones. An organization that cannot be listed ends the command in one line.
 */
export async function selectAccounts(
  scope: AccountScope,
  callerClients: AwsClients,
  logger: Logger,
  signal: AbortSignal | undefined,
): Promise<AccountSelection> {
  const { source } = scope;
  if (source.kind === 'caller') throw new Error('selectAccounts is for account flags only');
  if (source.kind === 'named' || source.kind === 'role') {
    const ids = source.kind === 'named' ? source.accountIds : [source.accountId];
    return shardSelection(
      selectNamedAccounts(ids, scope.exclude, scope.roleArnTemplate),
      scope.shard,
    );
  }
  const listed = await listOrganizationAccounts(
    await callerClients.organizations(),
    source.parentId,
    signal,
  );
  if (!listed.ok) {
    const where = source.parentId ? ` under ${source.parentId}` : '';
    if (NOT_ALLOWED.has(listed.error.code))
      throw new CliError(
        `could not list the organization's accounts${where} (${formatErrorInfo(listed.error)}): --organization needs the management account's credentials or a delegated administrator's, with organizations:ListAccounts (and ListAccountsForParent, ListOrganizationalUnitsForParent for --ou).`,
      );
    throw new CliError(
      `could not list the organization's accounts${where} (${formatErrorInfo(listed.error)}); nothing was scanned.`,
      EXIT_INCOMPLETE,
    );
  }
  const selection = selectOrganizationAccounts(
    listed.accounts,
    scope.exclude,
    scope.roleArnTemplate,
  );
  logger.info(
    { scan: selection.scan.length, skipped: selection.skipped.length, ou: source.parentId },
    'organization accounts listed',
  );
  if (selection.scan.length === 0 && selection.skipped.length === 0)
    throw new CliError(
      `nothing to scan: the organization${source.parentId ? `'s ${source.parentId}` : ''} lists no account${scope.exclude.size > 0 ? ' left after --exclude-accounts' : ''}.`,
    );
  // A shard may be empty: it reports no account, and merge counts it as present.
  return shardSelection(selection, scope.shard);
}

/**
 * How each account of a run is opened: its role assumed with the caller's credentials (STS paced
 * by one bucket, the caller's, and one connection pool for every account), then its own clients
 * with their own pacing. A role that cannot be assumed is the account's error, not the run's.
 */
export function accountOpener(
  deps: CliDeps,
  base: CredentialsProvider,
  scope: Pick<AccountScope, 'role' | 'pacing'>,
  connection: Pick<AwsConnection, 'endpoints' | 'maxAttempts' | 'requestTimeoutMs' | 'concurrency'>,
  homeRegion: string,
  callerPacer: Pacer,
): (target: AccountTarget) => Promise<OpenedAccount> {
  const stsConnections = {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
    connectionTimeout: CONNECT_TIMEOUT_MS,
    requestTimeout: connection.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
  return async (target) => {
    const credentials = accountCredentials(base, target, scope.role, connection.endpoints.sts, {
      region: homeRegion,
      maxAttempts: connection.maxAttempts,
      requestTimeoutMs: connection.requestTimeoutMs,
      requestHandler: stsConnections,
      beforeCall: () => callerPacer.take('sts', homeRegion),
    });
    try {
      await credentials();
    } catch (error) {
      const info = toErrorInfo(error);
      return {
        ok: false,
        error: {
          code: info.code,
          message: `could not assume ${target.roleArn ?? 'the role'}: ${info.message}`,
        },
      };
    }
    const clients = await deps.createClients({
      credentials,
      endpoints: connection.endpoints,
      maxAttempts: connection.maxAttempts,
      maxSockets: connection.concurrency + 2,
      requestTimeoutMs: connection.requestTimeoutMs,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      pacer: realPacer(deps, scope),
    });
    return { ok: true, clients };
  };
}

/** Only a run across accounts is paced: a single account keeps the speed it had. */
export const callerPacerFor = (deps: CliDeps, scope: AccountScope): Pacer | undefined =>
  scope.source.kind === 'caller' ? undefined : realPacer(deps, scope);

export interface ScanRequest {
  readonly connection: AwsConnection;
  readonly scope: AccountScope;
  /** The pacer openScanSession was given (callerPacerFor). */
  readonly callerPacer: Pacer | undefined;
  readonly progress: AuditProgress;
  readonly toolVersion: string;
  /** A run across accounts: called with each account's clients still open (remediate reads more). */
  readonly afterScan?:
    ((result: AccountScanResult, clients: AwsClients) => Promise<void>) | undefined;
  /** A run across accounts: narrows the selected accounts (e.g. to one shard) before any is opened. */
  readonly narrow?: ((selection: AccountSelection) => AccountSelection) | undefined;
  /** --rules, approved CIDRs and the config file's exemptions; EKS-001 alone when left out. */
  readonly evaluation?:
    | Pick<
        AuditOptions,
        'rules' | 'ruleContext' | 'exemptions' | 'keepCertificateAuthority' | 'probe'
      >
    | undefined;
}

/**
 * The scan audit and remediate share: the caller's own account with its session's clients, or
 * every selected account through its role (accounts listed, narrowed, then scanned).
 */
export async function runScan(
  deps: CliDeps,
  session: ScanSession,
  request: ScanRequest,
): Promise<AuditOutcome> {
  const { connection, scope } = request;
  const auditDeps = {
    clock: deps.clock,
    logger: session.logger,
    progress: request.progress,
    toolVersion: request.toolVersion,
  };
  const options = {
    homeRegion: session.homeRegion,
    regions: connection.regions,
    concurrency: connection.concurrency,
    regionConcurrency: connection.regionConcurrency,
    signal: session.interrupt.signal,
    ...request.evaluation,
  };
  if (scope.source.kind === 'caller')
    return runAudit({ ...auditDeps, clients: session.clients }, options);
  const callerPacer = request.callerPacer ?? realPacer(deps, scope);
  const selected = await selectAccounts(
    scope,
    session.clients,
    session.logger,
    session.interrupt.signal,
  );
  return runAccountsAudit(
    {
      ...auditDeps,
      openAccount: accountOpener(
        deps,
        session.credentials,
        scope,
        connection,
        session.homeRegion,
        callerPacer,
      ),
      afterScan: request.afterScan,
    },
    request.narrow ? request.narrow(selected) : selected,
    { ...options, accountConcurrency: scope.accountConcurrency, shard: scope.shard },
  );
}
