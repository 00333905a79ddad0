import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { type AwsClients, createAwsClients } from '../../../src/aws/clients.js';
import { AttemptBoundHandler, queryString } from '../../../src/aws/http-handler.js';
import { rejection } from '../../support/sdk.js';

type Behaviour = (res: http.ServerResponse) => void;

/** A local server that answers every request as `behave` says, and counts them. */
async function serve(behave: Behaviour) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => behave(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const clientsFor = (url: string, requestTimeoutMs: number, maxAttempts: number): AwsClients =>
  createAwsClients({
    credentials: () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
    endpoints: { eks: url, ec2: url },
    maxAttempts,
    maxSockets: 4,
    requestTimeoutMs,
    connectTimeoutMs: 1_000,
  });

const until = async (ready: () => boolean) => {
  while (!ready()) await new Promise((resolve) => setImmediate(resolve));
};

const BODY = JSON.stringify({ clusters: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] });

describe('createAwsClients: every attempt of a call is bounded', () => {
  it('ends an answer whose body trickles past the request timeout, after each attempt', async () => {
    const timers = new Set<NodeJS.Timeout>();
    /** Per attempt: how much of the body was sent before the client hung up, and whether it did. */
    const attempts: { sent: number; cutOff: boolean }[] = [];
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
      const attempt = { sent: 0, cutOff: false };
      attempts.push(attempt);
      res.on('close', () => {
        attempt.cutOff = attempt.sent < BODY.length;
      });
      const drip = () => {
        if (res.destroyed || attempt.sent >= BODY.length) return;
        res.write(BODY[attempt.sent++]);
        const timer = setTimeout(drip, 100);
        timers.add(timer);
      };
      drip();
    });
    const clients = clientsFor(server.url, 300, 2);
    try {
      const error = await rejection(clients.eks('us-east-1').send(new ListClustersCommand({})));
      expect(error.name).toBe('TimeoutError');
      expect(server.requests()).toBe(2);
      // Each attempt was ended by the client long before its body (a byte every 100 ms) was whole.
      await until(() => attempts.every((a) => a.cutOff));
      expect(attempts.map((a) => a.sent < BODY.length / 2)).toEqual([true, true]);
    } finally {
      for (const timer of timers) clearTimeout(timer);
      clients.destroy();
      await server.close();
    }
  });

  it("ends a call on its abortSignal while the answer's body is still due", async () => {
    let headersSent = false;
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.flushHeaders();
      headersSent = true;
    });
    const clients = clientsFor(server.url, 30_000, 3);
    const controller = new AbortController();
    try {
      const call = rejection(
        clients.eks('us-east-1').send(new ListClustersCommand({}), {
          abortSignal: controller.signal,
        }),
      );
      await until(() => headersSent);
      controller.abort();
      expect((await call).name).toBe('AbortError');
      expect(server.requests()).toBe(1);
    } finally {
      clients.destroy();
      await server.close();
    }
  });

  it('destroy() abandons a call that the server never answers', async () => {
    const server = await serve(() => undefined);
    const clients = clientsFor(server.url, 30_000, 3);
    try {
      const call = rejection(clients.eks('us-east-1').send(new ListClustersCommand({})));
      await until(() => server.requests() === 1);
      clients.destroy();
      expect((await call).name).toBe('AbortError');
    } finally {
      await server.close();
    }
  });

  it("names eksposure in every call's User-Agent, which CloudTrail records, in the SDK's format", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const clients = clientsFor(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      1_000,
      1,
    );
    try {
      const eks = clients.eks('us-east-1');
      await eks.send(new ListClustersCommand({}));
      await eks.send(new ListClustersCommand({}));
      const [first, second] = seen;
      expect(first!['user-agent']).toMatch(
        /^aws-sdk-js\/[\d.]+ ua\/2\.1 os\/\S+ lang\/js md\/nodejs#[\d.]+ api\/eks#[\d.]+ lib\/eksposure$/,
      );
      expect(first!['x-amz-user-agent']).toMatch(/^aws-sdk-js\/[\d.]+$/);
      expect(second!['user-agent']).toBe(first!['user-agent']);
    } finally {
      clients.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reads a whole answer that comes within the timeout', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(BODY);
    });
    const clients = clientsFor(server.url, 1_000, 1);
    try {
      const answer = await clients.eks('us-east-1').send(new ListClustersCommand({}));
      expect(answer.clusters).toHaveLength(8);
    } finally {
      clients.destroy();
      await server.close();
    }
  });
});

describe('AttemptBoundHandler', () => {
  const request = (url: string) => {
    const { hostname, port } = new URL(url);
    return {
      protocol: 'http:',
      hostname,
      port: Number(port),
      method: 'GET',
      path: '/',
      headers: {},
    };
  };

  it('watches the shared lifetime signal with one listener, however many attempts wait on it, and ends them all', async () => {
    const server = await serve(() => undefined);
    const lifetime = new AbortController();
    const handler = new AttemptBoundHandler({
      requestTimeoutMs: 30_000,
      connectTimeoutMs: 1_000,
      maxSockets: 50,
      lifetime: lifetime.signal,
    });
    try {
      const attempts = Array.from({ length: 50 }, () =>
        rejection(handler.handle(request(server.url))),
      );
      expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(1);
      await until(() => server.requests() === 50);
      lifetime.abort();
      const errors = await Promise.all(attempts);
      expect(errors.map((e) => e.name)).toEqual(Array(50).fill('AbortError'));
    } finally {
      handler.destroy();
      await server.close();
    }
  });

  it('fails an answer cut off before its last byte as a reset connection, which the SDK retries', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"clusters":');
      setImmediate(() => res.socket?.destroy());
    });
    const lifetime = new AbortController();
    const handler = new AttemptBoundHandler({
      requestTimeoutMs: 30_000,
      connectTimeoutMs: 1_000,
      maxSockets: 1,
      lifetime: lifetime.signal,
    });
    try {
      const error = await rejection(handler.handle(request(server.url)));
      expect((error as Error & { code?: string }).code).toBe('ECONNRESET');
    } finally {
      handler.destroy();
      await server.close();
    }
  });

  it('builds the query string the SDK signed (RFC 3986 escaping, repeated and bare keys)', () => {
    expect(queryString({ maxResults: '100', nextToken: "a+b/c=(d)!*'" })).toBe(
      'maxResults=100&nextToken=a%2Bb%2Fc%3D%28d%29%21%2A%27',
    );
    expect(queryString({ include: ['x y', 'z'], flag: null })).toBe('include=x%20y&include=z&flag');
    expect(queryString(undefined)).toBe('');
  });
});
