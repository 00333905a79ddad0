import {
  parseEndpointUrl,
  parseRegionList,
  resolveAwsConnection,
} from '../../../src/cli/aws-options.js';
import { CliError } from '../../../src/cli/cli-error.js';

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
      endpoint: 'http://127.0.0.1:1',
      regions: undefined,
    });
    expect(
      resolveAwsConnection(
        { ...defaults, profile: 'prod', 'endpoint-url': 'http://127.0.0.1:2' },
        env,
      ),
    ).toMatchObject({
      profile: 'prod',
      endpoint: 'http://127.0.0.1:2',
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
});
