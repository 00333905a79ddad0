/**
 * Client-side pacing: a token bucket per service and region of one account, so that an
 * organization scan stays inside the buckets AWS keeps per account and region, which the
 * account's own workloads share. Each attempt of a call (retries included) takes a token.
 */

export interface BucketRate {
  /** Tokens when full: calls that may go at once after a quiet moment. */
  readonly burst: number;
  /** Tokens added a second: the sustained rate. */
  readonly perSecond: number;
}

export type PacedService = 'eks' | 'ec2' | 'sts' | 'organizations';

/**
 * Our defaults, per account, region and service; deliberately below AWS's own buckets, which the
 * account's production workloads share.
 * - ec2: AWS documents 100 tokens refilled at 20 a second for non-mutating actions; we take a
 *   fifth of the burst and a quarter of the refill (a scan calls only DescribeRegions).
 * - eks, organizations, sts: AWS publishes no bucket (STS documents a quota of 600 requests a
 *   second per account and region); these numbers are our picks.
 */
export const DEFAULT_RATES: Readonly<Record<PacedService, BucketRate>> = {
  eks: { burst: 20, perSecond: 10 },
  ec2: { burst: 20, perSecond: 5 },
  organizations: { burst: 5, perSecond: 2 },
  sts: { burst: 10, perSecond: 10 },
};

export interface Bucket {
  /** Below zero: tokens already promised to callers still waiting. */
  readonly tokens: number;
  readonly updatedAtMs: number;
}

/**
 * Pure: takes one token, refilling first. When the bucket is empty the token is promised
 * (the count goes below zero) and `waitMs` says when it will have been refilled, so callers
 * that arrive together are spaced out in the order they came.
 */
export function reserveToken(
  bucket: Bucket | undefined,
  rate: BucketRate,
  nowMs: number,
): { readonly bucket: Bucket; readonly waitMs: number } {
  const previous = bucket ?? { tokens: rate.burst, updatedAtMs: nowMs };
  const elapsedMs = Math.max(0, nowMs - previous.updatedAtMs);
  const tokens = Math.min(rate.burst, previous.tokens + (elapsedMs / 1000) * rate.perSecond) - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens / rate.perSecond) * 1000);
  return { bucket: { tokens, updatedAtMs: nowMs }, waitMs };
}

export interface Pacer {
  /** Resolves when a call to `service` in `region` may be sent. */
  take(service: PacedService, region: string): Promise<void>;
}

/** Buckets per service and region (one pacer per account), with the clock and sleep passed in. */
export function createPacer(
  rates: Readonly<Record<PacedService, BucketRate>>,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Pacer {
  const buckets = new Map<string, Bucket>();
  return {
    take: (service, region) => {
      const key = `${service} ${region}`;
      const { bucket, waitMs } = reserveToken(buckets.get(key), rates[service], now());
      buckets.set(key, bucket);
      return waitMs === 0 ? Promise.resolve() : sleep(waitMs);
    },
  };
}
