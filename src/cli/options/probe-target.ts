import { readFileSync } from 'node:fs';
import { firstLine, toErrorInfo } from '../../model/errors.js';
import { caPemProblem } from '../../probe/ca-pem.js';
import type { ProbeTarget } from '../../app/probe-endpoint.js';
import { CliError } from '../cli-error.js';

export interface UrlTargetArgs {
  readonly url?: string;
  readonly cluster?: string;
  readonly 'ca-file'?: string;
  readonly insecure?: boolean;
}

/** Pure but for reading the CA file: the URL and trust the flags name, or a CliError. */
export function urlTarget(args: UrlTargetArgs): ProbeTarget {
  if (args.cluster !== undefined) {
    throw new CliError('give either a URL or --cluster NAME, not both');
  }
  let url: URL;
  try {
    url = new URL(args.url ?? '');
  } catch {
    throw new CliError(`"${args.url}" is not a URL: give the API server as https://host[:port]`);
  }
  // Not echoed: the URL holds a secret. Credentials would never be sent (the probe is anonymous).
  if (url.username !== '' || url.password !== '') {
    throw new CliError(
      'the URL carries a user name or password; the probe is anonymous: give the API server as https://host[:port]',
    );
  }
  // A path, query or fragment would be dropped: refused rather than silently ignored.
  const onlyOrigin =
    (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '';
  if (url.protocol !== 'https:' || !onlyOrigin) {
    throw new CliError(`"${args.url}" is not an API server URL: give it as https://host[:port]`);
  }
  const caFile = args['ca-file'];
  if (caFile !== undefined && args.insecure) {
    throw new CliError('--insecure is only for a URL without a CA: drop --insecure or --ca-file');
  }
  if (caFile === undefined) {
    if (!args.insecure) {
      throw new CliError(
        'a URL needs --ca-file FILE (the PEM the certificate must chain to), or --insecure to skip verification',
      );
    }
    return { url, caPem: null, insecure: true };
  }
  return { url, caPem: readCaFile(caFile), insecure: false };
}

/** The PEM in --ca-file, or a CliError saying why it cannot be the CA. */
export function readCaFile(caFile: string): string {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new CliError(
      `--ca-file ${caFile} cannot be read: ${firstLine(toErrorInfo(error).message)}`,
    );
  }
  const problem = caPemProblem(pem);
  if (problem !== null) {
    throw new CliError(`--ca-file ${caFile} is not a usable PEM certificate: ${problem}`);
  }
  return pem;
}
