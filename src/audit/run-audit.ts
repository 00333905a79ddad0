import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { AwsClients } from '../aws/clients.js';
import { type RegionScan, type ScanProgress, scanRegion } from '../aws/collect-clusters.js';
import { formatErrorInfo, isCredentialError } from '../aws/errors.js';
import {
  type AccountRegion,
  listAccountRegions,
  planRegions,
  type RegionPlan,
} from '../aws/regions.js';
import { type AuditReport, EXIT_INCOMPLETE, EXIT_USAGE } from '../report/audit-report.js';
import { rules } from '../rules/registry.js';
import { buildAuditReport } from './evaluate.js';

export interface AuditProgress extends ScanProgress {
  regionsPlanned(count: number): void;
  regionFinished(region: string): void;
}

export interface AuditDeps {
  readonly clients: AwsClients;
  readonly clock: () => Date;
  readonly logger: Logger;
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
  /** Aborting it abandons every call in flight; the outcome is then incomplete. */
  readonly signal?: AbortSignal | undefined;
}

export type AuditOutcome =
  | { readonly kind: 'report'; readonly report: AuditReport; readonly scans: readonly RegionScan[] }
  | { readonly kind: 'refused'; readonly exitCode: number; readonly message: string };

type Discovery =
  | { readonly ok: true; readonly regions: AccountRegion[] }
  | { readonly ok: false; readonly exitCode: number; readonly message: string };

async function discoverRegions(
  deps: AuditDeps,
  homeRegion: string,
  signal: AbortSignal | undefined,
): Promise<Discovery> {
  const listed = await listAccountRegions(deps.clients.ec2(homeRegion), signal);
  if (listed.ok) return listed;
  const { error } = listed;
  deps.logger.debug({ err: error, homeRegion }, 'DescribeRegions failed');
  if (isCredentialError(error)) {
    return {
      ok: false,
      exitCode: EXIT_USAGE,
      // AWS answers a region the account has not enabled exactly as it answers bad credentials.
      message: `AWS rejected the call in ${homeRegion} (${formatErrorInfo(error)}): if ${homeRegion} is not enabled for this account, use one that is as the home region (AWS_REGION or the profile's region, e.g. us-east-1); otherwise refresh the credentials (aws sso login, or new access keys) and retry.`,
    };
  }
  return {
    ok: false,
    exitCode: EXIT_INCOMPLETE,
    message: `could not list the account's regions (EC2 DescribeRegions in ${homeRegion}: ${formatErrorInfo(error)}); nothing was scanned.`,
  };
}

/** Pure: a refusal when the plan leaves nothing to scan, which would otherwise read as "no cluster is open". */
export function nothingToScan(
  plan: RegionPlan,
  requested: readonly string[] | undefined,
): { readonly exitCode: number; readonly message: string } | undefined {
  if (plan.scan.length > 0) return undefined;
  const notEnabled = plan.skipped.map((r) => `${r.name} (${r.optInStatus})`).join(', ');
  if (requested) {
    const one = plan.skipped.length === 1;
    return {
      exitCode: EXIT_USAGE,
      message: `nothing was scanned: ${notEnabled} ${one ? 'is' : 'are'} not enabled for this account; opt in to ${one ? 'it' : 'them'}, or name an enabled region with --regions.`,
    };
  }
  return {
    exitCode: EXIT_INCOMPLETE,
    message: `nothing was scanned: DescribeRegions named no region enabled for this account (${notEnabled}), and every account has some.`,
  };
}

/** Discover regions, scan each (regions and clusters concurrently), evaluate every rule. Read-only. */
export async function runAudit(deps: AuditDeps, options: AuditOptions): Promise<AuditOutcome> {
  const startedAt = deps.clock();
  const discovery = await discoverRegions(deps, options.homeRegion, options.signal);
  if (!discovery.ok)
    return { kind: 'refused', exitCode: discovery.exitCode, message: discovery.message };

  const plan = planRegions(discovery.regions, options.regions);
  if (plan.unknown.length > 0) {
    return {
      kind: 'refused',
      exitCode: EXIT_USAGE,
      message: `unknown region${plan.unknown.length > 1 ? 's' : ''} ${plan.unknown.join(', ')}: this account's regions are ${discovery.regions.map((r) => r.name).join(', ')}.`,
    };
  }
  const nothing = nothingToScan(plan, options.regions);
  if (nothing) return { kind: 'refused', ...nothing };
  deps.logger.info(
    { scan: plan.scan, skipped: plan.skipped.map((r) => r.name) },
    'regions planned',
  );
  deps.progress.regionsPlanned(plan.scan.length);

  const regionLimit = pLimit(options.regionConcurrency);
  const scans: RegionScan[] = await Promise.all(
    plan.scan.map((region) =>
      regionLimit(async () => {
        const scan = await scanRegion(
          deps.clients.eks(region),
          region,
          { concurrency: options.concurrency, signal: options.signal },
          deps.progress,
        );
        deps.progress.regionFinished(region);
        // An interrupted scan fails everywhere by our own doing: the command says so in one line.
        if (scan.error && !options.signal?.aborted)
          deps.logger.warn({ region, err: scan.error }, 'region could not be listed');
        return scan;
      }),
    ),
  );

  const report = buildAuditReport(rules, {
    toolVersion: deps.toolVersion,
    startedAt,
    finishedAt: deps.clock(),
    homeRegion: options.homeRegion,
    requestedRegions: options.regions ? [...options.regions] : null,
    optInStatus: new Map(discovery.regions.map((r) => [r.name, r.optInStatus])),
    skipped: plan.skipped,
    scans,
  });
  return { kind: 'report', report, scans };
}
