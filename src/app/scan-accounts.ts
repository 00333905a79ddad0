import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import { shardSelection } from '../accounts/shard.js';
import { selectNamedAccounts, selectOrganizationAccounts } from '../accounts/targets.js';
import { type AuditInput, buildAuditReport } from '../audit/evaluate.js';
import {
  planRegions,
  type RegionPlan,
  reconcilePrefetch,
  regionsToPrefetch,
} from '../audit/regions.js';
import type { Exemption } from '../config/config.js';
import type { DeclaredManager } from '../model/managed-by.js';
import type { AccountSelection, AccountSource, AccountTarget } from '../model/accounts.js';
import { type ErrorInfo, formatErrorInfo, isCredentialError } from '../model/errors.js';
import type { AuditReport } from '../model/findings.js';
import type {
  AccountRegion,
  AccountScanResult,
  AuditProgress,
  CallerAccount,
  RegionScan,
  ScanProgress,
} from '../model/scan.js';
import type { Clock } from '../model/time.js';
import type { Shard } from '../accounts/shard.js';
import { defaultRules } from '../rules/registry.js';
import { NO_RULE_CONTEXT, type Rule, type RuleContext } from '../rules/types.js';
import { type NotSelected, type Refused, refused, type Refusal } from './outcomes.js';
import type { AccountAws, CallerAws, Log, OpenedAccount } from './ports.js';

export interface AuditDeps {
  readonly aws: AccountAws;
  readonly clock: Clock;
  readonly logger: Log;
  readonly progress: AuditProgress;
  readonly toolVersion: string;
}

export interface AuditOptions {
  /** Where DescribeRegions is asked. */
  readonly homeRegion: string;
  readonly regions: readonly string[] | undefined;
  /** DescribeCluster calls in flight per region. */
  readonly concurrency: number;
  /** Regions scanned at once. */
  readonly regionConcurrency: number;
  /**
   * Aborting it stops the scan from sending more calls; the outcome is then incomplete. The calls
   * already in flight end when the account's clients are destroyed (the CLI does so on a signal),
   * or at their request timeout.
   */
  readonly signal?: AbortSignal | undefined;
  /** --rules; EKS-001 when left out. */
  readonly rules?: readonly Rule[];
  readonly ruleContext?: RuleContext;
  readonly exemptions?: readonly Exemption[];
  /** The config file's `managers`: tags that mean a tool in the user's organization. */
  readonly managers?: readonly DeclaredManager[];
  /** Keep each cluster's CA (the probe verifies TLS against it). */
  readonly keepCertificateAuthority?: boolean | undefined;
  /**
   * --probe: observes the scanned clusters' endpoints (and with EKS-003 their exposed kubelets)
   * before the report is built (RuleContext.probes and kubeletProbes).
   */
  readonly probe?:
    | ((
        accounts: readonly AccountScanResult[],
      ) => Promise<Pick<RuleContext, 'probes' | 'kubeletProbes'>>)
    | undefined;
}

export type AuditOutcome =
  | {
      readonly kind: 'report';
      readonly report: AuditReport;
      /** The scans of a single-account run; every account's are in `accounts`. */
      readonly scans: readonly RegionScan[];
      readonly accounts: readonly AccountScanResult[];
    }
  | Refused;

/** Why an account cannot be scanned: the whole run's refusal when it is the caller's own account. */
type AccountRefusal = {
  readonly refusal: Refusal;
  readonly message: string;
  /** What an account of a multi-account run reports instead of refusing the whole run. */
  readonly error: ErrorInfo;
};

type Discovery =
  | { readonly ok: true; readonly regions: AccountRegion[] }
  | ({ readonly ok: false } & AccountRefusal);

async function discoverRegions(
  deps: Pick<AuditDeps, 'aws' | 'logger'>,
  homeRegion: string,
  signal: AbortSignal | undefined,
  onAsked: () => void,
): Promise<Discovery> {
  const asked = deps.aws.listRegions(homeRegion, signal);
  onAsked();
  const listed = await asked;
  if (listed.ok) return listed;
  const { error } = listed;
  deps.logger.debug({ err: error, homeRegion }, 'DescribeRegions failed');
  if (isCredentialError(error)) {
    return {
      ok: false,
      refusal: 'bad-input',
      error,
      // AWS answers a region the account has not enabled exactly as it answers bad credentials.
      message: `AWS rejected the call in ${homeRegion} (${formatErrorInfo(error)}): if ${homeRegion} is not enabled for this account, use one that is as the home region (AWS_REGION or the profile's region, e.g. us-east-1); otherwise refresh the credentials (aws sso login, or new access keys) and retry.`,
    };
  }
  return {
    ok: false,
    refusal: 'unreadable',
    error,
    message: `could not list the account's regions (EC2 DescribeRegions in ${homeRegion}: ${formatErrorInfo(error)}); nothing was scanned.`,
  };
}

/** Pure: a refusal when the plan leaves nothing to scan, which would otherwise read as "no cluster is open". */
export function nothingToScan(
  plan: RegionPlan,
  requested: readonly string[] | undefined,
): { readonly refusal: Refusal; readonly message: string } | undefined {
  if (plan.scan.length > 0) return undefined;
  const notEnabled = plan.skipped.map((r) => `${r.name} (${r.optInStatus})`).join(', ');
  if (requested) {
    const one = plan.skipped.length === 1;
    return {
      refusal: 'bad-input',
      message: `nothing was scanned: ${notEnabled} ${one ? 'is' : 'are'} not enabled for this account; opt in to ${one ? 'it' : 'them'}, or name an enabled region with --regions.`,
    };
  }
  return {
    refusal: 'unreadable',
    message: `nothing was scanned: DescribeRegions named no region enabled for this account (${notEnabled}), and every account has some.`,
  };
}

/**
 * Progress of scans started before DescribeRegions answered: held back until their region is
 * confirmed (then replayed), forgotten if it is dropped, so the counts only ever cover reported regions.
 */
function heldBackProgress(progress: AuditProgress) {
  const held = new Map<string, { listed: number; described: number }>();
  const confirmed = new Set<string>();
  const forRegion = (region: string) => {
    let counts = held.get(region);
    if (!counts) held.set(region, (counts = { listed: 0, described: 0 }));
    return counts;
  };
  return {
    scan: {
      clusterListed: (region: string, count: number) => {
        if (confirmed.has(region)) progress.clusterListed(region, count);
        else forRegion(region).listed += count;
      },
      clusterDescribed: (region: string) => {
        if (confirmed.has(region)) progress.clusterDescribed(region);
        else forRegion(region).described += 1;
      },
    } satisfies ScanProgress,
    confirm(region: string) {
      confirmed.add(region);
      const counts = held.get(region);
      held.delete(region);
      if (!counts) return;
      if (counts.listed > 0) progress.clusterListed(region, counts.listed);
      for (let i = 0; i < counts.described; i++) progress.clusterDescribed(region);
    },
  };
}

type AccountScan =
  | {
      readonly ok: true;
      readonly regions: readonly AccountRegion[];
      readonly plan: RegionPlan;
      readonly scans: readonly RegionScan[];
    }
  | ({ readonly ok: false } & AccountRefusal);

interface AccountScanOptions {
  readonly homeRegion: string;
  /** The rules run: a rule that needs the nodes makes each region read them (EKS-003). */
  readonly rules?: readonly Rule[] | undefined;
  readonly regions: readonly string[] | undefined;
  readonly concurrency: number;
  readonly keepCertificateAuthority?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called once DescribeRegions is on its way (the single-account run asks STS who it is then). */
  readonly onRegionsAsked?: (() => void) | undefined;
}

/**
 * Discover one account's regions, scan each (regions and clusters concurrently, each region
 * through `regionLimit`, which may be shared by every account of the run). Read-only.
 * The scans of the default regions start at once, while the EC2 client loads and DescribeRegions
 * is on its way; its answer still decides which regions are reported: a started region it does not
 * list as enabled is abandoned and its results discarded, an enabled region it adds is scanned then.
 */
async function scanAccount(
  deps: Pick<AuditDeps, 'aws' | 'logger' | 'progress'>,
  options: AccountScanOptions,
  regionLimit: LimitFunction,
): Promise<AccountScan> {
  const readNodes = (options.rules ?? []).some((r) => r.needs?.includes('nodes'));
  const scanIn = (region: string, signal: AbortSignal | undefined, progress: ScanProgress) =>
    regionLimit(async (): Promise<RegionScan> => {
      const scan = await deps.aws.scanRegion(
        region,
        {
          concurrency: options.concurrency,
          signal,
          keepCertificateAuthority: options.keepCertificateAuthority,
        },
        progress,
      );
      if (!readNodes || scan.clusters.length === 0 || signal?.aborted) return scan;
      // One read of the region's nodes for all its clusters, only when a rule needs them.
      const names = scan.clusters.map((c) => c.name);
      return { ...scan, nodes: await deps.aws.describeNodes(region, names, signal) };
    });

  const early = heldBackProgress(deps.progress);
  const prefetched = new Map<string, { stop: AbortController; scan: Promise<RegionScan> }>();
  for (const region of regionsToPrefetch(options.homeRegion, options.regions)) {
    const stop = new AbortController();
    if (options.signal?.aborted) stop.abort();
    prefetched.set(region, { stop, scan: scanIn(region, stop.signal, early.scan) });
  }
  const abandon = (regions: Iterable<string>): void => {
    for (const region of regions) prefetched.get(region)?.stop.abort();
  };
  // One listener for them all: an interrupt abandons every scan started early.
  const abandonAll = (): void => abandon(prefetched.keys());
  options.signal?.addEventListener('abort', abandonAll, { once: true });
  try {
    const discovery = await discoverRegions(
      deps,
      options.homeRegion,
      options.signal,
      options.onRegionsAsked ?? (() => undefined),
    );
    if (!discovery.ok) {
      abandonAll();
      return discovery;
    }
    const plan = planRegions(discovery.regions, options.regions);
    if (plan.unknown.length > 0) {
      abandonAll();
      const message = `unknown region${plan.unknown.length > 1 ? 's' : ''} ${plan.unknown.join(', ')}: this account's regions are ${discovery.regions.map((r) => r.name).join(', ')}.`;
      return {
        ok: false,
        refusal: 'bad-input',
        message,
        error: { code: 'UnknownRegion', message },
      };
    }
    const nothing = nothingToScan(plan, options.regions);
    if (nothing) {
      abandonAll();
      return { ok: false, ...nothing, error: { code: 'NothingToScan', message: nothing.message } };
    }
    const reconciled = reconcilePrefetch([...prefetched.keys()], plan.scan);
    abandon(reconciled.drop);
    deps.logger.info(
      {
        scan: plan.scan,
        skipped: plan.skipped.map((r) => r.name),
        startedEarly: reconciled.keep,
        abandoned: reconciled.drop,
      },
      'regions planned',
    );
    deps.progress.regionsPlanned(plan.scan.length);
    for (const region of reconciled.keep) early.confirm(region);

    const scans: RegionScan[] = await Promise.all(
      plan.scan.map(async (region) => {
        const scan = await (prefetched.get(region)?.scan ??
          scanIn(region, options.signal, deps.progress));
        deps.progress.regionFinished(region);
        // An interrupted scan fails everywhere by our own doing: the command says so in one line.
        if (scan.error && !options.signal?.aborted)
          deps.logger.warn({ region, err: scan.error }, 'region could not be listed');
        return scan;
      }),
    );
    return { ok: true, regions: discovery.regions, plan, scans };
  } finally {
    options.signal?.removeEventListener('abort', abandonAll);
  }
}

/** The account id the report shows when STS could not say: the one in the clusters' ARNs. */
function accountIdFromScans(scans: readonly RegionScan[]): string | undefined {
  for (const scan of scans)
    for (const cluster of scan.clusters) {
      const account = cluster.ok ? cluster.cluster.arn?.split(':')[4] : undefined;
      if (account) return account;
    }
  return undefined;
}

/** How long the report waits for GetCallerIdentity once the scans are done. */
const IDENTITY_GRACE_MS = 3_000;

/** Shown for the caller's account when neither STS nor a cluster ARN named it. */
export const UNKNOWN_ACCOUNT_ID = '000000000000';

/** The report of a run that ends now: its accounts judged by the rules and exemptions it was given. */
function reportOfRun(
  deps: Pick<AuditDeps, 'clock' | 'toolVersion'>,
  options: AuditOptions,
  startedAt: Date,
  scanned: Pick<AuditInput, 'accounts' | 'skippedAccounts' | 'shard' | 'ruleContext'>,
): AuditReport {
  return buildAuditReport(options.rules ?? defaultRules, {
    toolVersion: deps.toolVersion,
    startedAt,
    finishedAt: new Date(deps.clock.now()),
    homeRegion: options.homeRegion,
    requestedRegions: options.regions ? [...options.regions] : null,
    ruleContext: options.ruleContext,
    exemptions: options.exemptions,
    managers: options.managers,
    ...scanned,
  });
}

const scannedAccount = (
  target: AccountTarget,
  scan: Extract<AccountScan, { ok: true }>,
): AccountScanResult => ({
  target,
  ok: true,
  optInStatus: new Map(scan.regions.map((r) => [r.name, r.optInStatus])),
  skipped: scan.plan.skipped,
  scans: scan.scans,
});

/**
 * The caller's own account, with the caller's credentials: discover regions, scan, evaluate every
 * rule. STS GetCallerIdentity (for the report's account id) is sent beside DescribeRegions and is
 * never waited on before the scans; if it fails, the id is read from a cluster's ARN.
 */
export async function scanCallerAccount(
  deps: AuditDeps,
  options: AuditOptions,
): Promise<AuditOutcome> {
  const startedAt = new Date(deps.clock.now());
  let identity: Promise<CallerAccount> | undefined;
  const stopIdentity = new AbortController();
  const stopWithScan = () => stopIdentity.abort();
  options.signal?.addEventListener('abort', stopWithScan, { once: true });
  const scan = await scanAccount(
    deps,
    {
      ...options,
      onRegionsAsked: () => {
        identity = deps.aws.callerAccount(options.homeRegion, stopIdentity.signal);
      },
    },
    pLimit(options.regionConcurrency),
  );
  if (!scan.ok) {
    stopIdentity.abort();
    options.signal?.removeEventListener('abort', stopWithScan);
    return { kind: 'refused', refusal: scan.refusal, message: scan.message };
  }
  // Sent long before the scans end; a slow or unreachable STS must not hold the report back.
  const graceOver = new AbortController();
  void deps.clock.sleep(IDENTITY_GRACE_MS, graceOver.signal).then(() => {
    if (!graceOver.signal.aborted) stopWithScan();
  });
  const caller = await identity;
  graceOver.abort();
  options.signal?.removeEventListener('abort', stopWithScan);
  const fromClusters = caller?.ok ? undefined : accountIdFromScans(scan.scans);
  const accountId = (caller?.ok ? caller.accountId : fromClusters) ?? UNKNOWN_ACCOUNT_ID;
  if (caller && !caller.ok && !options.signal?.aborted) {
    // Not the scan's failure: only the report's account id is at stake.
    const level = fromClusters ? 'info' : 'warn';
    deps.logger[level](
      { err: caller.error, accountId },
      `STS GetCallerIdentity failed: the account id is ${fromClusters ? "read from a cluster's ARN" : 'unknown'}`,
    );
  }
  const accounts = [scannedAccount({ accountId, name: null, roleArn: null }, scan)];
  const ruleContext = await withProbes(options, accounts);
  const report = reportOfRun(deps, options, startedAt, { accounts, ruleContext });
  return { kind: 'report', report, scans: scan.scans, accounts };
}

/** The rule context, with what --probe observed when it was asked for. */
async function withProbes(
  options: AuditOptions,
  accounts: readonly AccountScanResult[],
): Promise<RuleContext | undefined> {
  if (!options.probe) return options.ruleContext;
  return { ...(options.ruleContext ?? NO_RULE_CONTEXT), ...(await options.probe(accounts)) };
}

export interface AccountsAuditDeps extends Omit<AuditDeps, 'aws'> {
  /** Assumes the account's role and builds its clients; the runner destroys them when done. */
  openAccount(target: AccountTarget): Promise<OpenedAccount>;
  /** Called while the account's clients are still open (remediate reads more with them). */
  afterScan?: ((result: AccountScanResult, aws: AccountAws) => Promise<void>) | undefined;
}

export interface AccountsAuditOptions extends AuditOptions {
  /** Accounts in flight at once. */
  readonly accountConcurrency: number;
  readonly shard?: { readonly index: number; readonly count: number } | null | undefined;
}

/**
 * Every account of `selection` (the caller may have filtered it, e.g. to a shard): at most
 * `accountConcurrency` accounts at once, and at most `regionConcurrency` regions in flight across
 * all of them (one limit for the whole run). An account whose role cannot be assumed, or whose
 * regions cannot be listed, is an account in error; the others go on. Each account's clients are
 * destroyed as soon as it is done, so memory does not grow with the number of accounts.
 */
export async function scanAccounts(
  deps: AccountsAuditDeps,
  selection: AccountSelection,
  options: AccountsAuditOptions,
): Promise<AuditOutcome> {
  const startedAt = new Date(deps.clock.now());
  const regionLimit = pLimit(options.regionConcurrency);
  const accountLimit = pLimit(options.accountConcurrency);
  // Every account's calls (AssumeRole, DescribeRegions, ...) listen on the one interrupt signal:
  // dozens of listeners at once, not a leak, and Node's MaxListenersExceededWarning would
  // otherwise land on stderr.
  if (options.signal) setMaxListeners(0, options.signal);
  const open = new Set<AccountAws>();
  const destroyOpen = () => {
    for (const aws of open) aws.destroy();
  };
  options.signal?.addEventListener('abort', destroyOpen, { once: true });

  const scanOne = async (target: AccountTarget): Promise<AccountScanResult> => {
    const interrupted = {
      target,
      ok: false,
      error: {
        code: 'Interrupted',
        message: 'the run was interrupted before this account was scanned',
      },
    } as const;
    if (options.signal?.aborted) return interrupted;
    const opened = await deps.openAccount(target);
    if (!opened.ok) {
      deps.logger.warn(
        { accountId: target.accountId, err: opened.error },
        'account could not be opened',
      );
      return { target, ok: false, error: opened.error };
    }
    const { aws } = opened;
    open.add(aws);
    try {
      if (options.signal?.aborted) return interrupted;
      const logger = deps.logger.child({ accountId: target.accountId });
      const scan = await scanAccount(
        { aws, logger, progress: deps.progress },
        options,
        regionLimit,
      );
      if (!scan.ok) {
        logger.warn({ err: scan.error }, 'account could not be scanned');
        return { target, ok: false, error: scan.error };
      }
      const result = scannedAccount(target, scan);
      await deps.afterScan?.(result, aws);
      return result;
    } finally {
      open.delete(aws);
      aws.destroy();
    }
  };

  try {
    const accounts = await Promise.all(selection.scan.map((t) => accountLimit(() => scanOne(t))));
    const ruleContext = await withProbes(options, accounts);
    const report = reportOfRun(deps, options, startedAt, {
      accounts,
      skippedAccounts: selection.skipped,
      shard: options.shard ?? null,
      ruleContext,
    });
    return {
      kind: 'report',
      report,
      scans: accounts.flatMap((a) => (a.ok ? a.scans : [])),
      accounts,
    };
  } finally {
    options.signal?.removeEventListener('abort', destroyOpen);
  }
}

/** Error codes meaning the caller may not list the organization (not its management account). */
const NOT_ALLOWED = new Set(['AccessDeniedException', 'AWSOrganizationsNotInUseException']);

/** Which accounts a run covers, as the account flags say (validated by the CLI). */
export interface AccountScope {
  readonly source: AccountSource;
  readonly exclude: ReadonlySet<string>;
  /** With `{account}` where each account's id goes; undefined: the caller's credentials. */
  readonly roleArnTemplate: string | undefined;
  readonly accountConcurrency: number;
  /** --shard: this run's share of the account list; null: every account. */
  readonly shard: Shard | null;
}

type Selected = { readonly kind: 'selected'; readonly selection: AccountSelection } | Refused;

/**
 * The accounts a multi-account run covers: those named, or the organization's (or an OU's), less
 * the excluded ones, then this run's shard. An organization that cannot be listed is a refusal.
 */
export async function selectAccounts(
  scope: AccountScope,
  caller: Pick<CallerAws, 'listOrganizationAccounts'>,
  logger: Log,
  signal: AbortSignal | undefined,
): Promise<Selected> {
  const { source } = scope;
  if (source.kind === 'caller') throw new Error('selectAccounts is for account flags only');
  if (source.kind === 'named' || source.kind === 'role') {
    const ids = source.kind === 'named' ? source.accountIds : [source.accountId];
    const named = selectNamedAccounts(ids, scope.exclude, scope.roleArnTemplate);
    return { kind: 'selected', selection: shardSelection(named, scope.shard) };
  }
  const listed = await caller.listOrganizationAccounts(source.parentId, signal);
  if (!listed.ok) {
    const where = source.parentId ? ` under ${source.parentId}` : '';
    if (NOT_ALLOWED.has(listed.error.code))
      return refused(
        'bad-input',
        `could not list the organization's accounts${where} (${formatErrorInfo(listed.error)}): --organization needs the management account's credentials or a delegated administrator's, with organizations:ListAccounts (and ListAccountsForParent, ListOrganizationalUnitsForParent for --ou).`,
      );
    return refused(
      'unreadable',
      `could not list the organization's accounts${where} (${formatErrorInfo(listed.error)}); nothing was scanned.`,
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
    return refused(
      'bad-input',
      `nothing to scan: the organization${source.parentId ? `'s ${source.parentId}` : ''} lists no account${scope.exclude.size > 0 ? ' left after --exclude-accounts' : ''}.`,
    );
  // A shard may be empty: it reports no account, and merge counts it as present.
  return { kind: 'selected', selection: shardSelection(selection, scope.shard) };
}

/** The edges of a scan: the caller's AWS (and through it every other account), time, logs, progress. */
export interface ScanPorts {
  readonly caller: CallerAws;
  readonly clock: Clock;
  readonly logger: Log;
  readonly progress: AuditProgress;
  readonly toolVersion: string;
}

export interface ScanRequest extends Pick<
  AuditOptions,
  'homeRegion' | 'regions' | 'concurrency' | 'regionConcurrency'
> {
  readonly scope: AccountScope;
  /** SIGINT/SIGTERM: abandons every call in flight; the scan then ends as interrupted. */
  readonly signal: AbortSignal;
  /** A run across accounts: called with each account's AWS still open (remediate reads more). */
  readonly afterScan?: AccountsAuditDeps['afterScan'];
  /** --rules, approved CIDRs, the config file's exemptions and --probe; EKS-001 alone when left out. */
  readonly evaluation?:
    | Pick<
        AuditOptions,
        'rules' | 'ruleContext' | 'exemptions' | 'managers' | 'keepCertificateAuthority' | 'probe'
      >
    | undefined;
}

/**
 * The scan audit and remediate share: the caller's own account with the caller's credentials, or
 * every selected account through its role (accounts listed, sharded, then scanned).
 */
export async function scan(
  ports: ScanPorts,
  request: ScanRequest,
): Promise<AuditOutcome | NotSelected> {
  const deps = {
    clock: ports.clock,
    logger: ports.logger,
    progress: ports.progress,
    toolVersion: ports.toolVersion,
  };
  const options = {
    homeRegion: request.homeRegion,
    regions: request.regions,
    concurrency: request.concurrency,
    regionConcurrency: request.regionConcurrency,
    signal: request.signal,
    ...request.evaluation,
  };
  const { scope } = request;
  if (scope.source.kind === 'caller')
    return scanCallerAccount({ ...deps, aws: ports.caller.own }, options);
  const selected = await selectAccounts(scope, ports.caller, ports.logger, request.signal);
  if (selected.kind === 'refused') return { ...selected, kind: 'not-selected' };
  return scanAccounts(
    { ...deps, openAccount: (t) => ports.caller.openAccount(t), afterScan: request.afterScan },
    selected.selection,
    { ...options, accountConcurrency: scope.accountConcurrency, shard: scope.shard },
  );
}
