import type { AwsCredentialIdentity } from '@smithy/types';
import { accountCredentials, refreshingCredentials } from '../../../src/aws/assume-role.js';

const keys = (n: number, expiresAt?: number): AwsCredentialIdentity => ({
  accessKeyId: `AKIA${n}`,
  secretAccessKey: 'secret',
  ...(expiresAt === undefined ? {} : { expiration: new Date(expiresAt) }),
});

describe('refreshingCredentials', () => {
  it('shares one fetch between concurrent callers and keeps it until near expiry', async () => {
    let now = 0;
    let fetches = 0;
    const provider = refreshingCredentials(
      () => Promise.resolve(keys(++fetches, 60 * 60_000)),
      () => now,
    );
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    now = 54 * 60_000;
    expect((await provider()).accessKeyId).toBe('AKIA1');
    now = 56 * 60_000; // within five minutes of expiry: fetched again
    expect((await provider()).accessKeyId).toBe('AKIA2');
    expect(fetches).toBe(2);
  });

  it('does not keep a failure: the next call tries again', async () => {
    let fail = true;
    const provider = refreshingCredentials(
      () => (fail ? Promise.reject(new Error('AccessDenied')) : Promise.resolve(keys(1))),
      () => 0,
    );
    await expect(provider()).rejects.toThrow('AccessDenied');
    fail = false;
    expect((await provider()).accessKeyId).toBe('AKIA1');
  });

  it('a target without a role gets the caller’s credentials as they are', () => {
    const base = () => Promise.resolve(keys(0));
    const provider = accountCredentials(
      base,
      { accountId: '111111111111', name: null, roleArn: null },
      { sessionName: 'eksposure', durationSeconds: 3600 },
    );
    expect(provider).toBe(base);
  });
});
