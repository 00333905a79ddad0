import { type Service, SERVICES } from './errors.js';

/** A bucket of `capacity` tokens, refilled at `refillPerSecond`; a call takes one or is throttled. */
export interface TokenBucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** One bucket per account and region for each service named; a service not named is never throttled. */
export type TokenBucketConfig = Readonly<Partial<Record<Service, TokenBucketSpec>>>;

/**
 * What `--token-bucket aws` turns on. EC2's numbers are AWS's: non-mutating actions get a bucket
 * of 100 tokens refilled at 20 a second, per account and region (EC2 API reference, "Request
 * throttling"); Security Hub's are AWS's too (below). EKS, Organizations and STS publish no bucket sizes: those numbers are ours, chosen
 * low so a client that stays inside them stays inside AWS's too.
 */
export const AWS_LIKE_TOKEN_BUCKETS: Readonly<Record<Service, TokenBucketSpec>> = {
  ec2: { capacity: 100, refillPerSecond: 20 },
  eks: { capacity: 50, refillPerSecond: 10 },
  organizations: { capacity: 20, refillPerSecond: 5 },
  sts: { capacity: 100, refillPerSecond: 20 },
  // AWS's own: GetFindings 3 a second (burst 6); BatchImportFindings 10 (burst 30). One bucket
  // here for both, at GetFindings' numbers.
  securityhub: { capacity: 6, refillPerSecond: 3 },
};

export interface BucketState {
  readonly tokens: number;
  readonly updatedAtMs: number;
}

/** Refills the bucket for the time gone by, then takes a token if one is there. */
export function takeToken(
  bucket: BucketState | undefined,
  spec: TokenBucketSpec,
  nowMs: number,
): { readonly taken: boolean; readonly bucket: BucketState } {
  const elapsedMs = bucket ? Math.max(0, nowMs - bucket.updatedAtMs) : 0;
  const tokens = Math.min(
    spec.capacity,
    (bucket?.tokens ?? spec.capacity) + (elapsedMs / 1000) * spec.refillPerSecond,
  );
  if (tokens < 1) return { taken: false, bucket: { tokens, updatedAtMs: nowMs } };
  return { taken: true, bucket: { tokens: tokens - 1, updatedAtMs: nowMs } };
}

/** The emulator's buckets, keyed by account, region and service. */
export class TokenBuckets {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly config: TokenBucketConfig) {}

  /** True when the call may go on; false when it is throttled. */
  take(call: { account: string; region: string; service: Service }, nowMs: number): boolean {
    const spec = this.config[call.service];
    if (!spec) return true;
    const key = `${call.account}/${call.region}/${call.service}`;
    const { taken, bucket } = takeToken(this.buckets.get(key), spec, nowMs);
    this.buckets.set(key, bucket);
    return taken;
  }
}

const SPEC = /^(?<service>[a-z0-9]+)=(?<capacity>\d+)\/(?<refill>\d+(?:\.\d+)?)$/;

export class TokenBucketFlagError extends Error {
  override name = 'TokenBucketFlagError';
}

/**
 * `--token-bucket` values: `aws` (every service, AWS_LIKE_TOKEN_BUCKETS) or
 * `SERVICE=CAPACITY/REFILL_PER_SECOND` such as `ec2=100/20`; later values win for a service.
 */
export function parseTokenBucketFlag(values: readonly string[]): TokenBucketConfig {
  const config: Partial<Record<Service, TokenBucketSpec>> = {};
  for (const value of values) {
    if (value === 'aws') {
      Object.assign(config, AWS_LIKE_TOKEN_BUCKETS);
      continue;
    }
    const match = SPEC.exec(value);
    const service = match?.groups?.service as Service | undefined;
    const capacity = Number(match?.groups?.capacity);
    const refillPerSecond = Number(match?.groups?.refill);
    if (!match || !service || !SERVICES.includes(service) || capacity < 1 || refillPerSecond <= 0)
      throw new TokenBucketFlagError(
        `--token-bucket takes 'aws' or SERVICE=CAPACITY/REFILL_PER_SECOND with SERVICE one of ` +
          `${SERVICES.join(', ')}, a capacity of at least 1 and a refill above 0 (e.g. ec2=100/20), got '${value}'.`,
      );
    config[service] = { capacity, refillPerSecond };
  }
  return config;
}
