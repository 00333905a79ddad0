import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';

/**
 * The request handler under every AWS client eksposure builds, in place of the SDK's
 * NodeHttpHandler. It exists for two reasons:
 *
 * - Trust. One attempt is bounded from the moment it is sent to the last byte of the answer. The
 *   SDK's `requestTimeout` stops at the response headers, and a socket timeout measures only
 *   silence: a server that stalls after the headers or trickles its body defeats both. An attempt
 *   also ends when the clients are destroyed, or when the call's own abort signal fires, even
 *   while the body is still arriving. Because the handler carries this, the scan can send its
 *   calls without per-call options, and the SDK's cached middleware stack serves them.
 * - CPU. The answer is read whole here (AWS answers these APIs in a few kilobytes) and handed to
 *   the SDK as bytes, so no stream wrapper is built around it, and the per-attempt work is one
 *   timer and two set entries. NodeHttpHandler sets four timers and a socket-usage check per call.
 *
 * What it leaves out, because no call eksposure makes needs it: `Expect: 100-continue`, HTTP/2,
 * streaming answers, URL user info.
 */

/** The slice of the SDK's HttpRequest this handler reads (smithy's `HttpRequest`). */
export interface OutgoingRequest {
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number | undefined;
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | null | readonly string[]> | undefined;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** The shape of the SDK's HttpResponse (it is checked by shape, not by class). */
export interface IncomingAnswer {
  readonly statusCode: number;
  readonly reason?: string | undefined;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export interface AttemptBoundHandlerOptions {
  /** The most one attempt may take, from sending it to the last byte of the answer. */
  readonly requestTimeoutMs: number;
  /** The most opening a new connection may take. */
  readonly connectTimeoutMs: number;
  readonly maxSockets: number;
  /** Aborting it ends every attempt in flight and refuses new ones. */
  readonly lifetime: AbortSignal;
  /** Attempts waiting on each abort signal (shared by every handler of one set of clients). */
  readonly watch?: AbortWatch | undefined;
}

type Stop = (error: Error) => void;

function timeoutError(message: string): Error {
  // The SDK retries a TimeoutError like any transient failure, within maxAttempts.
  return Object.assign(new Error(message), { name: 'TimeoutError' });
}

export function abortError(): Error {
  return Object.assign(new Error('call abandoned before its answer (aborted)'), {
    name: 'AbortError',
  });
}

function cutOffError(): Error {
  // ECONNRESET: the SDK's retry treats it as transient, as it does a reset connection.
  return Object.assign(new Error('the connection closed before the whole answer arrived'), {
    code: 'ECONNRESET',
  });
}

export interface AbortWatch {
  add(signal: AbortSignal, stop: Stop): void;
  remove(signal: AbortSignal, stop: Stop): void;
}

/**
 * The attempts waiting on each abort signal, behind one listener per signal: the clients' signal
 * is shared by hundreds of attempts, and a listener per attempt costs CPU on every call and trips
 * Node's MaxListenersExceededWarning past ten.
 */
export function abortWatch(): AbortWatch {
  const waiting = new WeakMap<AbortSignal, Set<Stop>>();
  return {
    add(signal, stop) {
      let stops = waiting.get(signal);
      if (!stops) {
        const created = new Set<Stop>();
        stops = created;
        waiting.set(signal, created);
        signal.addEventListener(
          'abort',
          () => {
            for (const s of [...created]) s(abortError());
          },
          { once: true },
        );
      }
      stops.add(stop);
    },
    remove(signal, stop) {
      waiting.get(signal)?.delete(stop);
    },
  };
}

/** RFC 3986 escaping, as the SDK's signer expects of the query it signed. */
const escapeUri = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** The query string the SDK's own handler would build (smithy's buildQueryString). */
export function queryString(query: OutgoingRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    const name = escapeUri(key);
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) parts.push(`${name}=${escapeUri(item)}`);
    } else if (typeof value === 'string') {
      parts.push(`${name}=${escapeUri(value)}`);
    } else {
      parts.push(name);
    }
  }
  return parts.join('&');
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return flat;
}

const expire = (stop: Stop, timeoutMs: number) =>
  stop(timeoutError(`no complete answer within the request timeout (${timeoutMs / 1000} s)`));

const refuseSlowConnect = (stop: Stop, timeoutMs: number) =>
  stop(timeoutError(`could not connect within the connect timeout (${timeoutMs / 1000} s)`));

/** A connect timer only for a socket still connecting: a pooled one is already open. */
function boundConnect(socket: Socket, stop: Stop, timeoutMs: number): void {
  if (!socket.connecting) return;
  const timer = setTimeout(refuseSlowConnect, timeoutMs, stop, timeoutMs);
  timer.unref();
  socket.once('connect', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
}

function send(request: http.ClientRequest, body: unknown): void {
  if (body instanceof Readable) body.pipe(request);
  else if (typeof body === 'string' || body instanceof Uint8Array) request.end(body);
  else if (body instanceof ArrayBuffer) request.end(Buffer.from(body));
  else if (body === undefined || body === null) request.end();
  // What the SDK's content-length counted must go out, never an empty body in its place; no call
  // eksposure makes has another kind of body.
  else throw new TypeError(`cannot send a request body of type ${typeof body}`);
}

/** A signal from another realm or library works as well as Node's own. */
const isAbortSignal = (value: unknown): value is AbortSignal =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AbortSignal).aborted === 'boolean' &&
  typeof (value as AbortSignal).addEventListener === 'function';

export class AttemptBoundHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly watch: AbortWatch;

  constructor(private readonly options: AttemptBoundHandlerOptions) {
    const pool = { keepAlive: true, maxSockets: options.maxSockets, noDelay: true };
    this.httpAgent = new http.Agent(pool);
    this.httpsAgent = new https.Agent(pool);
    this.watch = options.watch ?? abortWatch();
  }

  handle(
    request: OutgoingRequest,
    callOptions: { abortSignal?: unknown } = {},
  ): Promise<{ response: IncomingAnswer }> {
    const { lifetime, requestTimeoutMs, connectTimeoutMs } = this.options;
    const given = callOptions.abortSignal;
    const callSignal = isAbortSignal(given) ? given : undefined;
    if (lifetime.aborted || callSignal?.aborted) return Promise.reject(abortError());
    const secure = request.protocol === 'https:';
    const query = queryString(request.query);
    const { hostname } = request;
    const watch = this.watch;

    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        watch.remove(lifetime, stop);
        if (callSignal) watch.remove(callSignal, stop);
      };
      const stop: Stop = (error) => {
        if (settled) return;
        settle();
        outgoing.destroy();
        reject(error);
      };
      const outgoing = (secure ? https.request : http.request)(
        {
          host: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
          port: request.port,
          method: request.method,
          path: query ? `${request.path}?${query}` : request.path,
          headers: request.headers,
          agent: secure ? this.httpsAgent : this.httpAgent,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('error', stop);
          // Closed before its end: the body was cut off (a no-op once the answer has settled).
          answer.on('close', () => {
            if (!settled) stop(cutOffError());
          });
          answer.on('end', () => {
            if (settled) return;
            settle();
            resolve({
              response: {
                statusCode: answer.statusCode ?? -1,
                reason: answer.statusMessage,
                headers: flatHeaders(answer.headers),
                body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
              },
            });
          });
        },
      );
      outgoing.on('error', stop);
      outgoing.on('socket', (socket) => boundConnect(socket, stop, connectTimeoutMs));
      const timer = setTimeout(expire, requestTimeoutMs, stop, requestTimeoutMs);
      // A call still pending keeps the process alive through its socket, not through this timer.
      timer.unref();
      watch.add(lifetime, stop);
      if (callSignal) watch.add(callSignal, stop);
      try {
        send(outgoing, request.body);
      } catch (error) {
        stop(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** The SDK may set options through this; the handler's are fixed when it is built. */
  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
