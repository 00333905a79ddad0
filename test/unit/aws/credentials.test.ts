import { checkCredentials } from '../../../src/aws/credentials.js';

const now = new Date('2026-11-24T02:00:00Z');
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('checkCredentials', () => {
  it('accepts credentials that resolve and have not expired', async () => {
    const provider = () =>
      Promise.resolve({
        accessKeyId: 'AKIA',
        secretAccessKey: secret,
        expiration: new Date('2026-11-24T03:00:00Z'),
      });
    expect(await checkCredentials(provider, now, undefined)).toEqual({ ok: true });
  });

  it('refuses expired credentials, saying when and how to refresh', async () => {
    const provider = () =>
      Promise.resolve({
        accessKeyId: 'AKIA',
        secretAccessKey: secret,
        expiration: new Date('2026-11-24T01:59:00Z'),
      });
    const result = await checkCredentials(provider, now, 'prod');
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('profile "prod" expired at 2026-11-24T01:59:00.000Z'),
    });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('turns a provider failure into one line with the fix', async () => {
    const provider = () =>
      Promise.reject(new Error('Could not load credentials from any providers\n    at somewhere'));
    const result = await checkCredentials(provider, now, undefined);
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('(Could not load credentials from any providers)'),
    });
    expect(result.ok || result.message.includes('\n')).toBe(false);
  });
});
