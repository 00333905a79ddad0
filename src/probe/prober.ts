import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import pLimit from 'p-limit';
import { isObject } from '../json-shape.js';
import {
  type AddressVerdict,
  classifyAddress,
  failureKindOf,
  PROBE_PATHS,
  type PathResult,
  type ProbePath,
  type ProbeVerdict,
  CA_UNUSABLE_CODE,
  type UnusableCa,
  unusableCaOutcome,
  worstVerdict,
} from './classify.js';
import { caPemProblem } from './ca-pem.js';

/** The most of a body a probe reads: enough for a /version or a Status answer. */
const MAX_BODY_BYTES = 8 * 1024;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export type Resolver = (host: string) => Promise<readonly ResolvedAddress[]>;

/** Every IPv4 and IPv6 address the system resolver gives for the host (a dual-stack endpoint has both). */
export const systemResolver: Resolver = async (host) => {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export interface ProbeOptions {
  /** https://host[:port] of the API server. */
  readonly url: URL;
  /**
   * PEM of the CA the server's certificate must chain to. Without `insecure`, a CA that is null or
   * that Node cannot parse trusts no certificate at all (not node's own roots): see probeEndpoint.
   */
  readonly caPem: string | null;
  /** Skip certificate verification (probe URL without a CA only); the result says so. */
  readonly insecure: boolean;
  /** Bound on each request, from sending it to its last byte. */
  readonly timeoutMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly resolve?: Resolver;
}

export interface AddressProbe extends AddressVerdict {
  readonly address: string;
  readonly family: 4 | 6;
  readonly results: readonly PathResult[];
}

export interface EndpointProbe {
  readonly endpoint: string;
  readonly host: string;
  /** True when the certificate was not verified (--insecure): nothing below is proof of identity. */
  readonly insecure: boolean;
  /**
   * The most exposed address's verdict; not-reachable when the name did not resolve; tls-mismatch,
   * whatever the addresses did, when the CA was unusable.
   */
  readonly verdict: ProbeVerdict;
  readonly summary: string;
  readonly gitVersion: string | null;
  /** Set when the host name did not resolve. */
  readonly resolveError: string | null;
  readonly addresses: readonly AddressProbe[];
}

/**
 * Probes one API server: each address it resolves to, each of PROBE_PATHS, anonymously. Without a
 * usable CA (none, or one Node cannot parse) it still connects, to tell which addresses answer, but
 * trusts no certificate, so no request goes out; the endpoint is then tls-mismatch, saying why.
 */
export async function probeEndpoint(options: ProbeOptions): Promise<EndpointProbe> {
  const unusableCa = options.insecure ? null : unusableCaOf(options.caPem);
  const observed = await observe(options, unusableCa);
  if (unusableCa === null) return observed;
  return {
    ...observed,
    ...unusableCaOutcome(unusableCa, observed.addresses, observed.resolveError),
  };
}

async function observe(
  options: ProbeOptions,
  unusableCa: UnusableCa | null,
): Promise<EndpointProbe> {
  const host = options.url.hostname.replace(/^\[|\]$/g, '');
  const endpoint = options.url.origin;
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) === 6 ? 6 : 4 }]
      : await (options.resolve ?? systemResolver)(host);
  } catch (error) {
    const reason = errorCode(error);
    return {
      endpoint,
      host,
      insecure: options.insecure,
      verdict: 'not-reachable',
      summary: `Not reachable from here: ${host} does not resolve (${reason}).`,
      gitVersion: null,
      resolveError: reason,
      addresses: [],
    };
  }
  const limit = pLimit(options.concurrency);
  const probes = await Promise.all(
    addresses.map(async (a) => {
      const results = await Promise.all(
        PROBE_PATHS.map((path) =>
          limit(() => get(options, unusableCa !== null, host, a.address, path)),
        ),
      );
      return { ...a, ...classifyAddress(results, unusableCa), results };
    }),
  );
  const verdict = probes.length ? worstVerdict(probes.map((p) => p.verdict)) : 'not-reachable';
  const worst = probes.find((p) => p.verdict === verdict);
  return {
    endpoint,
    host,
    insecure: options.insecure,
    verdict,
    summary: worst?.summary ?? `Not reachable from here: ${host} resolves to no address.`,
    gitVersion: probes.find((p) => p.gitVersion !== null)?.gitVersion ?? null,
    resolveError: null,
    addresses: probes,
  };
}

function unusableCaOf(caPem: string | null): UnusableCa | null {
  if (caPem === null) return { kind: 'absent' };
  const problem = caPemProblem(caPem);
  return problem === null ? null : { kind: 'unparseable', problem };
}

function errorCode(error: unknown): string {
  if (isObject(error) && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : String(error);
}

/**
 * One anonymous GET to one address, the TLS name being the host's. Never rejects. `trustNothing`:
 * every certificate is refused (its handshake fails before the request is sent).
 */
function get(
  options: ProbeOptions,
  trustNothing: boolean,
  host: string,
  address: string,
  path: ProbePath,
): Promise<PathResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PathResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(result);
    };
    const failed = (code: string, message: string) =>
      finish({ path, answered: false, failure: failureKindOf(code), code, message });
    let req: ReturnType<typeof request> | undefined;
    const timer = setTimeout(
      () => failed('timeout', `no complete answer within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    try {
      req = request({
        host: address,
        port: options.url.port || 443,
        path,
        method: 'GET',
        agent: false,
        // No Authorization, no client certificate, no cookies: the probe is anonymous by construction.
        headers: {
          Host: options.url.host,
          Accept: 'application/json',
          'User-Agent': 'eksposure-probe',
        },
        ...(isIP(host) ? {} : { servername: host }),
        ca: options.caPem ?? undefined,
        rejectUnauthorized: !options.insecure,
        // Called once the chain verified: with trustNothing, against node's roots (no CA) or the
        // certificates node kept of a broken bundle, which must not count either.
        checkServerIdentity: (_name, cert) =>
          trustNothing
            ? Object.assign(new Error("the cluster's CA could not be used"), {
                code: CA_UNUSABLE_CODE,
              })
            : checkServerIdentity(host, cert),
      });
    } catch (error) {
      // Options node refuses before connecting (a CA it cannot parse never gets here: see caPemProblem).
      failed(errorCode(error), error instanceof Error ? error.message : String(error));
      return;
    }
    req.on('error', (error) => failed(errorCode(error), error.message));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        finish({
          path,
          answered: true,
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) done();
      });
      res.on('end', done);
      res.on('error', (error) => failed(errorCode(error), error.message));
    });
    req.end();
  });
}
