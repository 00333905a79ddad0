/**
 * Stand-ins for a node's kubelet, for the kubelet probe's tests: an HTTPS server (10250) or a
 * plain-HTTP one (10255) answering /pods and /healthz as told, a silent one, and one that closes
 * every connection right after the TLS handshake. Each records every request it gets.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server,
  type Socket,
} from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Pem } from '../../src/tools/kube-api-stand-in.js';

export interface KubeletAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * What a stand-in does: answer per path (a path left out answers 404), `silent` (accept, complete
 * the TLS handshake if any, never answer), `close-after-handshake` (TLS only).
 */
export type KubeletBehaviour =
  | { readonly '/pods'?: KubeletAnswer; readonly '/healthz'?: KubeletAnswer }
  | 'silent'
  | 'close-after-handshake';

export interface KubeletRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly cookie: string | undefined;
}

export interface RunningKubelet {
  readonly host: string;
  readonly port: number;
  readonly requests: KubeletRequest[];
  /** TCP connections accepted (also those that never sent a request). */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** A pod list of `count` pods, as the kubelet's /pods returns it (about 300 bytes a pod). */
export function podListBody(count: number): string {
  const items = Array.from({ length: count }, (_, i) => ({
    metadata: { name: `payments-${i}`, namespace: 'default', uid: `uid-${i}` },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example/payments:1.2.3',
          env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
        },
      ],
    },
    status: { phase: 'Running' },
  }));
  return JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
}

/** The kubelet's own refusals: plain text, as the kubelet writes them. */
export const KUBELET_401: KubeletAnswer = { status: 401, body: 'Unauthorized\n' };
export const KUBELET_403: KubeletAnswer = {
  status: 403,
  body: 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)\n',
};
export const HEALTHZ_OK: KubeletAnswer = { status: 200, body: 'ok' };

/**
 * Starts a stand-in on host:port (0: an ephemeral port), HTTPS with `cert`, plain HTTP without.
 */
export async function startKubelet(
  behaviour: KubeletBehaviour,
  options: { readonly cert: Pem | null; readonly host: string; readonly port?: number },
): Promise<RunningKubelet> {
  const requests: KubeletRequest[] = [];
  let connections = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    });
    if (typeof behaviour === 'string') return;
    const answer = behaviour[req.url as '/pods' | '/healthz'];
    if (!answer) {
      res.writeHead(404).end('404 page not found\n');
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
  };
  const { cert } = options;
  let server: Server;
  if (behaviour === 'close-after-handshake') {
    if (cert === null) throw new Error('close-after-handshake needs TLS');
    server = createTlsServer({ key: cert.key, cert: cert.cert }, (socket) => socket.destroy());
  } else {
    server =
      cert === null
        ? createHttpServer(handle)
        : createHttpsServer({ key: cert.key, cert: cert.cert }, handle);
  }
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  return {
    host: options.host,
    port: (server.address() as AddressInfo).port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Whether this process may listen on a kubelet port on a loopback alias: null when it may, else
 * why not. 10250 and 10255 are above 1024, so no privilege is needed on Linux, where all of
 * 127.0.0.0/8 is local; it fails where 127.0.0.2 is not configured (macOS: EADDRNOTAVAIL) and
 * where a real kubelet holds the port (a CI runner that is itself a Kubernetes node: EADDRINUSE).
 */
export async function whyRealPortsUnusable(host: string, port: number): Promise<string | null> {
  const server = createNetServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return null;
  } catch (error) {
    return `cannot listen on ${host}:${port} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  } finally {
    await new Promise<void>((resolve) =>
      server.listening ? server.close(() => resolve()) : resolve(),
    );
  }
}
