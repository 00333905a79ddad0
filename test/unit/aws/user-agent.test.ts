import { formatSection, userAgentHeaders } from '../../../src/aws/user-agent.js';

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

  it('ends with app/eksposure and keeps only the SDK section in x-amz-user-agent', () => {
    const headers = userAgentHeaders(
      [
        ['aws-sdk-js', '3.1'],
        ['api/EKS', '3.1'],
      ],
      'eksposure',
    );
    expect(headers).toEqual({
      'user-agent': 'aws-sdk-js/3.1 api/eks#3.1 app/eksposure',
      'x-amz-user-agent': 'aws-sdk-js/3.1',
    });
  });
});
