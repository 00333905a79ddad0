import { isObject } from '../model/json-shape.js';
import { PROBE_VERDICTS, type ProbeVerdict } from '../model/probe.js';

/** The only paths a probe requests: what an anonymous attacker tries first, and nothing that changes state. */
export const PROBE_PATHS = ['/version', '/healthz', '/api'] as const;
export type ProbePath = (typeof PROBE_PATHS)[number];

/**
 * Why a request got no HTTP answer. `tls`: the certificate was refused (wrong CA or wrong host
 * name); `not-tls`: something answered on the port, but not with TLS (plain HTTP, SSH, ...);
 * `interrupted`: the probe was aborted before an answer came.
 */
export type FailureKind = 'tls' | 'not-tls' | 'timeout' | 'network' | 'interrupted';

/** One anonymous GET, as the prober saw it: an HTTP answer, or the reason there was none. */
export type PathResult<P extends string = ProbePath> =
  | {
      readonly path: P;
      readonly answered: true;
      readonly status: number;
      /** The body's first bytes (a probe reads at most a few KiB). */
      readonly body: string;
      /**
       * Set when the body never completed: why (timeout, ECONNRESET, ...). The status and the
       * headers came, so the address answered; `body` is what came before.
       */
      readonly cutShort?: string;
    }
  | {
      readonly path: P;
      readonly answered: false;
      readonly failure: FailureKind;
      /** The error's code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...) or "timeout". */
      readonly code: string;
      readonly message: string;
      /**
       * The TLS handshake had completed (the certificate verified, unless --insecure) when the
       * request failed: the address answered, only not with HTTP in time.
       */
      readonly handshake?: boolean;
    };

export interface AddressVerdict {
  readonly verdict: ProbeVerdict;
  /** What `/version` leaked (its gitVersion), when it answered anonymously. */
  readonly gitVersion: string | null;
  /** The Kubernetes Status message `/api` refused an anonymous request with (or the status line). */
  readonly apiStatus: number | null;
  readonly apiMessage: string | null;
  /** One sentence a reader can act on. */
  readonly summary: string;
}

const TLS_CODE_PREFIXES = ['ERR_TLS_CERT', 'ERR_SSL_', 'ERR_OSSL_'];
/** OpenSSL's certificate verification errors, as node reports them. */
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
]);

/**
 * What node reports when the peer's first bytes are not a TLS record (an HTTP or SSH server, ...):
 * EPROTO "wrong version number" in node 20, OpenSSL's own codes in later versions.
 */
const NOT_TLS_CODES = new Set([
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_RECORD_LAYER_FAILURE',
]);

/** The prober's own code for a certificate refused because the cluster's CA was unusable. */
export const CA_UNUSABLE_CODE = 'CLUSTER_CA_UNUSABLE';

/** The code of a request the probe's AbortSignal ended (node's AbortError). */
export const INTERRUPTED_CODE = 'ABORT_ERR';

/** Pure: what kind of failure a socket error code stands for. */
export function failureKindOf(code: string): FailureKind {
  if (code === 'timeout') return 'timeout';
  if (code === INTERRUPTED_CODE) return 'interrupted';
  if (NOT_TLS_CODES.has(code)) return 'not-tls';
  if (code === CA_UNUSABLE_CODE || TLS_VERIFY_CODES.has(code)) return 'tls';
  if (TLS_CODE_PREFIXES.some((p) => code.startsWith(p))) return 'tls';
  return 'network';
}

/** The most of a server's text (a gitVersion, a Status message) a report repeats. */
export const MAX_SERVER_TEXT_CHARS = 200;

/**
 * Pure: text a server sent, made fit to print: without control characters (C0, DEL, C1: no
 * escape sequence reaches a terminal, no line is forged; whitespace ones become a space) nor
 * bidirectional overrides (which reorder what a reader sees), at most MAX_SERVER_TEXT_CHARS
 * characters, an ellipsis marking a cut.
 */
export function serverText(text: string): string {
  const printable = text
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ')
    .replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '');
  const chars = Array.from(printable);
  return chars.length <= MAX_SERVER_TEXT_CHARS
    ? printable
    : `${chars.slice(0, MAX_SERVER_TEXT_CHARS - 1).join('')}…`;
}

/** Pure: the gitVersion of a `/version` body (fit to print), or null when it is not one. */
export function gitVersionOf(body: string): string | null {
  const parsed = parseJson(body);
  return isObject(parsed) && typeof parsed.gitVersion === 'string'
    ? serverText(parsed.gitVersion)
    : null;
}

/** Pure: the message of a Kubernetes `Status` body (fit to print), or null when it is not one. */
export function statusMessageOf(body: string): string | null {
  const parsed = parseJson(body);
  return isObject(parsed) && parsed.kind === 'Status' && typeof parsed.message === 'string'
    ? serverText(parsed.message)
    : null;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined; // not JSON: the caller reports the body as "not a Kubernetes answer"
  }
}

/** Why a probe had no CA to verify the server with: none was given, or Node cannot parse it. */
export type UnusableCa =
  { readonly kind: 'absent' } | { readonly kind: 'unparseable'; readonly problem: string };

const unusableCaText = (ca: UnusableCa): string =>
  ca.kind === 'absent'
    ? 'the cluster gave no usable CA (certificateAuthority.data is absent or not a PEM certificate)'
    : `the cluster's CA could not be used: ${ca.problem}`;

/**
 * Pure: what one address's answers (or silence) mean. With `unusableCa`, the prober refused every
 * certificate, so an address either did not answer or answered TLS and was not trusted.
 */
export function classifyAddress(
  results: readonly PathResult[],
  unusableCa: UnusableCa | null = null,
): AddressVerdict {
  const byPath = (p: ProbePath) => results.find((r) => r.path === p);
  const none = { gitVersion: null, apiStatus: null, apiMessage: null };
  const tls = results.find((r) => !r.answered && r.failure === 'tls');
  if (tls && !tls.answered) {
    const why = unusableCa
      ? `, since ${unusableCaText(unusableCa)}`
      : ": it does not chain to the cluster's CA or does not match the host name";
    return {
      verdict: 'tls-mismatch',
      ...none,
      summary: `TLS certificate not trusted (${tls.code})${why}; answers were not read.`,
    };
  }
  const unanswered = results.flatMap((r) => (r.answered ? [] : [r]));
  if (unanswered.length === results.length) {
    const shook = unanswered.find((r) => r.handshake === true);
    if (shook) {
      return {
        verdict: 'reachable-unrecognized',
        ...none,
        summary: `Reachable: the TLS handshake completed, but no HTTP answer came (${shook.code}).`,
      };
    }
    const notTls = unanswered.find((r) => r.failure === 'not-tls');
    if (notTls) {
      return {
        verdict: 'reachable-unrecognized',
        ...none,
        summary: `Something answers here, but not with TLS (${notTls.code}): not a Kubernetes API server's answer.`,
      };
    }
    // No verdict says "unknown": the summary does, and the prober marks the probe interrupted.
    const interrupted = unanswered.some((r) => r.failure === 'interrupted');
    const why = unanswered[0]?.code ?? 'no request';
    return {
      verdict: 'not-reachable',
      ...none,
      summary: interrupted
        ? 'Interrupted before any answer came: whether it is reachable is unknown.'
        : `Not reachable from here (${why}).`,
    };
  }
  const version = byPath('/version');
  const gitVersion =
    version?.answered && version.status === 200 ? gitVersionOf(version.body) : null;
  const api = byPath('/api');
  const apiStatus = api?.answered ? api.status : null;
  const apiMessage = api?.answered ? (statusMessageOf(api.body) ?? null) : null;
  const found = { gitVersion, apiStatus, apiMessage };
  if (apiStatus === 200) {
    return {
      verdict: 'anonymous-api-access',
      ...found,
      summary:
        'Anonymous API access: /api answers 200 to a request without credentials ' +
        '(a role is bound to system:anonymous or system:unauthenticated).',
    };
  }
  const rejected = apiStatus === 401 || apiStatus === 403;
  const refusal = rejected
    ? ` /api refuses anonymous requests (${apiStatus}${apiMessage ? `: ${apiMessage}` : ''}).`
    : '';
  if (gitVersion !== null) {
    return {
      verdict: 'version-disclosed',
      ...found,
      summary: `Reachable; /version discloses ${gitVersion} to anonymous requests.${refusal}`,
    };
  }
  if (rejected) {
    return { verdict: 'anonymous-rejected', ...found, summary: `Reachable;${refusal}` };
  }
  const cutShort = results.flatMap((r) => (r.answered && r.cutShort ? [r] : []));
  const incomplete = cutShort.length
    ? ` Answers cut short: ${cutShort.map((r) => `${r.path} ${r.status} (${r.cutShort})`).join(', ')}.`
    : '';
  return {
    verdict: 'reachable-unrecognized',
    ...found,
    summary: `Reachable, but the answers are not a Kubernetes API server's (/api: ${apiStatus ?? 'no answer'}).${incomplete}`,
  };
}

/** Pure: the most exposed of several verdicts (an endpoint is as exposed as its most exposed address). */
export function worstVerdict(verdicts: readonly ProbeVerdict[]): ProbeVerdict {
  return verdicts.reduce<ProbeVerdict>(
    (worst, v) => (PROBE_VERDICTS.indexOf(v) > PROBE_VERDICTS.indexOf(worst) ? v : worst),
    'not-reachable',
  );
}

/** What the prober saw of one address without trusting it. */
export interface UntrustedAddress {
  readonly address: string;
  readonly results: readonly PathResult[];
}

/**
 * Pure: an endpoint probed without a usable CA is tls-mismatch whatever its addresses did (each
 * address keeps its own verdict: one that did not answer is still not-reachable, as `apply --probe`
 * needs). Never trusted, and never "not reachable": what the endpoint is stays unknown while its CA
 * is unusable. The summary says why, then what the connections did.
 */
export function unusableCaOutcome(
  unusableCa: UnusableCa,
  addresses: readonly UntrustedAddress[],
  resolveError: string | null,
): { readonly verdict: ProbeVerdict; readonly summary: string } {
  const failures = addresses.flatMap((a) =>
    a.results.flatMap((r) => (r.answered ? [] : [{ address: a.address, ...r }])),
  );
  const at = (kind: FailureKind) => [
    ...new Set(failures.filter((f) => f.failure === kind).map((f) => f.address)),
  ];
  const tlsAt = at('tls');
  const notTlsAt = at('not-tls');
  const codes = [...new Set(failures.map((f) => f.code))];
  const seen =
    resolveError !== null
      ? `the host name does not resolve (${resolveError})`
      : tlsAt.length > 0
        ? `TLS answered at ${tlsAt.join(', ')}, its certificate not trusted, so no request was sent`
        : notTlsAt.length > 0
          ? `something answers at ${notTlsAt.join(', ')}, but not with TLS`
          : addresses.length === 0
            ? 'the host name resolves to no address'
            : `no answer (${codes.join(', ')})`;
  return {
    verdict: 'tls-mismatch',
    summary: `TLS cannot be verified: ${unusableCaText(unusableCa)}, so nothing the endpoint answers can be trusted. Seen from here: ${seen}.`,
  };
}
