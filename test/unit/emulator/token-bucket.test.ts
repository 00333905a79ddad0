import {
  AWS_LIKE_TOKEN_BUCKETS,
  parseTokenBucketFlag,
  takeToken,
  TokenBucketFlagError,
  TokenBuckets,
} from '../../../src/emulator/token-bucket.js';

const spec = { capacity: 3, refillPerSecond: 2 };

describe('takeToken', () => {
  it('starts full, empties, and refills at its rate up to its capacity', () => {
    let bucket = undefined;
    const taken: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const result = takeToken(bucket, spec, 0);
      taken.push(result.taken);
      bucket = result.bucket;
    }
    expect(taken).toEqual([true, true, true, false]);
    expect(takeToken(bucket, spec, 499).taken).toBe(false);
    expect(takeToken(bucket, spec, 500).taken).toBe(true);
    expect(takeToken(bucket, spec, 60_000).bucket.tokens).toBe(spec.capacity - 1);
  });
});

describe('TokenBuckets', () => {
  it('keeps one bucket per account, region and service, and none for a service not named', () => {
    const buckets = new TokenBuckets({ eks: { capacity: 1, refillPerSecond: 1 } });
    const call = { account: '111111111111', region: 'us-east-1', service: 'eks' as const };
    expect(buckets.take(call, 0)).toBe(true);
    expect(buckets.take(call, 0)).toBe(false);
    expect(buckets.take({ ...call, account: '222222222222' }, 0)).toBe(true);
    expect(buckets.take({ ...call, region: 'eu-west-1' }, 0)).toBe(true);
    expect(
      Array.from({ length: 500 }, () => buckets.take({ ...call, service: 'ec2' }, 0)),
    ).not.toContain(false);
  });
});

describe('parseTokenBucketFlag', () => {
  it('reads aws and SERVICE=CAPACITY/REFILL, later values winning', () => {
    expect(parseTokenBucketFlag([])).toEqual({});
    expect(parseTokenBucketFlag(['aws', 'ec2=10/2.5'])).toEqual({
      ...AWS_LIKE_TOKEN_BUCKETS,
      ec2: { capacity: 10, refillPerSecond: 2.5 },
    });
    expect(AWS_LIKE_TOKEN_BUCKETS.ec2).toEqual({ capacity: 100, refillPerSecond: 20 });
  });

  it.each(['ec2', 's3=1/1', 'ec2=0/1', 'ec2=5/0', 'eks=5', 'eks=a/b'])(
    'refuses %p, saying the form',
    (value) => {
      expect(() => parseTokenBucketFlag([value])).toThrow(TokenBucketFlagError);
      expect(() => parseTokenBucketFlag([value])).toThrow(
        `--token-bucket takes 'aws' or SERVICE=CAPACITY/REFILL_PER_SECOND`,
      );
    },
  );
});
