import {
  fixedUserAgent,
  formatSection,
  userAgentHeaders,
  userAgentSections,
} from '../../../src/aws/user-agent.js';

describe('the User-Agent eksposure sends', () => {
  it('formats each section as the SDK does: name/version, prefix/name#version, api names lower-cased', () => {
    expect(formatSection(['aws-sdk-js', '3.1169.0'])).toBe('aws-sdk-js/3.1169.0');
    expect(formatSection(['ua', '2.1'])).toBe('ua/2.1');
    expect(formatSection(['os/linux', '6.1.0-13-amd64'])).toBe('os/linux#6.1.0-13-amd64');
    expect(formatSection(['lang/js'])).toBe('lang/js');
    expect(formatSection(['api/EKS', '3.1169.0'])).toBe('api/eks#3.1169.0');
    expect(formatSection(['exec-env/AWS_ECS_FARGATE'])).toBe('exec-env/AWS_ECS_FARGATE');
  });

  it('escapes what a header may not carry, as the SDK does', () => {
    expect(formatSection(['os/linux', '5.10 (custom)'])).toBe('os/linux#5.10--custom-');
    expect(formatSection(['md/node js', '20'])).toBe('md/node-js#20');
  });

  it('keeps the SDK section alone in x-amz-user-agent', () => {
    expect(
      userAgentHeaders([['aws-sdk-js', '3.1'], ['api/EKS', '3.1'], ['lib/eksposure']]),
    ).toEqual({
      'user-agent': 'aws-sdk-js/3.1 api/eks#3.1 lib/eksposure',
      'x-amz-user-agent': 'aws-sdk-js/3.1',
    });
  });

  it("keeps the user's own app id, as the SDK adds it, before eksposure's section", async () => {
    const config = {
      defaultUserAgentProvider: () => Promise.resolve([['aws-sdk-js', '3.1']] as const),
      userAgentAppId: () => Promise.resolve('team-audit'),
    };
    expect(await userAgentSections(config)).toEqual([
      ['aws-sdk-js', '3.1'],
      ['app/team-audit'],
      ['lib/eksposure'],
    ]);
    expect(
      await userAgentSections({ ...config, userAgentAppId: () => Promise.resolve(undefined) }),
    ).toEqual([['aws-sdk-js', '3.1'], ['lib/eksposure']]);
  });

  it('builds the headers again on the next call when building them failed once', async () => {
    let tries = 0;
    const middleware = fixedUserAgent(() => {
      tries += 1;
      return tries === 1
        ? Promise.reject(new Error('no OS name'))
        : Promise.resolve([['aws-sdk-js', '3.1']] as const);
    });
    const send = middleware((args: { request: { headers: Record<string, string> } }) =>
      Promise.resolve(args.request.headers['user-agent']),
    );
    await expect(send({ request: { headers: {} } })).rejects.toThrow('no OS name');
    expect(await send({ request: { headers: {} } })).toBe('aws-sdk-js/3.1');
    expect(tries).toBe(2);
  });
});
