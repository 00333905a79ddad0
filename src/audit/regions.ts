/** Which of an account's regions a scan covers: pure decisions over DescribeRegions' answer and --regions. */
import type { AccountRegion } from '../model/scan.js';

export interface RegionPlan {
  readonly scan: readonly string[];
  readonly skipped: readonly AccountRegion[];
  /** Requested names the account does not have: a usage error. */
  readonly unknown: readonly string[];
}

const ENABLED_STATUSES = new Set(['opt-in-not-required', 'opted-in']);

/** Pure: which regions to scan and which to report as skipped, given what was asked for. */
export function planRegions(
  account: readonly AccountRegion[],
  requested: readonly string[] | undefined,
): RegionPlan {
  const byName = new Map(account.map((r) => [r.name, r]));
  const unknown = (requested ?? []).filter((name) => !byName.has(name));
  const wanted = requested ? account.filter((r) => requested.includes(r.name)) : account;
  const sorted = [...wanted].sort((a, b) => a.name.localeCompare(b.name));
  return {
    scan: sorted.filter((r) => ENABLED_STATUSES.has(r.optInStatus)).map((r) => r.name),
    skipped: sorted.filter((r) => !ENABLED_STATUSES.has(r.optInStatus)),
    unknown,
  };
}

/**
 * The regions every account in the standard partition has: those launched before 20 March 2019,
 * enabled by default and impossible to disable (AWS Account Management Reference Guide, "Enable
 * or disable AWS Regions in your account"). DescribeRegions lists them as opt-in-not-required.
 */
export const DEFAULT_REGIONS: ReadonlySet<string> = new Set([
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
]);

/**
 * Pure: the regions whose scan can start before DescribeRegions answers, because the account
 * almost surely has them. None when the home region is not itself a default region (China,
 * GovCloud and other partitions have none of them), nor when --regions names any other region:
 * it may be unknown, and a usage error must not have made any EKS call.
 */
export function regionsToPrefetch(
  homeRegion: string,
  requested: readonly string[] | undefined,
): string[] {
  if (!DEFAULT_REGIONS.has(homeRegion)) return [];
  if (!requested) return [...DEFAULT_REGIONS];
  return requested.every((name) => DEFAULT_REGIONS.has(name)) ? [...new Set(requested)] : [];
}

export interface PrefetchReconciliation {
  /** Started early and to be reported. */
  readonly keep: readonly string[];
  /** Started early but not to be scanned (unlisted or not enabled): abandoned and never reported. */
  readonly drop: readonly string[];
  /** To be scanned and not started yet. */
  readonly start: readonly string[];
}

/** Pure: what becomes of the scans started early, once the plan from DescribeRegions is known. */
export function reconcilePrefetch(
  prefetched: readonly string[],
  scan: readonly string[],
): PrefetchReconciliation {
  const planned = new Set(scan);
  const started = new Set(prefetched);
  return {
    keep: prefetched.filter((region) => planned.has(region)),
    drop: prefetched.filter((region) => !planned.has(region)),
    start: scan.filter((region) => !started.has(region)),
  };
}
