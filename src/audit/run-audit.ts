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
  reconcilePrefetch,
  regionsToPrefetch,
} from '../aws/regions.js';
import { type AuditReport, EXIT_INCOMPLETE, EXIT_USAGE } from '../report/audit-report.js';
import type { Exemption } from '../config/config.js';
import { defaultRules } from '../rules/registry.js';
import type { Rule, RuleContext } from '../rules/types.js';
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
  /** --rules; EKS-001 when left out. */
  readonly rules?: readonly Rule[];
  readonly ruleContext?: RuleContext;
  readonly exemptions?: readonly Exemption[];
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
  const listed = await listAccountRegions(await deps.clients.ec2(homeRegion), signal);
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

/**
 * Discover regions, scan each (regions and clusters concurrently), evaluate every rule. Read-only.
 * The scans of the default regions start at once, while the EC2 client loads and DescribeRegions
 * is on its way; its answer still decides which regions are reported: a started region it does not
 * list as enabled is abandoned and its results discarded, an enabled region it adds is scanned then.
 */
export async function runAudit(deps: AuditDeps, options: AuditOptions): Promise<AuditOutcome> {
  const startedAt = deps.clock();
  const regionLimit = pLimit(options.regionConcurrency);
  const scanIn = (region: string, signal: AbortSignal | undefined, progress: ScanProgress) =>
    regionLimit(() =>
      scanRegion(
        deps.clients.eks(region),
        region,
        { concurrency: options.concurrency, signal },
        progress,
      ),
    );

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
    const discovery = await discoverRegions(deps, options.homeRegion, options.signal);
    if (!discovery.ok) {
      abandonAll();
      return { kind: 'refused', exitCode: discovery.exitCode, message: discovery.message };
    }
    const plan = planRegions(discovery.regions, options.regions);
    if (plan.unknown.length > 0) {
      abandonAll();
      return {
        kind: 'refused',
        exitCode: EXIT_USAGE,
        message: `unknown region${plan.unknown.length > 1 ? 's' : ''} ${plan.unknown.join(', ')}: this account's regions are ${discovery.regions.map((r) => r.name).join(', ')}.`,
      };
    }
    const nothing = nothingToScan(plan, options.regions);
    if (nothing) {
      abandonAll();
      return { kind: 'refused', ...nothing };
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

    const report = buildAuditReport(options.rules ?? defaultRules, {
      toolVersion: deps.toolVersion,
      startedAt,
      finishedAt: deps.clock(),
      homeRegion: options.homeRegion,
      requestedRegions: options.regions ? [...options.regions] : null,
      optInStatus: new Map(discovery.regions.map((r) => [r.name, r.optInStatus])),
      skipped: plan.skipped,
      scans,
      ...(options.ruleContext ? { ruleContext: options.ruleContext } : {}),
      ...(options.exemptions ? { exemptions: options.exemptions } : {}),
    });
    return { kind: 'report', report, scans };
  } finally {
    options.signal?.removeEventListener('abort', abandonAll);
  }
}
