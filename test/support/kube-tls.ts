/**
 * Stand-ins for Kubernetes API servers, for the probe's tests: those the benchmark shares
 * (src/tools/kube-api-stand-in.ts), and servers that misbehave or gate connections.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer } from 'node:https';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { type ApiBehaviour, type Pem, versionBody } from '../../src/tools/kube-api-stand-in.js';

export * from '../../src/tools/kube-api-stand-in.js';

/** A port nothing listens on (it was just bound and released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningGate {
  readonly port: number;
  /** Connections reset because the gate was shut. */
  readonly refused: () => number;
  close(): Promise<void>;
}

/**
 * A TCP front for an API server, standing in for what EKS puts before it: a connection goes
 * through only while `open()` says so, and is reset otherwise (how an endpoint that is off, or an
 * allowlist that leaves the prober out, looks from outside).
 */
export async function startGate(targetPort: number, open: () => boolean): Promise<RunningGate> {
  const sockets = new Set<Socket>();
  let refused = 0;
  const server = createNetServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!open()) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface RunningStallServer {
  readonly port: number;
  /** Settles when the first request (or, for a plain TCP server, the first connection) arrives. */
  readonly reached: Promise<void>;
  close(): Promise<void>;
}

/**
 * Servers that answer, but never finish: `trickle` (HTTPS) sends the status line, the headers and
 * the first bytes of the body of each path in `trickled`, then nothing more (other paths answer
 * 404 in full); `silent` (HTTPS) completes the handshake and never answers; `plain-http` answers
 * every request in clear HTTP (what a TLS client sees as "wrong version number").
 */
export async function startStallServer(
  mode: 'trickle' | 'silent' | 'plain-http',
  cert: Pem,
  trickled: Exclude<ApiBehaviour, 'silent'> = {
    '/version': { status: 200, body: versionBody('v1.29.15-eks-4e5c6b0') },
  },
): Promise<RunningStallServer> {
  let reach = () => {};
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    reach();
    if (mode === 'silent') return;
    if (mode === 'plain-http') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      return;
    }
    const answer = trickled[req.url as keyof typeof trickled];
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': String(body.length),
    });
    res.write(body.slice(0, 3));
  };
  const server: HttpServer =
    mode === 'plain-http'
      ? createHttpServer(handle)
      : createServer({ key: cert.key, cert: cert.cert }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    reached,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
