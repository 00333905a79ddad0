import { CA_UNUSABLE_CODE } from '../../../src/probe/classify.js';
import { toProbeReport } from '../../../src/probe/probe-report.js';
import { type ProbeOptions, probeEndpoint } from '../../../src/probe/prober.js';
import {
  type ApiBehaviour,
  closedPort,
  EKS_DEFAULT,
  makeTestPki,
  type Pem,
  type RunningApiServer,
  type RunningStallServer,
  startApiServer,
  startStallServer,
  statusBody,
  TEST_API_HOST,
  type TestPki,
  versionBody,
} from '../../support/kube-tls.js';

const pki: TestPki = makeTestPki();
const BROKEN_CA = '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n';
const servers: RunningApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(behaviour: ApiBehaviour, cert: Pem = pki.server): Promise<RunningApiServer> {
  const server = await startApiServer(cert, behaviour);
  servers.push(server);
  return server;
}

/** Probes https://kube.probe.test:PORT, the name resolving to 127.0.0.1 only. */
const probe = (port: number, options: Partial<ProbeOptions> = {}) =>
  probeEndpoint({
    url: new URL(`https://${TEST_API_HOST}:${port}`),
    caPem: pki.ca.cert,
    insecure: false,
    timeoutMs: 2_000,
    resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    ...options,
  });

describe('probeEndpoint against a local API server', () => {
  it("reports EKS's usual answers: version disclosed, /api refused with its Status message", async () => {
    const server = await serve(EKS_DEFAULT);
    const result = await probe(server.port);
    expect(result.verdict).toBe('version-disclosed');
    expect(result.gitVersion).toBe('v1.29.15-eks-4e5c6b0');
    expect(result.addresses[0]).toMatchObject({
      address: '127.0.0.1',
      apiStatus: 403,
      apiMessage: 'forbidden: User "system:anonymous" cannot get path "/api"',
    });
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/api', '/healthz', '/version']);
    expect(server.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it.each([401, 403])(
    'reports anonymous requests rejected (%i with a Status body)',
    async (code) => {
      const server = await serve({
        '/api': { status: code, body: statusBody(code, 'Unauthorized') },
      });
      const result = await probe(server.port);
      expect(result.verdict).toBe('anonymous-rejected');
      expect(result.addresses[0]?.apiStatus).toBe(code);
      expect(result.summary).toContain(`${code}: Unauthorized`);
    },
  );

  it('reports anonymous API access when /api answers 200', async () => {
    const server = await serve({
      '/version': { status: 200, body: versionBody('v1.28.1') },
      '/api': { status: 200, body: { kind: 'APIVersions', versions: ['v1'] } },
    });
    const result = await probe(server.port);
    expect(result.verdict).toBe('anonymous-api-access');
    expect(result.gitVersion).toBe('v1.28.1');
  });

  it('reports a closed port as not reachable', async () => {
    const result = await probe(await closedPort());
    expect(result.verdict).toBe('not-reachable');
    expect(result.summary).toContain('ECONNREFUSED');
  });

  it('gives up on a server that never answers after the timeout, and still calls it reachable', async () => {
    const server = await serve('silent');
    const result = await probe(server.port, { timeoutMs: 150 });
    // Its certificate verified against the cluster's CA: the address answered, only not with HTTP.
    expect(result.verdict).toBe('reachable-unrecognized');
    expect(result.summary).toBe(
      'Reachable: the TLS handshake completed, but no HTTP answer came (timeout).',
    );
    expect(result.addresses[0]?.results.every((r) => !r.answered && r.code === 'timeout')).toBe(
      true,
    );
  });

  it('never trusts a certificate from another CA', async () => {
    const server = await serve(EKS_DEFAULT, pki.wrongCa);
    const result = await probe(server.port);
    expect(result.verdict).toBe('tls-mismatch');
    expect(result.gitVersion).toBeNull();
  });

  it('never trusts a certificate for another host name', async () => {
    const server = await serve(EKS_DEFAULT, pki.wrongHost);
    const result = await probe(server.port);
    expect(result.verdict).toBe('tls-mismatch');
    expect(result.summary).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it.each([
    ['a PEM header with a broken body', BROKEN_CA, "the cluster's CA could not be used"],
    // Node alone would trust the first certificate and drop the rest without a word.
    ['a good certificate, then a broken one', `${pki.ca.cert}${BROKEN_CA}`, 'of 2'],
    ['no CA at all', null, 'the cluster gave no usable CA'],
  ])('with %s, trusts no certificate and sends no request', async (_case, caPem, why) => {
    const server = await serve(EKS_DEFAULT);
    const result = await probe(server.port, { caPem });
    expect(result).toMatchObject({ verdict: 'tls-mismatch', gitVersion: null });
    expect(result.summary).toContain(why);
    expect(result.summary).toContain('Seen from here: TLS answered at 127.0.0.1');
    expect(result.addresses.map((a) => a.verdict)).toEqual(['tls-mismatch']);
    expect(server.requests).toEqual([]);
  });

  it('refuses even the certificate node would have trusted in a half-broken bundle', async () => {
    const server = await serve(EKS_DEFAULT);
    const result = await probe(server.port, { caPem: `${pki.ca.cert}${BROKEN_CA}` });
    const codes = result.addresses[0]?.results.map((r) => (r.answered ? r.status : r.code));
    expect(codes).toEqual([CA_UNUSABLE_CODE, CA_UNUSABLE_CODE, CA_UNUSABLE_CODE]);
  });

  it('with a broken CA and a closed port, says the CA first, never "not reachable"', async () => {
    const result = await probe(await closedPort(), { caPem: BROKEN_CA });
    expect(result.verdict).toBe('tls-mismatch');
    expect(result.summary).toContain('Seen from here: no answer (ECONNREFUSED)');
    expect(result.summary).not.toMatch(/not reachable/i);
    // The address itself did not answer: apply --probe can still confirm it is closed.
    expect(result.addresses.map((a) => a.verdict)).toEqual(['not-reachable']);
  });

  it('with --insecure, reads a server it cannot verify and says so', async () => {
    const server = await serve(EKS_DEFAULT, pki.wrongCa);
    const result = await probe(server.port, { caPem: null, insecure: true });
    expect(result.verdict).toBe('version-disclosed');
    expect(result.insecure).toBe(true);
  });

  it('probes every address the name resolves to and reports each', async () => {
    const server = await serve(EKS_DEFAULT);
    const result = await probe(server.port, {
      resolve: () =>
        Promise.resolve([
          { address: '127.0.0.1', family: 4 },
          { address: '::1', family: 6 },
        ]),
    });
    expect(result.addresses.map((a) => [a.address, a.family])).toEqual([
      ['127.0.0.1', 4],
      ['::1', 6],
    ]);
    // The server listens on IPv4 only: the IPv6 address is reported on its own, the worst one wins.
    expect(result.addresses.map((a) => a.verdict)).toEqual(['version-disclosed', 'not-reachable']);
    expect(result.verdict).toBe('version-disclosed');
  });

  it('reports a name that does not resolve as not reachable', async () => {
    const result = await probe(443, {
      resolve: () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })),
    });
    expect(result).toMatchObject({ verdict: 'not-reachable', resolveError: 'ENOTFOUND' });
  });
});

describe('probeEndpoint against a server that answers, but not as expected', () => {
  const stalls: RunningStallServer[] = [];
  afterEach(async () => {
    await Promise.all(stalls.splice(0).map((s) => s.close()));
  });
  const stall = async (...args: Parameters<typeof startStallServer>) => {
    const server = await startStallServer(...args);
    stalls.push(server);
    return server;
  };

  it('keeps the status of an answer whose body never completes: the address answered', async () => {
    const server = await stall('trickle', pki.server);
    const result = await probe(server.port, { timeoutMs: 300 });
    expect(result.verdict).toBe('reachable-unrecognized');
    expect(result.gitVersion).toBeNull();
    expect(result.summary).toContain('Answers cut short: /version 200 (timeout).');
    const paths = toProbeReport(result, null, new Date()).addresses[0]?.paths;
    expect(paths).toEqual([
      { path: '/version', status: 200, failure: 'timeout' },
      { path: '/healthz', status: 404, failure: null },
      { path: '/api', status: 404, failure: null },
    ]);
  });

  it('judges a refusal by its status even when its body trickles', async () => {
    const server = await stall('trickle', pki.server, {
      '/api': { status: 403, body: statusBody(403, 'forbidden') },
    });
    const result = await probe(server.port, { timeoutMs: 300 });
    expect(result.verdict).toBe('anonymous-rejected');
    expect(result.addresses[0]).toMatchObject({ apiStatus: 403, apiMessage: null });
  });

  it('calls plain HTTP on the port "something answers, but not TLS", never not-reachable', async () => {
    const server = await stall('plain-http', pki.server);
    const result = await probe(server.port);
    expect(result.verdict).toBe('reachable-unrecognized');
    expect(result.summary).toMatch(/^Something answers here, but not with TLS \((EPROTO|ERR_SSL_)/);
  });

  it('still refuses a certificate from another CA on a server that never answers', async () => {
    const server = await stall('silent', pki.wrongCa);
    const result = await probe(server.port, { timeoutMs: 300 });
    expect(result.verdict).toBe('tls-mismatch');
  });
});

describe('a probe bounded in time and interruptible', () => {
  // Without its bound each of these would hang: a 5 s test timeout makes that a quick failure.
  const never = () => new Promise<never>(() => {});

  it('gives up on a resolver that never answers after the probe timeout', async () => {
    const result = await probe(443, { resolve: never, timeoutMs: 100 });
    expect(result).toMatchObject({
      verdict: 'not-reachable',
      resolveError: 'timeout',
      addresses: [],
      summary: `Not reachable from here: ${TEST_API_HOST} could not be resolved within 100 ms.`,
    });
  }, 5_000);

  it('ends a request in flight at once when aborted, and says it was interrupted', async () => {
    const server = await startStallServer('silent', pki.server);
    try {
      const abort = new AbortController();
      const probing = probe(server.port, { timeoutMs: 60_000, signal: abort.signal });
      await server.reached;
      abort.abort();
      const result = await probing;
      expect(result.interrupted).toBe(true);
      expect(result.summary).toBe(
        'Interrupted before the probe finished: ' +
          'seen until then: Reachable: the TLS handshake completed, but no HTTP answer came (ABORT_ERR).',
      );
    } finally {
      await server.close();
    }
  }, 5_000);

  it('stops waiting for the resolver when aborted', async () => {
    const abort = new AbortController();
    const probing = probe(443, { resolve: never, timeoutMs: 60_000, signal: abort.signal });
    abort.abort();
    expect(await probing).toMatchObject({
      interrupted: true,
      resolveError: 'interrupted',
      summary:
        'Interrupted before the probe finished: nothing answered until then, so whether it is reachable is unknown.',
    });
  }, 5_000);

  it('sends nothing once already aborted', async () => {
    const server = await serve(EKS_DEFAULT);
    // An address, not a name: no lookup stands between the abort and the requests.
    const result = await probe(server.port, {
      url: new URL(`https://127.0.0.1:${server.port}`),
      signal: AbortSignal.abort(),
    });
    expect(result.interrupted).toBe(true);
    expect(server.requests).toEqual([]);
  });

  it('is not interrupted when nothing aborted it', async () => {
    const server = await serve(EKS_DEFAULT);
    const result = await probe(server.port, { signal: new AbortController().signal });
    expect(result).toMatchObject({ interrupted: false, verdict: 'version-disclosed' });
  });
});
