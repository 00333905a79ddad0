import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import {
  type AddressVerdict,
  classifyAddress,
  PROBE_PATHS,
  type PathResult,
  type ProbePath,
  CA_UNUSABLE_CODE,
  type UnusableCa,
  unusableCaOutcome,
  worstVerdict,
} from './classify.js';
import { anonymousGet, errorCode } from './anonymous-get.js';
import { caPemProblem } from './ca-pem.js';
import { isError } from '../model/errors.js';
import { type ProbeVerdict } from '../model/probe.js';

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

/**
 * One anonymous GET to one address, the TLS name being the host's. Never rejects. `trustNothing`:
 * every certificate is refused (its handshake fails before the request is sent).
 */
async function get(
  options: ProbeOptions,
  trustNothing: boolean,
  host: string,
  address: string,
  path: ProbePath,
): Promise<PathResult> {
  const { result } = await anonymousGet({
    tls: {
      ca: options.caPem ?? undefined,
      rejectUnauthorized: !options.insecure,
      servername: isIP(host) ? undefined : host,
      // Called once the chain verified: with trustNothing, against node's roots (no CA) or the
      // certificates node kept of a broken bundle, which must not count either.
      checkServerIdentity: (_name, cert) =>
        trustNothing
          ? Object.assign(new Error("the cluster's CA could not be used"), {
              code: CA_UNUSABLE_CODE,
            })
          : checkServerIdentity(host, cert),
    },
    address,
    port: Number(options.url.port || 443),
    path,
    hostHeader: options.url.host,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  return result;
}
