import { checkCredentials, explainProfileFailure } from '../../../src/aws/credentials.js';

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
    const noProfile = () =>
      Promise.reject(
        new Error(
          'Could not resolve credentials using profile: [default] in configuration/credentials file(s).',
        ),
      );
    const result = await checkCredentials(provider, now, undefined, noProfile);
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('(Could not load credentials from any providers)'),
    });
    expect(result.ok || result.message.includes('\n')).toBe(false);
  });

  const chainFailure = () =>
    Promise.reject(new Error('Could not load credentials from any providers'));

  it('names a profile that does not exist', async () => {
    const probe = () =>
      Promise.reject(
        new Error(
          'Could not resolve credentials using profile: [nosuch] in configuration/credentials file(s).',
        ),
      );
    const result = await checkCredentials(chainFailure, now, 'nosuch', probe);
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining(
        'profile "nosuch" is not in ~/.aws/config or ~/.aws/credentials',
      ),
    });
  });

  it("shows a failing credential_process's own last error line, not its command", async () => {
    const probe = () =>
      Promise.reject(
        new Error(
          'Command failed: sso-helper --token s3cr3t\nwarming up\nsession expired: run sso-helper login\n',
        ),
      );
    const result = await checkCredentials(chainFailure, now, 'work', probe);
    expect(result).toEqual({
      ok: false,
      message:
        'no usable AWS credentials: the credential_process of profile "work" failed: session expired: run sso-helper login.',
    });
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
  });
});

describe('explainProfileFailure', () => {
  it('names the source profile a role profile points to when that one is missing', () => {
    const error = new Error(
      'Could not resolve credentials using profile: [base] in configuration/credentials file(s).',
    );
    expect(explainProfileFailure('deploy', error)).toBe(
      'profile "deploy" names profile "base", which is not in ~/.aws/config or ~/.aws/credentials',
    );
  });
});
