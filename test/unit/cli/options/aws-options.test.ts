import {
  parseEndpointUrl,
  resolveEndpoints,
  parseRegionList,
  resolveAwsConnection,
} from '../../../../src/cli/options/aws-options.js';
import { CliError } from '../../../../src/cli/cli-error.js';

const defaults = {
  concurrency: 10,
  'region-concurrency': 32,
  'max-attempts': 10,
  'request-timeout': 30,
};

describe('shared AWS flags', () => {
  it('splits, trims and de-duplicates --regions', () => {
    expect(parseRegionList(['us-east-1, eu-west-1', 'us-east-1'])).toEqual([
      'us-east-1',
      'eu-west-1',
    ]);
  });

  it('refuses malformed region names with exit 2, naming each', () => {
    const refusal = () => parseRegionList(['us-east-1,US-EAST-2,useast1']);
    expect(refusal).toThrow(CliError);
    expect(refusal).toThrow('"US-EAST-2", "useast1"');
  });

  it('refuses an empty --regions', () => {
    expect(() => parseRegionList([' , '])).toThrow('at least one region');
  });

  it('accepts http and https endpoints only', () => {
    expect(parseEndpointUrl('http://127.0.0.1:4566')).toBe('http://127.0.0.1:4566');
    expect(() => parseEndpointUrl('ftp://example.com')).toThrow('http:// or https://');
    expect(() => parseEndpointUrl('localhost:4566')).toThrow(CliError);
  });

  it('falls back to AWS_PROFILE and AWS_ENDPOINT_URL, flags first', () => {
    const env = { AWS_PROFILE: 'audit', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' };
    expect(resolveAwsConnection(defaults, env)).toMatchObject({
      profile: 'audit',
      endpoints: { eks: 'http://127.0.0.1:1', ec2: 'http://127.0.0.1:1' },
      regions: undefined,
    });
    expect(
      resolveAwsConnection(
        { ...defaults, profile: 'prod', 'endpoint-url': 'http://127.0.0.1:2' },
        env,
      ),
    ).toMatchObject({
      profile: 'prod',
      endpoints: { eks: 'http://127.0.0.1:2', ec2: 'http://127.0.0.1:2' },
    });
  });

  it.each([
    ['concurrency', 0],
    ['concurrency', 1.5],
    ['max-attempts', 31],
    ['request-timeout', -1],
  ])('refuses --%s %s', (flag, value) => {
    expect(() => resolveAwsConnection({ ...defaults, [flag]: value }, {})).toThrow(
      `--${flag} must be a whole number`,
    );
  });

  it('quotes what was typed when a count is not a number', () => {
    expect(() =>
      resolveAwsConnection({ ...defaults, concurrency: 'abc' as unknown as number }, {}),
    ).toThrow('--concurrency must be a whole number from 1 to 200, got "abc".');
  });
});

describe('endpoints, as the SDK reads them', () => {
  const env = {
    AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    AWS_ENDPOINT_URL_EKS: 'http://127.0.0.1:2',
    AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:3',
    AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5',
    AWS_ENDPOINT_URL_ORGANIZATIONS: 'http://127.0.0.1:6',
  };

  it('a service’s own variable wins over AWS_ENDPOINT_URL', () => {
    expect(resolveEndpoints(undefined, env)).toEqual({
      eks: 'http://127.0.0.1:2',
      ec2: 'http://127.0.0.1:3',
      sts: 'http://127.0.0.1:5',
      organizations: 'http://127.0.0.1:6',
      securityhub: 'http://127.0.0.1:1',
    });
    expect(
      resolveEndpoints(undefined, {
        ...env,
        AWS_ENDPOINT_URL_EC2: undefined,
        AWS_ENDPOINT_URL_STS: undefined,
      }),
    ).toEqual({
      eks: 'http://127.0.0.1:2',
      ec2: 'http://127.0.0.1:1',
      sts: 'http://127.0.0.1:1',
      organizations: 'http://127.0.0.1:6',
      securityhub: 'http://127.0.0.1:1',
    });
  });

  it('--endpoint-url wins over every variable', () => {
    expect(resolveEndpoints('http://127.0.0.1:4', env)).toEqual({
      eks: 'http://127.0.0.1:4',
      ec2: 'http://127.0.0.1:4',
      sts: 'http://127.0.0.1:4',
      organizations: 'http://127.0.0.1:4',
      securityhub: 'http://127.0.0.1:4',
    });
  });

  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns the variables off, not the flag', () => {
    const ignoring = { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
    expect(resolveEndpoints(undefined, ignoring)).toEqual({
      eks: undefined,
      ec2: undefined,
      sts: undefined,
      organizations: undefined,
      securityhub: undefined,
    });
    expect(resolveEndpoints('http://127.0.0.1:4', ignoring).eks).toBe('http://127.0.0.1:4');
  });

  it('names the variable a malformed URL came from', () => {
    expect(() => resolveEndpoints(undefined, { AWS_ENDPOINT_URL_EKS: 'localhost:4566' })).toThrow(
      'AWS_ENDPOINT_URL_EKS "localhost:4566" must start with http:// or https://',
    );
  });
});
