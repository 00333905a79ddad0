import type { Options } from 'yargs';
import { REGION_NAME_PATTERN } from '../../model/aws-names.js';
import type { ServiceEndpoints } from '../../aws/caller.js';
import { CliError } from '../cli-error.js';

/**
 * A flag that counts something. Declared without yargs' `type: 'number'`, which turns `abc` into
 * NaN before we see it: yargs still reads digits as a number, and text stays text, so the refusal
 * can quote what was typed.
 */
export function countFlag(describe: string, defaultValue: number) {
  return { default: defaultValue, requiresArg: true, describe } as const satisfies Options;
}

/** Flags every command that calls AWS shares. */
export const awsAccessOptions = {
  profile: {
    type: 'string',
    describe: 'AWS profile to use (default: AWS_PROFILE, else the default credential chain)',
  },
  'endpoint-url': {
    type: 'string',
    describe:
      'Send every AWS call (EKS, EC2, STS, Organizations) to this URL, signed for its own region (default: AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL)',
  },
  'max-attempts': countFlag(
    'Attempts per AWS call, first try included (throttling and 5xx are retried with backoff)',
    10,
  ),
  'request-timeout': countFlag('Seconds before one AWS call is abandoned and retried', 30),
} as const satisfies Record<string, Options>;

/** Flags of the commands that scan the account (audit, remediate). */
export const awsConnectionOptions = {
  ...awsAccessOptions,
  regions: {
    type: 'string',
    array: true,
    describe:
      'Only these regions, comma-separated or repeated (default: every region enabled for the account)',
  },
  concurrency: countFlag('DescribeCluster calls in flight per region', 10),
  'region-concurrency': countFlag('Regions scanned at once, across all accounts', 64),
} as const satisfies Record<string, Options>;

export interface AwsAccessArgs {
  readonly profile?: string | undefined;
  readonly 'endpoint-url'?: string | undefined;
  readonly 'max-attempts': number;
  readonly 'request-timeout': number;
}

export interface AwsConnectionArgs extends AwsAccessArgs {
  readonly regions?: readonly string[] | undefined;
  readonly concurrency: number;
  readonly 'region-concurrency': number;
}

export interface AwsAccess {
  readonly profile: string | undefined;
  readonly endpoints: ServiceEndpoints;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
}

export interface AwsConnection extends AwsAccess {
  readonly regions: readonly string[] | undefined;
  readonly concurrency: number;
  readonly regionConcurrency: number;
}

export function wholeNumber(flag: string, value: number | string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    const got = typeof value === 'number' ? String(value) : `"${value}"`;
    throw new CliError(`--${flag} must be a whole number from 1 to ${max}, got ${got}.`);
  }
  return value;
}

/** A region flag's values, comma-separated or repeated, each once, in the order given. */
export const regionNamesOf = (values: readonly string[]): string[] => [
  ...new Set(
    values
      .flatMap((v) => String(v).split(','))
      .map((v) => v.trim())
      .filter(Boolean),
  ),
];

export function parseRegionList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const names = regionNamesOf(values);
  if (names.length === 0)
    throw new CliError(
      '--regions needs at least one region name, e.g. --regions us-east-1,eu-west-1.',
    );
  const malformed = names.filter((name) => !REGION_NAME_PATTERN.test(name));
  if (malformed.length > 0) {
    throw new CliError(
      `unknown region ${malformed.map((m) => `"${m}"`).join(', ')}: region names look like us-east-1 or eu-west-2.`,
    );
  }
  return names;
}

export function parseEndpointUrl(
  value: string | undefined,
  source = '--endpoint-url',
): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${source} "${value}" is not a URL; give one like http://127.0.0.1:4566.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${source} "${value}" must start with http:// or https://.`);
  }
  return value;
}

/**
 * As the SDK reads them: --endpoint-url for every service, else AWS_ENDPOINT_URL_<SERVICE>, else
 * AWS_ENDPOINT_URL; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns the variables off.
 */
export function resolveEndpoints(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ServiceEndpoints {
  const fromFlag = parseEndpointUrl(flag);
  const ignoreEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const forService = (variable: string) => {
    if (fromFlag !== undefined) return fromFlag;
    if (ignoreEnv) return undefined;
    const own = env[variable];
    return own
      ? parseEndpointUrl(own, variable)
      : parseEndpointUrl(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL');
  };
  return {
    eks: forService('AWS_ENDPOINT_URL_EKS'),
    ec2: forService('AWS_ENDPOINT_URL_EC2'),
    sts: forService('AWS_ENDPOINT_URL_STS'),
    organizations: forService('AWS_ENDPOINT_URL_ORGANIZATIONS'),
    securityhub: forService('AWS_ENDPOINT_URL_SECURITYHUB'),
  };
}

/** Validates the access flags, before any credential or network is touched. */
export function resolveAwsAccess(
  args: AwsAccessArgs,
  env: Readonly<Record<string, string | undefined>>,
): AwsAccess {
  return {
    profile: args.profile ?? env.AWS_PROFILE,
    endpoints: resolveEndpoints(args['endpoint-url'], env),
    maxAttempts: wholeNumber('max-attempts', args['max-attempts'], 30),
    requestTimeoutMs: wholeNumber('request-timeout', args['request-timeout'], 600) * 1000,
  };
}

/** Validates the shared scan flags, before any credential or network is touched. */
export function resolveAwsConnection(
  args: AwsConnectionArgs,
  env: Readonly<Record<string, string | undefined>>,
): AwsConnection {
  return {
    ...resolveAwsAccess(args, env),
    regions: parseRegionList(args.regions),
    concurrency: wholeNumber('concurrency', args.concurrency, 200),
    regionConcurrency: wholeNumber('region-concurrency', args['region-concurrency'], 100),
  };
}
