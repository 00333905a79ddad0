/**
 * `audit --security-hub`: the audit report's findings imported into AWS Security Hub in each
 * finding's own account (through that account's role in a run across accounts) and region,
 * updated in place, and the earlier ones that no longer apply archived (see
 * src/report/security-hub-sync.ts for what is decided). Errors are values: each account and
 * region ends as a target of the summary, and nothing is thrown.
 */
import pLimit from 'p-limit';
import type { AuditReport } from '../model/findings.js';
import { formatErrorInfo, type ErrorInfo } from '../model/errors.js';
import type {
  FailedFinding,
  SecurityHubSummary,
  SecurityHubTarget,
} from '../model/security-hub.js';
import type { Clock } from '../model/time.js';
import type { FormatContext } from '../report/formats/context.js';
import {
  chunked,
  decideSync,
  type ImportKind,
  nothingToSync,
  planSecurityHubTargets,
  type SecurityHubTargetPlan,
  summarizeSecurityHub,
} from '../report/security-hub-sync.js';
import type { CallerAws, Log, ProgressLine, SecurityHubAws } from './ports.js';

/** The most findings one BatchImportFindings call takes (AWS's limit). */
export const IMPORT_BATCH = 100;

/**
 * AWS's answer where Security Hub is not enabled: InvalidAccessException "Account ... is not
 * subscribed to AWS Security Hub". AWS uses the same code for other refusals of access, so the
 * message must say so too.
 */
const NOT_ENABLED_CODES = new Set(['InvalidAccessException', 'InvalidAccess']);
const notEnabled = (error: ErrorInfo) =>
  NOT_ENABLED_CODES.has(error.code) && /not subscribed/i.test(error.message);

export interface SecurityHubPorts {
  /** The caller's own account, and every other through its role. */
  readonly caller: Pick<CallerAws, 'own' | 'openAccount'>;
  readonly clock: Clock;
  readonly logger: Log;
  /** One line per account and region where Security Hub refused (not enabled, failed findings). */
  readonly warn: ProgressLine;
}

export interface SecurityHubRequest {
  readonly report: AuditReport;
  /** The rules' metadata, for the findings' texts (as the asff format has them). */
  readonly context: FormatContext;
  /** --security-hub-regions; null: every region the run scanned. */
  readonly regions: readonly string[] | null;
  /** Accounts synced at once. */
  readonly accountConcurrency: number;
  readonly signal: AbortSignal;
}

type TargetResult = SecurityHubTarget & { readonly failedFindings: readonly FailedFinding[] };

const emptyTarget = (
  plan: SecurityHubTargetPlan,
  status: SecurityHubTarget['status'] = 'skipped',
): TargetResult => ({
  accountId: plan.accountId,
  region: plan.region,
  status,
  imported: 0,
  updated: 0,
  archived: 0,
  failed: 0,
  archiveSkipped: plan.archiveSkipped,
  error: null,
  failedFindings: [],
});

/** One account and region: its earlier findings read, then the decision imported 100 at a time. */
async function syncTarget(
  hub: SecurityHubAws,
  plan: SecurityHubTargetPlan,
  ports: SecurityHubPorts,
  signal: AbortSignal,
): Promise<TargetResult> {
  const base = emptyTarget(plan);
  if (nothingToSync(plan)) return base;
  const failedWith = (error: ErrorInfo): TargetResult => ({
    ...base,
    status: notEnabled(error) ? 'not-enabled' : 'error',
    error,
  });
  const earlier = await hub.getSecurityHubFindings(plan.query, signal);
  if (!earlier.ok) return failedWith(earlier.error);
  const now = new Date(ports.clock.now()).toISOString();
  const decision = decideSync(plan, earlier.findings, now);
  const kindOf = new Map(decision.map((d) => [d.asff.Id, d.kind]));
  const done: Record<ImportKind, number> = { imported: 0, updated: 0, archived: 0 };
  const failedFindings: FailedFinding[] = [];
  for (const batch of chunked(decision, IMPORT_BATCH)) {
    const outcome = await hub.importSecurityHubFindings(
      plan.region,
      batch.map((d) => d.asff),
      signal,
    );
    if (!outcome.ok)
      return {
        ...failedWith(outcome.error),
        ...done,
        failed: failedFindings.length,
        failedFindings,
      };
    const refused = new Set(outcome.failed.map((f) => f.id));
    failedFindings.push(...outcome.failed);
    for (const d of batch) if (!refused.has(d.asff.Id)) done[d.kind] += 1;
  }
  ports.logger.debug(
    { accountId: plan.accountId, region: plan.region, ...done, failed: failedFindings.length },
    'security hub synced',
  );
  // Security Hub answers a region where it is off with every finding failed as InvalidAccess.
  const allRefusedAsNotEnabled =
    failedFindings.length > 0 &&
    failedFindings.length === kindOf.size &&
    failedFindings.every((f) => notEnabled(f));
  return {
    ...base,
    ...done,
    status: allRefusedAsNotEnabled ? 'not-enabled' : 'ok',
    error: allRefusedAsNotEnabled
      ? { code: failedFindings[0]!.code, message: failedFindings[0]!.message }
      : null,
    failed: failedFindings.length,
    failedFindings,
  };
}

/** Every target of one account, with that account's credentials. */
async function syncAccount(
  ports: SecurityHubPorts,
  accountId: string,
  roleArn: string | null,
  name: string | null,
  plans: readonly SecurityHubTargetPlan[],
  signal: AbortSignal,
): Promise<TargetResult[]> {
  const toSync = plans.filter((p) => !nothingToSync(p));
  if (toSync.length === 0) return plans.map((p) => emptyTarget(p));
  let hub: SecurityHubAws;
  let close = () => undefined as void;
  if (roleArn === null) hub = ports.caller.own;
  else {
    const opened = await ports.caller.openAccount({ accountId, name, roleArn });
    if (!opened.ok) return plans.map((p) => ({ ...emptyTarget(p, 'error'), error: opened.error }));
    hub = opened.aws;
    close = () => opened.aws.destroy();
  }
  try {
    const results: TargetResult[] = [];
    for (const plan of plans) results.push(await syncTarget(hub, plan, ports, signal));
    return results;
  } finally {
    close();
  }
}

const where = (t: SecurityHubTarget) => `account ${t.accountId} in ${t.region}`;

/** The one line a person reads for a target that Security Hub refused, if it was. */
export function refusalLine(t: TargetResult): string | null {
  if (t.status === 'not-enabled')
    return `Security Hub is not enabled for ${where(t)} (${formatErrorInfo(t.error!)}): its findings were not sent; enable it, or leave the region out with --security-hub-regions.`;
  if (t.status === 'error')
    return `Security Hub: could not sync ${where(t)} (${formatErrorInfo(t.error!)}); nothing there was archived.`;
  if (t.failed > 0) {
    const [first] = t.failedFindings;
    return `Security Hub refused ${t.failed} finding${t.failed === 1 ? '' : 's'} in ${where(t)} (${first!.id}: ${first!.code} ${first!.message}).`;
  }
  return null;
}

/** Syncs every account and region of the report; the report's `securityHub` summary. */
export async function syncSecurityHub(
  ports: SecurityHubPorts,
  request: SecurityHubRequest,
): Promise<SecurityHubSummary> {
  const plans = planSecurityHubTargets(request.report, request.context, request.regions);
  const limit = pLimit(Math.max(1, request.accountConcurrency));
  const byAccount = new Map<string, SecurityHubTargetPlan[]>();
  for (const plan of plans)
    byAccount.set(plan.accountId, [...(byAccount.get(plan.accountId) ?? []), plan]);
  const accounts = request.report.accounts;
  const results = await Promise.all(
    [...byAccount].map(([accountId, accountPlans]) => {
      const account = accounts.find((a) => a.accountId === accountId);
      return limit(() =>
        syncAccount(
          ports,
          accountId,
          account?.roleArn ?? null,
          account?.name ?? null,
          accountPlans,
          request.signal,
        ),
      );
    }),
  );
  const targets = results.flat();
  for (const t of targets) {
    const line = refusalLine(t);
    if (line) ports.warn(line);
  }
  return summarizeSecurityHub(request.regions, targets);
}
