import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { isObject } from '../model/json-shape.js';
import {
  type AddressVerdict,
  classifyAddress,
  failureKindOf,
  PROBE_PATHS,
  type PathResult,
  type ProbePath,
  CA_UNUSABLE_CODE,
  INTERRUPTED_CODE,
  type UnusableCa,
  unusableCaOutcome,
  worstVerdict,
} from './classify.js';
import { caPemProblem } from './ca-pem.js';
import { isError } from '../model/errors.js';
import { type ProbeVerdict } from '../model/probe.js';

/** The most of a body a probe reads: enough for a /version or a Status answer. */
const MAX_BODY_BYTES = 8 * 1024;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export type Resolver = (host: string) => Promise<readonly ResolvedAddress[]>;

/**
 * Every IPv4 and IPv6 address the system resolver gives for the host (a dual-stack endpoint has
 * both). getaddrinfo, so /etc/hosts counts; it cannot be cancelled: the prober bounds the wait.
 */
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
  readonly resolve?: Resolver | undefined;
  /**
   * Ends the requests in flight at once and starts no other; the probe then comes back marked
   * `interrupted`, with what it saw until then.
   */
  readonly signal?: AbortSignal | undefined;
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
  /** Set when the host name did not resolve: the resolver's code, "timeout" or "interrupted". */
  readonly resolveError: string | null;
  readonly addresses: readonly AddressProbe[];
  /**
   * True when the signal aborted the probe before it finished: the verdict then reflects only
   * what answered before, and "not-reachable" proves nothing. (Absent in probes built by hand.)
   */
  readonly interrupted?: boolean;
}

/**
 * Probes one API server: each address it resolves to, each of PROBE_PATHS, anonymously. Without a
 * usable CA (none, or one Node cannot parse) it still connects, to tell which addresses answer, but
 * trusts no certificate, so no request goes out; the endpoint is then tls-mismatch, saying why.
 */
export async function probeEndpoint(options: ProbeOptions): Promise<EndpointProbe> {
  const unusableCa = options.insecure ? null : unusableCaOf(options.caPem);
  const observed = await observe(options, unusableCa);
  const judged =
    unusableCa === null
      ? observed
      : {
          ...observed,
          ...unusableCaOutcome(unusableCa, observed.addresses, observed.resolveError),
        };
  if (options.signal?.aborted !== true) return { ...judged, interrupted: false };
  const seen =
    judged.verdict === 'not-reachable'
      ? 'nothing answered until then, so whether it is reachable is unknown.'
      : `seen until then: ${judged.summary}`;
  return {
    ...judged,
    interrupted: true,
    summary: `Interrupted before the probe finished: ${seen}`,
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
      : await resolveWithin(options.resolve ?? systemResolver, host, options);
  } catch (error) {
    const reason = errorCode(error);
    return {
      endpoint,
      host,
      insecure: options.insecure,
      verdict: 'not-reachable',
      summary:
        reason === RESOLVE_TIMEOUT
          ? `Not reachable from here: ${host} could not be resolved within ${options.timeoutMs} ms.`
          : `Not reachable from here: ${host} does not resolve (${reason}).`,
      gitVersion: null,
      resolveError: reason,
      addresses: [],
    };
  }
  const probes = await Promise.all(
    addresses.map(async (a) => {
      // One request per path and address at once: at most 3 sockets per address, 6 dual-stack.
      const results = await Promise.all(
        PROBE_PATHS.map((path) => get(options, unusableCa !== null, host, a.address, path)),
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

const RESOLVE_TIMEOUT = 'timeout';
const RESOLVE_INTERRUPTED = 'interrupted';

const codedError = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * The resolver's answer, or a rejection once the probe's timeout passed (code "timeout") or its
 * signal aborted (code "interrupted"): a dead DNS server must not hold the probe for getaddrinfo's
 * own 10-30 s. The lookup itself cannot be cancelled; its late answer is dropped.
 */
function resolveWithin(
  resolve: Resolver,
  host: string,
  { timeoutMs, signal }: Pick<ProbeOptions, 'timeoutMs' | 'signal'>,
): Promise<readonly ResolvedAddress[]> {
  return new Promise((fulfil, reject) => {
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      settle();
      reject(isError(error) ? error : codedError(String(error), String(error)));
    };
    const onAbort = () => fail(codedError(RESOLVE_INTERRUPTED, 'the probe was interrupted'));
    const timer = setTimeout(
      () => fail(codedError(RESOLVE_TIMEOUT, `${host} did not resolve within ${timeoutMs} ms`)),
      timeoutMs,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    resolve(host).then((found) => {
      settle();
      fulfil(found);
    }, fail);
  });
}

function unusableCaOf(caPem: string | null): UnusableCa | null {
  if (caPem === null) return { kind: 'absent' };
  const problem = caPemProblem(caPem);
  return problem === null ? null : { kind: 'unparseable', problem };
}

function errorCode(error: unknown): string {
  if (isObject(error) && typeof error.code === 'string') return error.code;
  return isError(error) ? error.name : String(error);
}

/**
 * One anonymous GET to one address, the TLS name being the host's. Never rejects. `trustNothing`:
 * every certificate is refused (its handshake fails before the request is sent). What failed after
 * the TLS handshake or after the status line still counts as an answer: a server that trickles its
 * body, or never answers the request, is there all the same.
 */
function get(
  options: ProbeOptions,
  trustNothing: boolean,
  host: string,
  address: string,
  path: ProbePath,
): Promise<PathResult> {
  if (options.signal?.aborted) {
    return Promise.resolve(unanswered(path, INTERRUPTED_CODE, 'the probe was interrupted', false));
  }
  return new Promise((resolve) => {
    let settled = false;
    let handshake = false;
    let response: { readonly status: number; readonly chunks: Buffer[] } | null = null;
    const settle = (result: PathResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve(result);
    };
    const answered = (status: number, chunks: readonly Buffer[], cutShort?: string) =>
      settle({
        path,
        answered: true,
        status,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(cutShort === undefined ? {} : { cutShort }),
      });
    const failed = (code: string, message: string) =>
      response === null
        ? settle(unanswered(path, code, message, handshake))
        : answered(response.status, response.chunks, code);
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
        signal: options.signal,
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
      failed(errorCode(error), isError(error) ? error.message : String(error));
      return;
    }
    // Emitted only once the certificate chain and the host name verified (or with --insecure).
    req.on('socket', (socket) => socket.once('secureConnect', () => (handshake = true)));
    req.on('error', (error) => failed(errorCode(error), error.message));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      const status = res.statusCode ?? 0;
      response = { status, chunks };
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) answered(status, chunks);
      });
      res.on('end', () => answered(status, chunks));
      res.on('error', (error) => failed(errorCode(error), error.message));
      // A connection closed mid-body without an error event still leaves the answer incomplete.
      res.on('close', () => failed('ECONNRESET', 'the connection closed before the body ended'));
    });
    req.end();
  });
}

function unanswered(
  path: ProbePath,
  code: string,
  message: string,
  handshake: boolean,
): PathResult {
  return {
    path,
    answered: false,
    failure: failureKindOf(code),
    code,
    message,
    ...(handshake ? { handshake } : {}),
  };
}
