import { createPacer, DEFAULT_RATES, reserveToken } from '../../../src/aws/pacing.js';

describe('token bucket pacing', () => {
  const rate = { burst: 3, perSecond: 2 };

  it('lets a burst through, then spaces callers at the refill rate, in arrival order', () => {
    let bucket;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const taken = reserveToken(bucket, rate, 1_000);
      bucket = taken.bucket;
      waits.push(taken.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 500, 1000, 1500]);
  });

  it('refills with time, never above the burst', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    expect(reserveToken(empty, rate, 500).waitMs).toBe(0);
    const idle = reserveToken(empty, rate, 60_000);
    expect(idle.bucket.tokens).toBe(2);
  });

  it('keeps one bucket per service and region, with the injected clock and sleep', async () => {
    const slept: number[] = [];
    const pacer = createPacer(
      { ...DEFAULT_RATES, eks: { burst: 1, perSecond: 4 } },
      () => 0,
      (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    );
    await pacer.take('eks', 'us-east-1');
    await pacer.take('eks', 'eu-west-1');
    await pacer.take('eks', 'us-east-1');
    await pacer.take('eks', 'us-east-1');
    expect(slept).toEqual([250, 500]);
  });

  it('stays below the buckets AWS documents for EC2 (100 tokens, 20 a second)', () => {
    expect(DEFAULT_RATES.ec2.burst).toBeLessThanOrEqual(100);
    expect(DEFAULT_RATES.ec2.perSecond).toBeLessThanOrEqual(20);
  });
});
