/**
 * One anonymous GET, bounded in time and in body size, that never rejects: what the API-server
 * prober and the kubelet prober share. No Authorization, no client certificate, no cookies: the
 * request is anonymous by construction, whatever the caller passes.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { isObject } from '../model/json-shape.js';
import { isError } from '../model/errors.js';
import { failureKindOf, INTERRUPTED_CODE, type PathResult } from './classify.js';

/** The most of a body a probe reads: enough for a /version, a Status answer or a pod list's start. */
export const MAX_BODY_BYTES = 8 * 1024;

export interface TlsChoice {
  /** PEM the certificate must chain to; undefined: node's own roots. */
  readonly ca: string | undefined;
  /** False: complete the handshake whatever the certificate, and report whether it verified. */
  readonly rejectUnauthorized: boolean;
  readonly servername?: string | undefined;
  /** Called once the chain verified; returns an error to refuse the certificate. */
  readonly checkServerIdentity?: (name: string, cert: PeerCertificate) => Error | undefined;
}

export interface AnonymousGet<P extends string> {
  /** HTTPS with `tls`; plain HTTP without. */
  readonly tls: TlsChoice | null;
  /** The IP address to connect to. */
  readonly address: string;
  readonly port: number;
  readonly path: P;
  /** The Host header (the API server's name, or the address and port). */
  readonly hostHeader: string;
  /** Bound on the request, from sending it to its last byte. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** What the connection itself showed, apart from the HTTP answer. */
export interface ConnectionSeen {
  /** The TCP connection was accepted. */
  readonly connected: boolean;
  /**
   * HTTPS: whether the certificate verified against `ca` and `checkServerIdentity` (node's own
   * check when `rejectUnauthorized` is false), and why not; null without a TLS handshake.
   */
  readonly tls: { readonly authorized: boolean; readonly error: string | null } | null;
}

export interface AnonymousAnswer<P extends string> {
  readonly result: PathResult<P>;
  readonly seen: ConnectionSeen;
}

export function errorCode(error: unknown): string {
  if (isObject(error) && typeof error.code === 'string') return error.code;
  return isError(error) ? error.name : String(error);
}

/**
 * Sends one anonymous GET. What failed after the TLS handshake or after the status line still
 * counts as an answer (`handshake`, or a status with `cutShort`): a server that trickles its body,
 * or never answers the request, is there all the same. A body is read up to MAX_BODY_BYTES.
 */
export function anonymousGet<P extends string>(get: AnonymousGet<P>): Promise<AnonymousAnswer<P>> {
  const { path } = get;
  const notConnected: ConnectionSeen = { connected: false, tls: null };
  if (get.signal?.aborted) {
    return Promise.resolve({
      result: unanswered(path, INTERRUPTED_CODE, 'the probe was interrupted', false),
      seen: notConnected,
    });
  }
  return new Promise((resolve) => {
    let settled = false;
    let handshake = false;
    let seen = notConnected;
    let response: { readonly status: number; readonly chunks: Buffer[] } | null = null;
    const settle = (result: PathResult<P>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      resolve({ result, seen });
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
    let req: ReturnType<typeof httpsRequest> | undefined;
    const timer = setTimeout(
      () => failed('timeout', `no complete answer within ${get.timeoutMs} ms`),
      get.timeoutMs,
    );
    const common = {
      host: get.address,
      port: get.port,
      path,
      method: 'GET',
      agent: false as const,
      signal: get.signal,
      // No Authorization, no client certificate, no cookies: the probe is anonymous by construction.
      headers: {
        Host: get.hostHeader,
        Accept: 'application/json',
        'User-Agent': 'eksposure-probe',
      },
    };
    const { tls } = get;
    try {
      req =
        tls === null
          ? httpRequest(common)
          : httpsRequest({
              ...common,
              ...(tls.servername === undefined ? {} : { servername: tls.servername }),
              ca: tls.ca,
              rejectUnauthorized: tls.rejectUnauthorized,
              ...(tls.checkServerIdentity === undefined
                ? {}
                : { checkServerIdentity: tls.checkServerIdentity }),
            });
    } catch (error) {
      // Options node refuses before connecting (a CA it cannot parse never gets here: see caPemProblem).
      failed(errorCode(error), isError(error) ? error.message : String(error));
      return;
    }
    req.on('socket', (socket) => {
      socket.once('connect', () => (seen = { ...seen, connected: true }));
      // Emitted once the certificate chain and the host name verified, or with
      // rejectUnauthorized false whatever they did (then `authorized` says).
      socket.once('secureConnect', () => {
        handshake = true;
        const secure = socket as TLSSocket;
        const error = secure.authorizationError as unknown;
        seen = {
          connected: true,
          tls: {
            authorized: secure.authorized,
            error: secure.authorized ? null : error === undefined ? 'unknown' : errorCode(error),
          },
        };
      });
    });
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

export function unanswered<P extends string>(
  path: P,
  code: string,
  message: string,
  handshake: boolean,
): PathResult<P> {
  return {
    path,
    answered: false,
    failure: failureKindOf(code),
    code,
    message,
    ...(handshake ? { handshake } : {}),
  };
}
