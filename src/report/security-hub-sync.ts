/**
 * `audit --security-hub`, decided: which findings go to which account and region, which earlier
 * findings are archived, and which are left as they are. Pure; src/app/sync-security-hub.ts does
 * the calls.
 *
 * - A FAIL is imported ACTIVE, under its stable Id (account, region, cluster, rule): a later run
 *   updates the same finding in place, keeping when Security Hub first saw it.
 * - An earlier active finding is archived, in an account and region this run read completely and
 *   for a rule this run ran, when the cluster now passes or is exempted (its fresh finding is
 *   imported ARCHIVED, Compliance PASSED or the exemption shown), or is gone (the earlier finding
 *   is imported again, ARCHIVED).
 * - A cluster that could not be read (ERROR) keeps whatever Security Hub holds for it; so does
 *   every account, region or rule this run did not read or cover.
 */
import type { AuditReport, Finding } from '../model/findings.js';
import type {
  AsffFinding,
  FailedFinding,
  SecurityHubQuery,
  SecurityHubSummary,
  SecurityHubTarget,
} from '../model/security-hub.js';
import { asffFindings, defaultProductArn, generatorIdOf } from './formats/asff.format.js';
import type { FormatContext } from './formats/context.js';

/** What one account and region is to receive, before its earlier findings are read. */
export interface SecurityHubTargetPlan {
  readonly accountId: string;
  readonly region: string;
  /** How its earlier findings are asked for (GetFindings). */
  readonly query: SecurityHubQuery;
  /** FAIL findings: imported ACTIVE. */
  readonly active: readonly AsffFinding[];
  /** PASS and SUPPRESSED findings, ARCHIVED: sent only where an earlier one is still active. */
  readonly resolved: readonly AsffFinding[];
  /** Ids of clusters that could not be read (ERROR): never imported, never archived. */
  readonly unread: ReadonlySet<string>;
  /** Why nothing may be archived here; null: read completely, earlier findings may be archived. */
  readonly archiveSkipped: string | null;
}

const ARCHIVED = 'ARCHIVED';

const isActive = (f: Finding) => f.status === 'FAIL';
const isResolved = (f: Finding) => f.status === 'PASS' || f.status === 'SUPPRESSED';

/**
 * The accounts and regions a run sends findings to: every region it scanned (not skipped) of
 * every account it could scan, less those outside `regions` (--security-hub-regions). Sorted by
 * account, then region.
 */
export function planSecurityHubTargets(
  report: AuditReport,
  context: FormatContext,
  regions: readonly string[] | null,
): SecurityHubTargetPlan[] {
  const scannedAccounts = new Set(
    report.accounts.filter((a) => a.status === 'ok').map((a) => a.accountId),
  );
  const wanted = regions === null ? null : new Set(regions);
  const generatorIds = report.rules.map((r) => generatorIdOf(r.id));
  const rendered = asffFindings(report, context);
  const plans: SecurityHubTargetPlan[] = [];
  for (const region of report.regions) {
    if (region.status === 'skipped' || !scannedAccounts.has(region.accountId)) continue;
    if (wanted && !wanted.has(region.region)) continue;
    const here = rendered.filter(
      ({ finding, asff }) =>
        asff.AwsAccountId === region.accountId && finding.region === region.region,
    );
    plans.push({
      accountId: region.accountId,
      region: region.region,
      query: {
        accountId: region.accountId,
        region: region.region,
        productArn: defaultProductArn(region.accountId, region.region),
        generatorIds,
      },
      active: here.filter(({ finding }) => isActive(finding)).map(({ asff }) => asff),
      resolved: here
        .filter(({ finding }) => isResolved(finding))
        .map(({ asff }) => ({ ...asff, RecordState: ARCHIVED })),
      unread: new Set(
        here.filter(({ finding }) => finding.status === 'ERROR').map(({ asff }) => asff.Id),
      ),
      archiveSkipped:
        region.status === 'ok'
          ? null
          : `the region could not be read completely (${region.error?.code ?? 'error'}): nothing archived`,
    });
  }
  return plans.sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region),
  );
}

/** Whether a plan has nothing to send and nothing it may archive: no call is needed. */
export const nothingToSync = (plan: SecurityHubTargetPlan): boolean =>
  plan.active.length === 0 && plan.archiveSkipped !== null;

/** What an import does to Security Hub: a new (or unarchived) finding, one updated, one archived. */
export type ImportKind = 'imported' | 'updated' | 'archived';

/** What to import in one account and region, in the order to send it (at most 100 a call). */
export type SyncDecision = readonly { readonly asff: AsffFinding; readonly kind: ImportKind }[];

/**
 * Our active findings among what GetFindings answered: checked again here, since not every
 * server applies the filters (moto answers every finding of the account and region).
 */
function earlierActive(plan: SecurityHubTargetPlan, answered: readonly AsffFinding[]) {
  const generators = new Set(plan.query.generatorIds);
  return new Map(
    answered
      .filter(
        (f) =>
          (f.RecordState ?? 'ACTIVE') === 'ACTIVE' &&
          f.AwsAccountId === plan.accountId &&
          f.ProductArn === plan.query.productArn &&
          generators.has(f.GeneratorId) &&
          (f.Resources?.[0]?.Region ?? plan.region) === plan.region,
      )
      .map((f) => [f.Id, f]),
  );
}

/** Keeps when Security Hub first saw the finding: an update is not a new finding. */
const keepFirstSeen = (fresh: AsffFinding, earlier: AsffFinding | undefined): AsffFinding =>
  earlier
    ? {
        ...fresh,
        ...(earlier.CreatedAt ? { CreatedAt: earlier.CreatedAt } : {}),
        ...(earlier.FirstObservedAt ? { FirstObservedAt: earlier.FirstObservedAt } : {}),
      }
    : fresh;

/**
 * Pure: what to import in one account and region, given its earlier active findings (GetFindings'
 * answer) and the time of the run (`now`, ISO 8601, the UpdatedAt of a finding archived as it was).
 */
export function decideSync(
  plan: SecurityHubTargetPlan,
  answered: readonly AsffFinding[],
  now: string,
): SyncDecision {
  const earlier = earlierActive(plan, answered);
  const imports: { asff: AsffFinding; kind: ImportKind }[] = [];
  for (const fresh of plan.active) {
    const before = earlier.get(fresh.Id);
    imports.push({ asff: keepFirstSeen(fresh, before), kind: before ? 'updated' : 'imported' });
  }
  if (plan.archiveSkipped === null) {
    const produced = new Set([
      ...plan.active.map((f) => f.Id),
      ...plan.resolved.map((f) => f.Id),
      ...plan.unread,
    ]);
    for (const fresh of plan.resolved) {
      const before = earlier.get(fresh.Id);
      if (before) imports.push({ asff: keepFirstSeen(fresh, before), kind: 'archived' });
    }
    for (const [id, before] of earlier) {
      if (produced.has(id)) continue;
      imports.push({
        asff: { ...before, RecordState: ARCHIVED, UpdatedAt: now },
        kind: 'archived',
      });
    }
  }
  return imports;
}

/** `items` in runs of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The report's `securityHub`, from what became of each account and region. */
export function summarizeSecurityHub(
  regions: readonly string[] | null,
  targets: readonly (SecurityHubTarget & { readonly failedFindings: readonly FailedFinding[] })[],
): SecurityHubSummary {
  const sum = (key: 'imported' | 'updated' | 'archived' | 'failed') =>
    targets.reduce((n, t) => n + t[key], 0);
  return {
    regions: regions === null ? null : [...regions],
    imported: sum('imported'),
    updated: sum('updated'),
    archived: sum('archived'),
    failed: sum('failed'),
    targets: targets.map((t) => ({
      accountId: t.accountId,
      region: t.region,
      status: t.status,
      imported: t.imported,
      updated: t.updated,
      archived: t.archived,
      failed: t.failed,
      archiveSkipped: t.archiveSkipped,
      error: t.error,
    })),
    failedFindings: targets.flatMap((t) =>
      t.failedFindings.map((f) => ({ accountId: t.accountId, region: t.region, ...f })),
    ),
  };
}

/** Whether the findings could not all be delivered: the run is then incomplete (exit 3). */
export const securityHubIncomplete = (summary: SecurityHubSummary): boolean =>
  summary.failed > 0 ||
  summary.targets.some((t) => t.status === 'error' || t.status === 'not-enabled');

/**
 * The report with what --security-hub did. Findings Security Hub did not take make the report
 * incomplete, as a region that could not be read does: the table, the JSON and the exit code (3)
 * then say the same.
 */
export function withSecurityHub(report: AuditReport, securityHub: SecurityHubSummary): AuditReport {
  return {
    ...report,
    complete: report.complete && !securityHubIncomplete(securityHub),
    securityHub,
  };
}
