import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A misbehaving server for tests: it sits in front of the emulator (which behaves like AWS) and,
 * per operation, does what a broken network or a broken server does. It lives in test support,
 * never in the product or the emulator.
 */
export type HostileFault =
  /** Reads the request, never answers. */
  | 'hang'
  /** Sends 200 and its headers, then nothing. */
  | 'stall-after-headers'
  /** Forwards, then sends the real answer one byte every TRICKLE_MS. */
  | 'trickle'
  /** Destroys the socket without answering; the call never reaches the emulator. */
  | 'reset'
  /** Forwards (the call takes effect), then sends status, headers and half the body, and ends. */
  | 'truncate'
  /** 200 with an HTML page, not forwarded. */
  | 'html'
  /** 200 with an empty body, not forwarded. */
  | 'empty'
  /** Forwards; the JSON answer's nextToken is replaced by one that never changes. */
  | 'loop-token'
  /** Forwards; every ListClusters page answers the first page's names again, with a nextToken. */
  | 'repeat-names';

export interface HostileRule {
  /** AWS operation name: ListClusters, DescribeCluster, UpdateClusterConfig, DescribeRegions, ... */
  readonly operation: string;
  readonly fault: HostileFault;
  /** The region of the SigV4 credential scope; any region when absent. */
  readonly region?: string;
  /** Only the first N matching calls; every one when absent. */
  readonly times?: number;
}

export interface HostileProxy {
  /** Give this as --endpoint-url. */
  readonly url: string;
  /** Calls seen for an operation, misbehaved or forwarded. */
  calls(operation: string): number;
  setRules(rules: readonly HostileRule[]): void;
  /** Closes the server and destroys every socket, hanging ones included. */
  close(): Promise<void>;
}

const TRICKLE_MS = 200;
const LOOPING_TOKEN = 'eksposure-hostile-proxy-token';

const EKS_ROUTES: readonly [string, RegExp, string][] = [
  ['GET', /^\/clusters$/, 'ListClusters'],
  ['GET', /^\/clusters\/[^/]+$/, 'DescribeCluster'],
  ['POST', /^\/clusters\/[^/]+\/update-config$/, 'UpdateClusterConfig'],
  ['GET', /^\/clusters\/[^/]+\/updates$/, 'ListUpdates'],
  ['GET', /^\/clusters\/[^/]+\/updates\/[^/]+$/, 'DescribeUpdate'],
];

/** The operation a request is for, by protocol: JSON target header, query Action, or REST path. */
function operationOf(req: http.IncomingMessage, path: string, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const action = new URLSearchParams(body).get('Action');
  if (action) return action;
  const route = EKS_ROUTES.find(([method, pattern]) => method === req.method && pattern.test(path));
  return route?.[2] ?? `${req.method ?? 'GET'} ${path}`;
}

function regionOf(req: http.IncomingMessage): string | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '');
  return scope?.[1];
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Forwarded {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

function forward(
  target: URL,
  req: http.IncomingMessage,
  body: Buffer,
  path = req.url,
): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path,
        headers: { ...req.headers, host: target.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function withoutToken(url: string | undefined): string {
  const parsed = new URL(url ?? '/', 'http://proxy');
  parsed.searchParams.delete('nextToken');
  return `${parsed.pathname}${parsed.search}`;
}

/** Rewrites a JSON answer; an answer that is not JSON is passed on as it is. */
function rewriteJson(body: Buffer, change: (value: Record<string, unknown>) => void): Buffer {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (typeof value !== 'object' || value === null) return body;
  change(value as Record<string, unknown>);
  return Buffer.from(JSON.stringify(value));
}

function send(res: http.ServerResponse, answer: Forwarded, body = answer.body): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': body.length });
  res.end(body);
}

export async function startHostileProxy(
  targetUrl: string,
  initialRules: readonly HostileRule[] = [],
): Promise<HostileProxy> {
  const target = new URL(targetUrl);
  let rules = [...initialRules];
  const used = new Map<HostileRule, number>();
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const ruleFor = (operation: string, region: string | undefined) => {
    const rule = rules.find(
      (r) =>
        r.operation === operation &&
        (r.region === undefined || r.region === region) &&
        (r.times === undefined || (used.get(r) ?? 0) < r.times),
    );
    if (rule) used.set(rule, (used.get(rule) ?? 0) + 1);
    return rule;
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const operation = operationOf(req, path, body.toString('utf8'));
    const region = regionOf(req);
    seen.set(operation, (seen.get(operation) ?? 0) + 1);
    const rule = ruleFor(operation, region);

    switch (rule?.fault) {
      case 'hang':
        return;
      case 'stall-after-headers':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.flushHeaders();
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'html':
        send(res, {
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: Buffer.from('<html><body><h1>Welcome to the captive portal</h1></body></html>'),
        });
        return;
      case 'empty':
        send(res, {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: Buffer.alloc(0),
        });
        return;
      default:
        break;
    }

    // A looping server answers the first page again, whatever token it is sent.
    const firstPage = rule?.fault === 'loop-token' || rule?.fault === 'repeat-names';
    const answer = await forward(target, req, body, firstPage ? withoutToken(req.url) : req.url);
    switch (rule?.fault) {
      case 'truncate': {
        res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
        // Ends the connection short of its content-length: the client sees a cut answer.
        res.socket?.end();
        return;
      }
      case 'trickle': {
        res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
        let sent = 0;
        const drip = () => {
          if (sent >= answer.body.length || res.destroyed) return res.end();
          res.write(answer.body.subarray(sent, sent + 1));
          sent += 1;
          const timer = setTimeout(() => {
            timers.delete(timer);
            drip();
          }, TRICKLE_MS);
          timers.add(timer);
        };
        drip();
        return;
      }
      case 'loop-token':
        send(
          res,
          answer,
          rewriteJson(answer.body, (value) => {
            value.nextToken = LOOPING_TOKEN;
          }),
        );
        return;
      case 'repeat-names':
        send(
          res,
          answer,
          rewriteJson(answer.body, (value) => {
            value.nextToken = `page-${seen.get(operation) ?? 0}`;
          }),
        );
        return;
      default:
        send(res, answer);
    }
  }

  const server = http.createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`hostile proxy: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls: (operation) => seen.get(operation) ?? 0,
    setRules: (next) => {
      rules = [...next];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
