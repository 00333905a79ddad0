import {
  DescribeRegionsCommand,
  type DescribeRegionsCommandOutput,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { type AwsErrorInfo, toErrorInfo } from './errors.js';

export interface AccountRegion {
  readonly name: string;
  /** opt-in-not-required | opted-in | not-opted-in */
  readonly optInStatus: string;
}

export interface RegionPlan {
  readonly scan: readonly string[];
  readonly skipped: readonly AccountRegion[];
  /** Requested names the account does not have: a usage error. */
  readonly unknown: readonly string[];
}

const ENABLED_STATUSES = new Set(['opt-in-not-required', 'opted-in']);

export type RegionList =
  | { readonly ok: true; readonly regions: AccountRegion[] }
  | { readonly ok: false; readonly error: AwsErrorInfo };

/**
 * Pure: the account's regions from a DescribeRegions answer. Every account has regions, so an
 * answer without any (an HTML page or an empty body parses to that) is a fault, not an empty account.
 */
export function readRegionList(answer: Pick<DescribeRegionsCommandOutput, 'Regions'>): RegionList {
  const regions = (answer.Regions ?? []).flatMap((r) =>
    r.RegionName
      ? [{ name: r.RegionName, optInStatus: r.OptInStatus ?? 'opt-in-not-required' }]
      : [],
  );
  if (regions.length === 0) {
    return {
      ok: false,
      error: {
        code: 'InvalidResponse',
        message: 'DescribeRegions answered without any region (not an EC2 answer?)',
      },
    };
  }
  return { ok: true, regions };
}

/** Never throws: a failed call, like an answer that names no region, is an error value. */
export async function listAccountRegions(
  ec2: EC2Client,
  signal: AbortSignal | undefined,
): Promise<RegionList> {
  try {
    const answer = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }), {
      abortSignal: signal,
    });
    return readRegionList(answer);
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

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
