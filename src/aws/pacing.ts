/**
 * Client-side pacing that learns: a token bucket per account, region and service, so that a scan
 * stays inside the buckets AWS keeps per account and region, which the account's own workloads
 * share. Each attempt of a call (retries included) takes a token. AWS publishes no rates for EKS,
 * STS or Organizations, and what is left of a bucket depends on the account's own traffic, so the
 * rate is learned: halved (burst and rate) when AWS throttles, grown back a little with every call
 * that succeeds, up to a ceiling (AIMD, as TCP does). Everything here but createPacer is pure.
 */

export interface BucketRate {
  /** Tokens when full: calls that may go at once after a quiet moment. */
  readonly burst: number;
  /** Tokens added a second: the sustained rate. */
  readonly perSecond: number;
}

export type PacedService = 'eks' | 'ec2' | 'sts' | 'organizations' | 'securityhub';

export const PACED_SERVICES: readonly PacedService[] = [
  'eks',
  'ec2',
  'sts',
  'organizations',
  'securityhub',
];

/**
 * The starting rates, per account, region and service; deliberately below AWS's own buckets, which
 * the account's production workloads share.
 * - ec2: AWS documents 100 tokens refilled at 20 a second for non-mutating actions; we take a
 *   fifth of the burst and a quarter of the refill (a scan calls only DescribeRegions).
 * - eks, organizations, sts: AWS publishes no bucket (STS documents a quota of 600 requests a
 *   second per account and region); these numbers are our picks.
 * - securityhub: AWS documents GetFindings at 3 a second (burst 6) and BatchImportFindings at 10
 *   a second (burst 30), per account and region; one bucket paces both, so it starts below the
 *   stricter, GetFindings'.
 */
export const DEFAULT_RATES: Readonly<Record<PacedService, BucketRate>> = {
  eks: { burst: 20, perSecond: 10 },
  ec2: { burst: 20, perSecond: 5 },
  organizations: { burst: 5, perSecond: 2 },
  sts: { burst: 10, perSecond: 10 },
  securityhub: { burst: 5, perSecond: 2 },
};

/** How far a learning bucket may grow above where it started. */
export const CEILING_FACTOR = 5;
/**
 * The slowest a learning bucket is ever cut to, as a share of its starting rate: a fifth (EKS: 2
 * calls a second per region). Throttling that does not ease when eksposure slows down (a fault, a
 * neighbour's flood) would otherwise ratchet a scan down to a call every few seconds: measured
 * with one call in five throttled at random, the 17 x 100 audit took 187 s with a floor of one call
 * every two seconds, 62 s with this one. A quarter was too high for an account whose buckets are a
 * quarter of the starting rates: 13 % of the organization benchmark's calls were throttled, 9 %
 * with a fifth. Below the floor, the SDK's retry backoff spaces the calls.
 */
export const FLOOR_FACTOR = 0.2;
/** The floor of any bucket: one call at a time, one every two seconds. */
export const FLOOR: BucketRate = { burst: 1, perSecond: 0.5 };

const floorOf = (resume: BucketRate): BucketRate => ({
  burst: Math.max(FLOOR.burst, Math.round(resume.burst * FLOOR_FACTOR)),
  perSecond: Math.max(FLOOR.perSecond, resume.perSecond * FLOOR_FACTOR),
});
/**
 * After a cut, further throttles are ignored this long: the calls in flight when the first came
 * were sent at the old rate, and one overload must not halve the rate once per call.
 */
export const CUT_WINDOW_MS = 1_000;
/**
 * A throttle cuts only when another came less than this before it: an overloaded bucket throttles
 * calls in runs, while a lone throttle (a transient fault, a neighbour's spike) is noise that would
 * otherwise ratchet the rate down to the floor one second at a time.
 */
export const PAIR_WINDOW_MS = 1_000;

/**
 * What a second of calls that all succeed adds to a bucket: a fiftieth of its starting rate, so
 * a halved bucket is back where it started in about 25 s. Faster growth probes AWS's limit more
 * often: at a tenth, a region of 60 clusters behind a bucket a little wider than ours was
 * throttled three times on its way (measured, test/e2e/audit-accounts.test.ts).
 */
export const GROWTH_PER_SECOND = 0.02;

/**
 * How one service's buckets behave.
 * - off: never paced (throttles are still counted).
 * - learning: start at `start` (null: not paced at all until AWS first throttles; then from
 *   `resume`), halve on throttling, grow back while calls succeed, up to CEILING_FACTOR times
 *   `resume`.
 * - fixed: `--pace SERVICE=BURST/PER_SECOND`; only Retry-After is honoured.
 */
export type PacePolicy =
  | {
      readonly kind: 'learning';
      readonly start: BucketRate | null;
      readonly resume: BucketRate;
    }
  | { readonly kind: 'fixed'; readonly rate: BucketRate }
  /** `--pace off`: never paced; throttles are only counted. */
  | { readonly kind: 'off' };

export interface Bucket {
  /** null: not paced (yet). */
  readonly rate: BucketRate | null;
  /** Below zero: tokens already promised to callers still waiting. */
  readonly tokens: number;
  readonly updatedAtMs: number;
  /** AWS asked for a pause (Retry-After): no call before this. */
  readonly pausedUntilMs: number;
  /** When the rate was last cut (-Infinity: never). */
  readonly cutAtMs: number;
  /** When AWS last throttled a call of this bucket (-Infinity: never). */
  readonly throttledAtMs: number;
  /** Calls that succeeded before the first throttle: what AWS's bucket held (see afterThrottle). */
  readonly succeededBeforeCut: number;
  readonly bornAtMs: number;
}

/** A bucket that starts full at `rate`. */
export const newBucket = (rate: BucketRate | null, nowMs: number): Bucket => ({
  rate,
  tokens: rate?.burst ?? 0,
  updatedAtMs: nowMs,
  pausedUntilMs: 0,
  cutAtMs: -Infinity,
  throttledAtMs: -Infinity,
  succeededBeforeCut: 0,
  bornAtMs: nowMs,
});

const refilled = (bucket: Bucket, nowMs: number): number => {
  if (!bucket.rate) return 0;
  const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
  return Math.min(bucket.rate.burst, bucket.tokens + (elapsedMs / 1000) * bucket.rate.perSecond);
};

/**
 * Pure: takes one token, refilling first. When the bucket is empty the token is promised (the
 * count goes below zero) and `waitMs` says when it will have been refilled, so callers that arrive
 * together are spaced out in the order they came; a pause AWS asked for comes on top.
 */
export function reserveToken(
  bucket: Bucket,
  nowMs: number,
): { readonly bucket: Bucket; readonly waitMs: number } {
  const paused = Math.max(0, bucket.pausedUntilMs - nowMs);
  if (!bucket.rate) return { bucket, waitMs: paused };
  const tokens = refilled(bucket, nowMs) - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens / bucket.rate.perSecond) * 1000);
  return { bucket: { ...bucket, tokens, updatedAtMs: nowMs }, waitMs: Math.max(waitMs, paused) };
}

const ceilingOf = (resume: BucketRate): BucketRate => ({
  burst: resume.burst * CEILING_FACTOR,
  perSecond: resume.perSecond * CEILING_FACTOR,
});

/**
 * What a throttle leaves of a bucket's burst and rate: 0.7, as CUBIC's decrease (the SDK's own
 * adaptive retry uses it too). Halving, as TCP Reno does, left an organization scan behind buckets
 * half our starting rates at about 60 % of their rate on average (measured: docs/performance.md).
 */
export const CUT_FACTOR = 0.7;

const cut = (rate: BucketRate, resume: BucketRate): BucketRate => {
  const floor = floorOf(resume);
  return {
    burst: Math.max(floor.burst, Math.floor(rate.burst * CUT_FACTOR)),
    perSecond: Math.max(floor.perSecond, rate.perSecond * CUT_FACTOR),
  };
};

/**
 * Pure: AWS throttled a call of this bucket. When another throttle came within PAIR_WINDOW_MS, a
 * learning bucket cuts its burst and its rate to CUT_FACTOR (at most once per CUT_WINDOW_MS) and
 * starts again from empty, as AWS's own bucket is; one that was not paced starts at the policy's
 * `resume` rate, cut. Any bucket honours `retryAfterMs`.
 */
export function afterThrottle(
  bucket: Bucket,
  policy: PacePolicy,
  nowMs: number,
  retryAfterMs?: number,
): Bucket {
  if (policy.kind === 'off') return bucket;
  const pausedUntilMs =
    retryAfterMs && retryAfterMs > 0
      ? Math.max(bucket.pausedUntilMs, nowMs + retryAfterMs)
      : bucket.pausedUntilMs;
  const alone = nowMs - bucket.throttledAtMs >= PAIR_WINDOW_MS;
  if (policy.kind === 'fixed' || alone || nowMs - bucket.cutAtMs < CUT_WINDOW_MS)
    return { ...bucket, pausedUntilMs, throttledAtMs: nowMs };
  const rate = cut(bucket.rate ?? policy.resume, policy.resume);
  // A bucket starts full and spends its burst at once: when AWS first throttles it, the calls that
  // succeeded until then are about what AWS's own bucket holds. Its burst need be no larger.
  const held =
    bucket.rate && bucket.cutAtMs === -Infinity && bucket.succeededBeforeCut > 0
      ? Math.max(FLOOR.burst, bucket.succeededBeforeCut)
      : Infinity;
  return {
    ...bucket,
    rate: { ...rate, burst: Math.min(rate.burst, held) },
    tokens: Math.min(0, refilled(bucket, nowMs)),
    updatedAtMs: nowMs,
    pausedUntilMs,
    cutAtMs: nowMs,
    throttledAtMs: nowMs,
  };
}

/**
 * Pure: a call of this bucket succeeded. A learning bucket grows back: each success adds a share
 * of GROWTH_PER_SECOND of its starting rate, so a second of calls at the current rate adds that
 * much, up to the ceiling. Not within a cut window: those calls were sent before the cut.
 */
export function afterSuccess(bucket: Bucket, policy: PacePolicy, nowMs: number): Bucket {
  const { rate } = bucket;
  if (policy.kind !== 'learning' || !rate) return bucket;
  const counted =
    bucket.cutAtMs === -Infinity
      ? { ...bucket, succeededBeforeCut: bucket.succeededBeforeCut + 1 }
      : bucket;
  if (nowMs - bucket.cutAtMs < CUT_WINDOW_MS) return counted;
  return { ...counted, rate: grow(rate, policy.resume, GROWTH_PER_SECOND / rate.perSecond) };
}

/**
 * What the run has learned of a service's buckets, which every bucket of it follows: a new bucket
 * (the next region, the next account) starts there, and a bucket that is running adopts it when it
 * is cut lower. An organization's regions are short-lived buckets: each would otherwise relearn its
 * account's limits from the starting rates, throttled on the way, and the dozens that start at
 * once would all overshoot together. Lowered to a bucket's rate when that bucket is cut; raised as
 * slowly as a bucket grows, and only by buckets that succeed at or above it. Until the rate is
 * proven (a bucket cut, or one that spent a whole burst without a throttle) a new bucket's burst is
 * held to UNPROVEN_BURST, so that the first wave of buckets does not spend dozens of unproven bursts.
 */
export interface Prior {
  readonly rate: BucketRate | null;
  readonly proven: boolean;
  readonly grownAtMs: number;
  /** When the last cut lowered it (-Infinity: never): running buckets older than that adopt it. */
  readonly cutAtMs: number;
}

/** The burst of a bucket that starts before the rate it starts from is proven. */
export const UNPROVEN_BURST = 5;

export const priorOf = (rate: BucketRate | null): Prior => ({
  rate,
  proven: false,
  grownAtMs: 0,
  cutAtMs: -Infinity,
});

/** Pure: what a new bucket of the service starts at: half the rate, until it is proven. */
export function startingRate(prior: Prior): BucketRate | null {
  if (!prior.rate || prior.proven) return prior.rate;
  return {
    burst: Math.min(prior.rate.burst, UNPROVEN_BURST),
    perSecond: prior.rate.perSecond / 2,
  };
}

/**
 * Pure: a bucket of the service was cut to `cut`. The run's rate follows, at most once per
 * CUT_WINDOW_MS: the buckets throttled together met one overload, and every running bucket adopts
 * the cut, so it must not compound once per bucket.
 */
export function priorAfterCut(prior: Prior, cut: BucketRate, nowMs: number): Prior {
  if (nowMs - prior.cutAtMs < CUT_WINDOW_MS) return prior;
  const rate = prior.rate
    ? {
        burst: Math.min(prior.rate.burst, cut.burst),
        perSecond: Math.min(prior.rate.perSecond, cut.perSecond),
      }
    : cut;
  return { rate, proven: true, grownAtMs: nowMs, cutAtMs: nowMs };
}

export function priorAfterSuccess(
  prior: Prior,
  bucket: Bucket,
  policy: PacePolicy,
  nowMs: number,
): Prior {
  const bucketRate = bucket.rate;
  if (policy.kind !== 'learning' || !prior.rate || !bucketRate) return prior;
  const proven =
    prior.proven || (bucket.cutAtMs === -Infinity && bucket.succeededBeforeCut >= prior.rate.burst);
  if (bucketRate.perSecond < prior.rate.perSecond || bucketRate.burst < prior.rate.burst)
    return proven === prior.proven ? prior : { ...prior, proven };
  const seconds = Math.max(0, nowMs - prior.grownAtMs) / 1000;
  // Time-based, a tenth of a second at least: many buckets succeeding at once must not raise it
  // faster than one bucket grows (nor make a new prior for every call).
  if (seconds < 0.1) return proven === prior.proven ? prior : { ...prior, proven };
  const grown = grow(prior.rate, policy.resume, GROWTH_PER_SECOND * Math.min(seconds, 1));
  return { ...prior, rate: grown, proven, grownAtMs: nowMs };
}

/**
 * Pure: a running bucket that started before the run's rate was cut lower adopts it: what one
 * region of the run met, the others it shares a service with are about to meet. It keeps its own
 * count of tokens (no more than the new burst) and its own Retry-After.
 */
export function adoptPrior(bucket: Bucket, prior: Prior): Bucket {
  const { rate } = bucket;
  if (!rate || !prior.rate) return bucket;
  // Born while the rate was unproven (held back), never cut since: the proven rate is its.
  if (
    prior.proven &&
    bucket.cutAtMs === -Infinity &&
    (rate.burst < prior.rate.burst || rate.perSecond < prior.rate.perSecond)
  )
    return { ...bucket, rate: prior.rate };
  if (prior.cutAtMs <= bucket.bornAtMs) return bucket;
  if (prior.rate.perSecond >= rate.perSecond && prior.rate.burst >= rate.burst) return bucket;
  const adopted = {
    burst: Math.min(rate.burst, prior.rate.burst),
    perSecond: Math.min(rate.perSecond, prior.rate.perSecond),
  };
  return { ...bucket, rate: adopted, tokens: Math.min(bucket.tokens, adopted.burst) };
}

/** `rate` grown by `share` of itself (a second of success grows it by GROWTH_PER_SECOND), capped. */
const grow = (rate: BucketRate, resume: BucketRate, share: number): BucketRate => {
  const ceiling = ceilingOf(resume);
  return {
    burst: Math.min(ceiling.burst, rate.burst * (1 + share)),
    perSecond: Math.min(ceiling.perSecond, rate.perSecond * (1 + share)),
  };
};

/** What the middleware tells the pacer about each attempt. */
export type AttemptOutcome =
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'throttled'; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'failed' };

/** The pacing of one service in one region of one account: what each attempt of its calls goes through. */
export interface PacerLane {
  /** Resolves when the next attempt may be sent; undefined when it may be sent now (no promise made). */
  take(): Promise<void> | undefined;
  /** What became of that attempt. */
  record(outcome: AttemptOutcome): void;
}

export interface Pacer {
  /** The lane of `service` in `region`: one per client, found once when the client is made. */
  lane(service: PacedService, region: string): PacerLane;
}

/** The policies of a run, and what they learn across its accounts: one per run, shared. */
export interface PacingModel {
  policy(service: PacedService): PacePolicy;
  prior(service: PacedService): Prior;
  setPrior(service: PacedService, prior: Prior): void;
  /** Throttled attempts so far, per service (every account and region of the run). */
  readonly throttled: Record<PacedService, number>;
  /** What a new bucket of each service would start at now (null: not paced), for the logs. */
  learned(): Record<PacedService, BucketRate | null>;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function createPacingModel(
  policies: Readonly<Record<PacedService, PacePolicy>>,
): PacingModel {
  const priors = new Map<PacedService, Prior>(
    PACED_SERVICES.map((s) => {
      const policy = policies[s];
      if (policy.kind !== 'learning')
        return [s, { ...priorOf(policy.kind === 'fixed' ? policy.rate : null), proven: true }];
      return [s, priorOf(policy.start)];
    }),
  );
  return {
    policy: (service) => policies[service],
    prior: (service) => priors.get(service) ?? priorOf(null),
    setPrior: (service, prior) => void priors.set(service, prior),
    throttled: { eks: 0, ec2: 0, sts: 0, organizations: 0, securityhub: 0 },
    learned: () => {
      const rateOf = (service: PacedService) => {
        const rate = priors.get(service)?.rate;
        return rate ? { burst: round2(rate.burst), perSecond: round2(rate.perSecond) } : null;
      };
      return {
        eks: rateOf('eks'),
        ec2: rateOf('ec2'),
        sts: rateOf('sts'),
        organizations: rateOf('organizations'),
        securityhub: rateOf('securityhub'),
      };
    },
  };
}

/**
 * One account's buckets (one per service and region), started from what the run has learned, with
 * the clock and sleep passed in.
 */
export function createPacer(
  model: PacingModel,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Pacer {
  const lanes = new Map<string, PacerLane>();
  return {
    lane: (service, region) => {
      const key = `${service} ${region}`;
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = paceLane(model, service, now, sleep)));
      return lane;
    },
  };
}

const SUCCESS_NOTHING_TO_LEARN = (policy: PacePolicy, bucket: Bucket) =>
  policy.kind !== 'learning' || !bucket.rate;

/**
 * One bucket's lane. An attempt of a bucket that is not paced (one account until AWS throttles
 * it, or --pace off) costs a lookup and no allocation: most of a scan's calls are of that kind.
 */
function paceLane(
  model: PacingModel,
  service: PacedService,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): PacerLane {
  const policy = model.policy(service);
  let bucket: Bucket | undefined;
  const current = (): Bucket => {
    const prior = model.prior(service);
    bucket = bucket ? adoptPrior(bucket, prior) : newBucket(startingRate(prior), now());
    return bucket;
  };
  return {
    take: () => {
      const before = current();
      if (!before.rate && before.pausedUntilMs === 0) return undefined;
      const reserved = reserveToken(before, now());
      bucket = reserved.bucket;
      return reserved.waitMs === 0 ? undefined : sleep(reserved.waitMs);
    },
    record: (outcome) => {
      if (outcome.kind === 'failed') return;
      const before = current();
      if (outcome.kind === 'succeeded') {
        if (SUCCESS_NOTHING_TO_LEARN(policy, before)) return;
        const at = now();
        bucket = afterSuccess(before, policy, at);
        const prior = model.prior(service);
        const grown = priorAfterSuccess(prior, bucket, policy, at);
        if (grown !== prior) model.setPrior(service, grown);
        return;
      }
      model.throttled[service] += 1;
      const at = now();
      bucket = afterThrottle(before, policy, at, outcome.retryAfterMs);
      if (bucket.cutAtMs === at && bucket.rate && policy.kind === 'learning')
        model.setPrior(service, priorAfterCut(model.prior(service), bucket.rate, at));
    },
  };
}

/** Error names AWS answers a throttled call with (the SDK's own list; any HTTP 429 as well). */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

interface AttemptError {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $response?: { readonly headers?: Readonly<Record<string, unknown>> };
}

/**
 * Pure: how long AWS asked the caller to wait, from `retry-after` (seconds, or an HTTP date) or
 * `x-amz-retry-after` (milliseconds); undefined when it did not say.
 */
export function retryAfterMs(
  headers: Readonly<Record<string, unknown>> | undefined,
  nowMs: number,
): number | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value !== 'string') continue;
    const header = name.toLowerCase();
    if (header === 'x-amz-retry-after' && /^\d+$/.test(value)) return Number(value);
    if (header !== 'retry-after') continue;
    if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  return undefined;
}

/** Pure: what a failed attempt tells the pacer. */
export function failedAttempt(error: unknown, nowMs: number): AttemptOutcome {
  const e = (typeof error === 'object' && error !== null ? error : {}) as AttemptError;
  const throttled =
    e.$metadata?.httpStatusCode === 429 ||
    (typeof e.name === 'string' && THROTTLING_CODES.has(e.name));
  if (!throttled) return { kind: 'failed' };
  return { kind: 'throttled', retryAfterMs: retryAfterMs(e.$response?.headers, nowMs) };
}
