import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../../../../src/cli/cli-error.js';
import { type UrlTargetArgs, urlTarget } from '../../../../src/cli/options/probe-target.js';
import { makeTestPki } from '../../../support/kube-tls.js';
import { tempDir } from '../../../support/remediation.js';

const pki = makeTestPki();
const dir = tempDir();
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const caFile = file('ca.pem', pki.ca.cert);
const notPem = file('not.pem', 'hello\n');
const brokenPem = file(
  'broken.pem',
  '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n',
);
const aDirectory = join(dir, 'a-directory');
mkdirSync(aDirectory);

/** The one line (exit 2) urlTarget refuses these flags with. */
function refusal(args: UrlTargetArgs): string {
  try {
    urlTarget(args);
  } catch (error) {
    if (error instanceof CliError && error.exitCode === 2) return error.message;
    throw error;
  }
  throw new Error(`expected a refusal of ${JSON.stringify(args)}`);
}

describe('probe URL: the API server', () => {
  it.each([
    ['https://kube.example.test', 'kube.example.test', ''],
    ['https://kube.example.test/', 'kube.example.test', ''],
    ['https://kube.example.test:6443', 'kube.example.test', '6443'],
    ['https://203.0.113.10:6443', '203.0.113.10', '6443'],
    ['https://[::1]:6443', '[::1]', '6443'],
  ])('takes %s', (url, hostname, port) => {
    const target = urlTarget({ url, 'ca-file': caFile });
    expect([target.url.hostname, target.url.port]).toEqual([hostname, port]);
  });

  it.each([
    'http://kube.example.test',
    'https://kube.example.test/api',
    'https://kube.example.test:6443/version',
    'https://kube.example.test/?watch=1',
    'https://kube.example.test/#x',
    'kube.example.test:6443',
  ])('refuses %s: only https://host[:port] is an API server to probe', (url) => {
    expect(refusal({ url, 'ca-file': caFile })).toBe(
      `"${url}" is not an API server URL: give it as https://host[:port]`,
    );
  });

  it.each(['not a url', 'https://', ''])('refuses %j as no URL', (url) => {
    expect(refusal({ url, insecure: true })).toBe(
      `"${url}" is not a URL: give the API server as https://host[:port]`,
    );
  });

  it('refuses a URL with credentials, without repeating them', () => {
    const line = refusal({ url: 'https://admin:s3cret@kube.example.test', 'ca-file': caFile });
    expect(line).toContain('the URL carries a user name or password; the probe is anonymous');
    expect(line).not.toContain('s3cret');
  });

  it('refuses a URL together with --cluster', () => {
    expect(refusal({ url: 'https://kube.example.test', cluster: 'prod', insecure: true })).toBe(
      'give either a URL or --cluster NAME, not both',
    );
  });
});

describe('probe URL: what the certificate must chain to', () => {
  it('verifies against the --ca-file PEM', () => {
    expect(urlTarget({ url: 'https://kube.example.test', 'ca-file': caFile })).toMatchObject({
      caPem: pki.ca.cert,
      insecure: false,
    });
  });

  it('with --insecure and no CA, verifies nothing and says so', () => {
    expect(urlTarget({ url: 'https://kube.example.test', insecure: true })).toMatchObject({
      caPem: null,
      insecure: true,
    });
  });

  it('refuses --insecure with a CA, and a URL with neither', () => {
    const url = 'https://kube.example.test';
    expect(refusal({ url, 'ca-file': caFile, insecure: true })).toBe(
      '--insecure is only for a URL without a CA: drop --insecure or --ca-file',
    );
    expect(refusal({ url })).toMatch(/^a URL needs --ca-file FILE .* or --insecure/);
  });

  it.each([
    [join(dir, 'missing.pem'), /cannot be read: .*ENOENT/],
    [aDirectory, /cannot be read: .*EISDIR/],
    [notPem, /is not a usable PEM certificate: no -----BEGIN CERTIFICATE----- block$/],
    [brokenPem, /is not a usable PEM certificate: the certificate cannot be parsed \(/],
  ])('refuses --ca-file %s in one line', (path, message) => {
    const line = refusal({ url: 'https://kube.example.test', 'ca-file': path });
    expect(line).toMatch(new RegExp(`^--ca-file ${path} `));
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
  });
});
