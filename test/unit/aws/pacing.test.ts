import { isThrottlingError } from '@smithy/core/retry';
import {
  afterSuccess,
  afterThrottle,
  type BucketRate,
  CEILING_FACTOR,
  createPacer,
  createPacingModel,
  CUT_FACTOR,
  CUT_WINDOW_MS,
  type Bucket,
  PAIR_WINDOW_MS,
  DEFAULT_RATES,
  failedAttempt,
  FLOOR,
  FLOOR_FACTOR,
  GROWTH_PER_SECOND,
  newBucket,
  type PacePolicy,
  reserveToken,
  retryAfterMs,
  UNPROVEN_BURST,
} from '../../../src/aws/pacing.js';

const fixed = (rate: BucketRate): PacePolicy => ({ kind: 'fixed', rate });
const learning = (start: BucketRate | null, resume: BucketRate = EKS): PacePolicy => ({
  kind: 'learning',
  start,
  resume,
});
const EKS = DEFAULT_RATES.eks;
const everyService = (policy: PacePolicy) => ({
  eks: policy,
  ec2: policy,
  sts: policy,
  organizations: policy,
  securityhub: policy,
});

describe('token bucket pacing', () => {
  const rate = { burst: 3, perSecond: 2 };

  it('lets a burst through, then spaces callers at the refill rate, in arrival order', () => {
    let bucket = newBucket(rate, 1_000);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const taken = reserveToken(bucket, 1_000);
      bucket = taken.bucket;
      waits.push(taken.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 500, 1000, 1500]);
  });

  it('refills with time, never above the burst', () => {
    const empty = { ...newBucket(rate, 0), tokens: 0 };
    expect(reserveToken(empty, 500).waitMs).toBe(0);
    const idle = reserveToken(empty, 60_000);
    expect(idle.bucket.tokens).toBe(2);
  });

  it('keeps one bucket per service and region, with the injected clock and sleep', async () => {
    const slept: number[] = [];
    const pacer = createPacer(
      createPacingModel({ ...everyService(learning(EKS)), eks: fixed({ burst: 1, perSecond: 4 }) }),
      () => 0,
      (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    );
    await pacer.lane('eks', 'us-east-1').take();
    await pacer.lane('eks', 'eu-west-1').take();
    await pacer.lane('eks', 'us-east-1').take();
    await pacer.lane('eks', 'us-east-1').take();
    expect(slept).toEqual([250, 500]);
  });

  it('stays below the buckets AWS documents for EC2 (100 tokens, 20 a second)', () => {
    expect(DEFAULT_RATES.ec2.burst).toBeLessThanOrEqual(100);
    expect(DEFAULT_RATES.ec2.perSecond).toBeLessThanOrEqual(20);
  });
});

describe('pacing that learns (AIMD, on a fake clock)', () => {
  const policy = learning(EKS);
  /** Two throttles in a row, as an overloaded bucket gives them; the second at `at`. */
  const throttledTwice = (bucket: Bucket, at: number) =>
    afterThrottle(afterThrottle(bucket, policy, at - 1), policy, at);

  it('a lone throttle is noise: no cut; a second within PAIR_WINDOW_MS cuts', () => {
    const once = afterThrottle(newBucket(EKS, 0), policy, 1_000);
    expect(once.rate).toEqual(EKS);
    expect(afterThrottle(once, policy, 1_000 + PAIR_WINDOW_MS + 1).rate).toEqual(EKS);
    expect(afterThrottle(once, policy, 1_000 + PAIR_WINDOW_MS - 1).rate).toEqual({
      burst: 14,
      perSecond: 7,
    });
  });

  it('a throttle cuts the burst and the rate to CUT_FACTOR, and starts again from an empty bucket', () => {
    const cut = throttledTwice(newBucket(EKS, 0), 1_000);
    expect(CUT_FACTOR).toBe(0.7);
    expect(cut.rate).toEqual({ burst: 14, perSecond: 7 });
    // The next call waits for a token at the new rate (1/7 s), not for the old burst.
    expect(reserveToken(cut, 1_000).waitMs).toBe(143);
  });

  it("after its first throttle, a bucket's burst is no more than the calls that got through", () => {
    let bucket = newBucket(EKS, 0);
    for (let i = 0; i < 5; i++) bucket = afterSuccess(bucket, policy, 10);
    const after = throttledTwice(bucket, 20).rate;
    expect(after?.burst).toBe(5);
    expect(after?.perSecond).toBeCloseTo(7, 0);
  });

  it('throttles of calls already in flight within the cut window cut once, not once each', () => {
    let bucket = throttledTwice(newBucket(EKS, 0), 1_000);
    for (const at of [1_010, 1_200, 1_900]) bucket = afterThrottle(bucket, policy, at);
    expect(bucket.rate).toEqual({ burst: 14, perSecond: 7 });
    expect(afterThrottle(bucket, policy, 2_100).rate?.burst).toBe(9);
    expect(afterThrottle(bucket, policy, 2_100).rate?.perSecond).toBeCloseTo(4.9);
  });

  it('never cuts below a fifth of its starting rate, however long the throttling lasts', () => {
    let bucket = newBucket(EKS, 0);
    for (let second = 1; second <= 20; second++) bucket = throttledTwice(bucket, second * 1_000);
    expect(FLOOR_FACTOR).toBe(0.2);
    expect(bucket.rate).toEqual({ burst: 4, perSecond: 2 });
  });

  it('a slow starting rate still keeps one call every two seconds', () => {
    const slow = learning({ burst: 1, perSecond: 1 }, { burst: 1, perSecond: 1 });
    let bucket = newBucket({ burst: 1, perSecond: 1 }, 0);
    for (let second = 1; second <= 20; second++) {
      bucket = afterThrottle(bucket, slow, second * 1_000);
      bucket = afterThrottle(bucket, slow, second * 1_000 + 10);
    }
    expect(bucket.rate).toEqual(FLOOR);
  });

  it('succeeding calls grow the rate back by GROWTH_PER_SECOND of itself for each second of them', () => {
    let bucket = throttledTwice(newBucket(EKS, 0), 0);
    let now = CUT_WINDOW_MS;
    // Ten seconds of calls, each at the rate the bucket has then.
    while (now < CUT_WINDOW_MS + 10_000) {
      bucket = afterSuccess(bucket, policy, now);
      now += 1_000 / (bucket.rate?.perSecond ?? 1);
    }
    const growth = (bucket.rate?.perSecond ?? 0) / (EKS.perSecond * CUT_FACTOR);
    expect(growth).toBeGreaterThan(0.98 * (1 + GROWTH_PER_SECOND) ** 10);
    expect(growth).toBeLessThan(1.02 * (1 + GROWTH_PER_SECOND) ** 10);
  });

  it('grows no further than the ceiling', () => {
    let bucket = newBucket(EKS, 0);
    for (let i = 0; i < 100_000; i++) bucket = afterSuccess(bucket, policy, i * 10);
    expect(bucket.rate).toEqual({
      burst: EKS.burst * CEILING_FACTOR,
      perSecond: EKS.perSecond * CEILING_FACTOR,
    });
  });

  it('honours Retry-After: no call before the time AWS asked for, fixed rate or not', () => {
    for (const p of [policy, fixed(EKS)]) {
      const paused = afterThrottle(newBucket(EKS, 0), p, 1_000, 3_000);
      expect(reserveToken(paused, 1_000).waitMs).toBe(3_000);
      expect(reserveToken(paused, 3_500).waitMs).toBe(500);
    }
  });

  it('a fixed rate (--pace SERVICE=...) is neither cut nor grown', () => {
    const bucket = newBucket(EKS, 0);
    expect(afterThrottle(bucket, fixed(EKS), 1_000).rate).toEqual(EKS);
    expect(afterSuccess(bucket, fixed(EKS), 5_000).rate).toEqual(EKS);
  });

  it('one account alone is not paced until AWS throttles it; then it is, from the resume rate cut', async () => {
    const model = createPacingModel(everyService(learning(null)));
    const slept: number[] = [];
    let now = 0;
    const pacer = createPacer(
      model,
      () => now,
      (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    );
    for (let i = 0; i < 50; i++) await pacer.lane('eks', 'us-east-1').take();
    expect(slept).toEqual([]);
    for (let i = 0; i < 2; i++)
      pacer.lane('eks', 'us-east-1').record({ kind: 'throttled', retryAfterMs: undefined });
    await pacer.lane('eks', 'us-east-1').take();
    expect(slept).toEqual([143]);
    expect(model.throttled.eks).toBe(2);
    // A region first used after the throttle starts paced at what was learned (14 at once, 7 a second).
    now = 60_000;
    for (let i = 0; i < 15; i++) await pacer.lane('eks', 'eu-west-1').take();
    expect(slept).toEqual([143, 143]);
  });

  /** A pacer on a clock the test sets, recording the waits it asks for. */
  function pacerOn(model: ReturnType<typeof createPacingModel>) {
    const clock = { now: 0 };
    const waits: number[] = [];
    const pacer = createPacer(
      model,
      () => clock.now,
      (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    );
    return { pacer, clock, waits };
  }

  it('until a rate is proven, new buckets start at half of it, with a burst of UNPROVEN_BURST', async () => {
    const { pacer, waits } = pacerOn(createPacingModel(everyService(policy)));
    for (let i = 0; i < UNPROVEN_BURST + 1; i++) await pacer.lane('eks', 'us-east-1').take();
    expect(waits).toEqual([1000 / (EKS.perSecond / 2)]);
  });

  it('proven by a bucket that spends a whole burst unthrottled: buckets then run at the full rate', async () => {
    const model = createPacingModel(everyService(policy));
    const { pacer, clock, waits } = pacerOn(model);
    await pacer.lane('eks', 'eu-west-1').take();
    for (let i = 0; i < EKS.burst; i++) {
      await pacer.lane('eks', 'us-east-1').take();
      pacer.lane('eks', 'us-east-1').record({ kind: 'succeeded' });
    }
    expect(model.prior('eks').proven).toBe(true);
    // eu-west-1 started held back; a second later, refilled, it has the proven burst and rate.
    clock.now = 60_000;
    waits.length = 0;
    for (let i = 0; i < EKS.burst + 1; i++) await pacer.lane('eks', 'eu-west-1').take();
    expect(waits).toEqual([100]);
  });

  it("the run's rate follows a cut once per window, however many buckets are throttled together; running buckets adopt it", async () => {
    const model = createPacingModel(everyService(policy));
    model.setPrior('eks', { ...model.prior('eks'), proven: true });
    const { pacer, clock, waits } = pacerOn(model);
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1'])
      await pacer.lane('eks', region).take();
    clock.now = 10;
    for (const region of ['us-east-1', 'eu-west-1', 'us-east-1', 'eu-west-1'])
      pacer.lane('eks', region).record({ kind: 'throttled', retryAfterMs: undefined });
    expect(model.prior('eks').rate).toEqual({ burst: 14, perSecond: 7 });
    expect(model.throttled.eks).toBe(4);
    // ap-south-1 was not throttled, but adopts the run's rate: its 15th call waits.
    clock.now = 60_000;
    for (let i = 0; i < 15; i++) await pacer.lane('eks', 'ap-south-1').take();
    expect(waits).toEqual([143]);
    // A new account's region starts there too; another service learns on its own.
    const other = pacerOn(model);
    for (let i = 0; i < 15; i++) await other.pacer.lane('eks', 'eu-west-1').take();
    expect(other.waits).toEqual([143]);
    expect(model.prior('ec2').rate).toEqual(EKS);
  });
});

describe('what an attempt tells the pacer', () => {
  const error = (name: string, status: number, headers: Record<string, string> = {}) =>
    Object.assign(new Error('Rate exceeded'), {
      name,
      $metadata: { httpStatusCode: status },
      $response: { headers },
    });

  it.each([
    ['ThrottlingException', 400],
    ['TooManyRequestsException', 429],
    ['RequestLimitExceeded', 503],
    ['Throttling', 400],
    ['SomethingNew', 429],
  ])('%s (HTTP %i) is throttling', (name, status) => {
    expect(failedAttempt(error(name, status), 0)).toEqual({
      kind: 'throttled',
      retryAfterMs: undefined,
    });
  });

  it('anything else is not', () => {
    expect(failedAttempt(error('AccessDeniedException', 403), 0)).toEqual({ kind: 'failed' });
    expect(failedAttempt(new Error('socket hang up'), 0)).toEqual({ kind: 'failed' });
    expect(failedAttempt(undefined, 0)).toEqual({ kind: 'failed' });
  });

  it('reads Retry-After in seconds or as a date, and x-amz-retry-after in milliseconds', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(retryAfterMs({ 'Retry-After': '2' }, now)).toBe(2_000);
    expect(retryAfterMs({ 'retry-after': 'Sun, 06 Dec 2026 12:00:05 GMT' }, now)).toBe(5_000);
    expect(retryAfterMs({ 'x-amz-retry-after': '750' }, now)).toBe(750);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(failedAttempt(error('ThrottlingException', 429, { 'retry-after': '3' }), now)).toEqual({
      kind: 'throttled',
      retryAfterMs: 3_000,
    });
  });
});

describe('throttling, as the SDK’s retry sees it', () => {
  it.each([
    ['ThrottlingException', 400],
    ['TooManyRequestsException', 429],
    ['RequestLimitExceeded', 503],
  ])('retries %s as throttling (with its longer backoff)', (name, status) => {
    const error = Object.assign(new Error('Rate exceeded'), {
      name,
      $metadata: { httpStatusCode: status },
    });
    expect(isThrottlingError(error as Parameters<typeof isThrottlingError>[0])).toBe(true);
  });
});
