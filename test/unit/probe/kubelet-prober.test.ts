import type { KubeletPort, KubeletProbeTarget } from '../../../src/model/node-probe.js';
import {
  probeKubelet,
  probeKubelets,
  type KubeletProbeOptions,
} from '../../../src/probe/kubelet-prober.js';
import { closedPort, makeTestPki, type Pem } from '../../support/kube-tls.js';
import {
  HEALTHZ_OK,
  KUBELET_401,
  KUBELET_403,
  type KubeletBehaviour,
  podListBody,
  type RunningKubelet,
  startKubelet,
  whyRealPortsUnusable,
} from '../../support/kubelet-stand-in.js';

// The kubelet's serving certificate names the node's address; these stand-ins' name 127.0.0.2-7.
const ALIASES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];
const pki = makeTestPki(ALIASES);
/** Many pods: a body far beyond what the probe reads (it stops at 8 KiB). */
const POD_LIST = { status: 200, body: podListBody(200) };

const started: RunningKubelet[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

const target = (
  address: string,
  port: KubeletPort,
  caPem: string | null = pki.ca.cert,
): KubeletProbeTarget => ({
  clusterName: 'payments-prod',
  region: 'eu-west-1',
  accountId: '111122223333',
  instanceId: 'i-0abc',
  address,
  port,
  caPem,
});

/** Every request any stand-in got: GET /pods or GET /healthz only, never a credential. */
function expectOnlyAnonymousPodsAndHealthz(servers: readonly RunningKubelet[]): void {
  for (const s of servers) {
    for (const r of s.requests) {
      expect(r.method).toBe('GET');
      expect(['/pods', '/healthz']).toContain(r.path);
      expect(r.authorization).toBeUndefined();
      expect(r.cookie).toBeUndefined();
    }
  }
}

interface Case {
  readonly name: string;
  readonly port: KubeletPort;
  readonly behaviour: KubeletBehaviour;
  readonly cert: Pem | null;
  readonly expected: Record<string, unknown>;
  readonly summary: RegExp;
}

const CASES: readonly Case[] = [
  {
    name: '10250 answering 401: anonymous auth off',
    port: 10250,
    behaviour: { '/pods': KUBELET_401, '/healthz': KUBELET_401 },
    cert: pki.server,
    expected: {
      verdict: 'anonymous-rejected',
      status: 401,
      serverMessage: 'Unauthorized',
      tls: { verified: true, problem: null },
    },
    summary: /refuses anonymous requests \(\/pods 401: Unauthorized\)\.$/,
  },
  {
    name: "10250 answering 403 with a certificate not from the cluster's CA (EKS's usual)",
    port: 10250,
    behaviour: { '/pods': KUBELET_403, '/healthz': HEALTHZ_OK },
    cert: pki.wrongCa,
    expected: {
      verdict: 'anonymous-authenticated',
      status: 403,
      tls: { verified: false, problem: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    },
    summary:
      /^Anonymous authentication is on.*TLS not verified against the cluster's CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): judged on the HTTP status only\.$/,
  },
  {
    name: '10250 answering 200 with a pod list',
    port: 10250,
    behaviour: { '/pods': POD_LIST, '/healthz': HEALTHZ_OK },
    cert: pki.server,
    expected: {
      verdict: 'anonymous-pod-list',
      status: 200,
      serverMessage: null,
      tls: { verified: true, problem: null },
    },
    summary: /^Anonymous pod list: the kubelet API \(10250\) answers \/pods 200/,
  },
  {
    name: '10255 (plain HTTP) answering 200 with a pod list',
    port: 10255,
    behaviour: { '/pods': POD_LIST, '/healthz': HEALTHZ_OK },
    cert: null,
    expected: { verdict: 'anonymous-pod-list', status: 200, scheme: 'http', tls: null },
    summary: /^Anonymous pod list: the read-only kubelet \(10255\)/,
  },
  {
    name: '10250, a server that completes the handshake and never answers',
    port: 10250,
    behaviour: 'silent',
    cert: pki.server,
    expected: {
      verdict: 'reachable-unrecognized',
      status: null,
      tls: { verified: true, problem: null },
    },
    summary:
      /^Reachable on the kubelet API \(10250\): the TLS handshake completed, but no HTTP answer came \(timeout\)\.$/,
  },
  {
    name: '10250, a server that closes right after the handshake',
    port: 10250,
    behaviour: 'close-after-handshake',
    cert: pki.server,
    expected: { verdict: 'reachable-unrecognized', status: null },
    summary:
      /^Reachable on the kubelet API \(10250\): the TLS handshake completed, but no HTTP answer came \(ECONNRESET\)\.$/,
  },
];

const OPTIONS: KubeletProbeOptions = { timeoutMs: 400 };

async function runCase(c: Case, host: string, realPort: boolean) {
  const server = await startKubelet(c.behaviour, {
    cert: c.cert,
    host,
    port: realPort ? c.port : 0,
  });
  started.push(server);
  const result = await probeKubelet(target(host, c.port), {
    ...OPTIONS,
    ...(realPort ? {} : { connectPort: server.port }),
  });
  expect(result).toMatchObject({
    ...c.expected,
    address: host,
    port: c.port,
    family: 4,
    interrupted: false,
  });
  expect(result.summary).toMatch(c.summary);
  expect(result.instanceId).toBe('i-0abc');
  expect(server.connections()).toBeGreaterThan(0);
  expectOnlyAnonymousPodsAndHealthz([server]);
  return { result, server };
}

const realPortsUnusable =
  (await whyRealPortsUnusable('127.0.0.2', 10250)) ??
  (await whyRealPortsUnusable('127.0.0.2', 10255));
if (realPortsUnusable !== null) {
  // eslint-disable-next-line no-console
  console.log(
    `kubelet probe on the real ports skipped: ${realPortsUnusable}; the ephemeral-port cases still run`,
  );
}
const onRealPorts = realPortsUnusable === null ? describe : describe.skip;

onRealPorts(
  'probeKubelet against stand-ins on the real ports 10250/10255 of loopback aliases',
  () => {
    it.each(CASES.map((c, i) => [c.name, c, ALIASES[i] ?? '127.0.0.2'] as const))(
      '%s',
      async (_name, c, host) => {
        await runCase(c, host, true);
      },
    );

    it('calls a closed 10250 not reachable', async () => {
      const result = await probeKubelet(target('127.0.0.7', 10250), OPTIONS);
      expect(result).toMatchObject({ verdict: 'not-reachable', tls: null, status: null });
      expect(result.summary).toBe('Not reachable from here (ECONNREFUSED).');
    });
  },
);

describe('probeKubelet against stand-ins on ephemeral ports (connectPort)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await runCase(c, '127.0.0.1', false);
  });

  it('requests /pods and /healthz once each, and reports both', async () => {
    const { result, server } = await runCase(CASES[1] as Case, '127.0.0.1', false);
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/healthz', '/pods']);
    expect(result.paths).toEqual([
      { path: '/pods', status: 403, failure: null },
      { path: '/healthz', status: 200, failure: null },
    ]);
  });

  it('never trusts node roots without a CA: the result says the certificate was not verified', async () => {
    const server = await startKubelet(
      { '/pods': KUBELET_401 },
      { cert: pki.server, host: '127.0.0.1' },
    );
    started.push(server);
    const result = await probeKubelet(target('127.0.0.1', 10250, null), {
      ...OPTIONS,
      connectPort: server.port,
    });
    expect(result).toMatchObject({
      verdict: 'anonymous-rejected',
      tls: { verified: false, problem: 'no CA given' },
    });
  });

  it('says a CA it cannot parse was not used', async () => {
    const server = await startKubelet(
      { '/pods': KUBELET_401 },
      { cert: pki.server, host: '127.0.0.1' },
    );
    started.push(server);
    const broken = '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n';
    const result = await probeKubelet(target('127.0.0.1', 10250, broken), {
      ...OPTIONS,
      connectPort: server.port,
    });
    expect(result.tls).toMatchObject({
      verified: false,
      problem: expect.stringContaining('cannot be parsed'),
    });
  });

  it('says a certificate for another address did not verify', async () => {
    const server = await startKubelet(
      { '/pods': KUBELET_403 },
      { cert: pki.wrongHost, host: '127.0.0.1' },
    );
    started.push(server);
    const result = await probeKubelet(target('127.0.0.1', 10250), {
      ...OPTIONS,
      connectPort: server.port,
    });
    expect(result).toMatchObject({
      verdict: 'anonymous-authenticated',
      tls: { verified: false, problem: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    });
  });

  it('probes an IPv6 address, brackets in the Host header only', async () => {
    const server = await startKubelet({ '/pods': POD_LIST }, { cert: null, host: '::1' });
    started.push(server);
    const result = await probeKubelet(target('::1', 10255), {
      ...OPTIONS,
      connectPort: server.port,
    });
    expect(result).toMatchObject({
      verdict: 'anonymous-pod-list',
      family: 6,
      address: '::1',
      scheme: 'http',
    });
    expectOnlyAnonymousPodsAndHealthz([server]);
  });

  it('calls a plain-HTTP port that accepts and never answers reachable, never not-reachable', async () => {
    const server = await startKubelet('silent', { cert: null, host: '127.0.0.1' });
    started.push(server);
    const result = await probeKubelet(target('127.0.0.1', 10255), {
      ...OPTIONS,
      connectPort: server.port,
    });
    expect(result.verdict).toBe('reachable-unrecognized');
    expect(result.summary).toBe(
      'Reachable on port 10255: the connection was accepted, but no HTTP answer came (timeout).',
    );
  });

  it('calls plain HTTP on 10250 "something answers, but not TLS"', async () => {
    const server = await startKubelet({ '/pods': POD_LIST }, { cert: null, host: '127.0.0.1' });
    started.push(server);
    const result = await probeKubelet(target('127.0.0.1', 10250), {
      ...OPTIONS,
      connectPort: server.port,
    });
    expect(result).toMatchObject({ verdict: 'reachable-unrecognized', tls: null });
    expect(result.summary).toMatch(/^Something answers on port 10250, but not with TLS/);
  });

  it('calls a closed port not reachable', async () => {
    const result = await probeKubelet(target('127.0.0.1', 10255), {
      ...OPTIONS,
      connectPort: await closedPort(),
    });
    expect(result).toMatchObject({
      verdict: 'not-reachable',
      summary: 'Not reachable from here (ECONNREFUSED).',
    });
  });

  it('strips control characters from what the server says', async () => {
    const evil = {
      status: 403,
      body: 'Forbidden \u001b[31mRED\u001b[0m\u202e (user=system:anonymous)\r\nX-Forged: yes',
    };
    const server = await startKubelet({ '/pods': evil }, { cert: null, host: '127.0.0.1' });
    started.push(server);
    const result = await probeKubelet(target('127.0.0.1', 10255), {
      ...OPTIONS,
      connectPort: server.port,
    });
    expect(result.serverMessage).toBe('Forbidden [31mRED[0m (user=system:anonymous)');
    expect(result.summary).not.toMatch(/\p{Cc}|\u202e/u);
  });

  it('records when it started and how long it took', async () => {
    let t = Date.parse('2026-11-25T12:00:00.000Z');
    const now = () => (t += 250) - 250;
    const result = await probeKubelet(target('127.0.0.1', 10255), {
      ...OPTIONS,
      connectPort: await closedPort(),
      now,
    });
    expect(result).toMatchObject({ startedAt: '2026-11-25T12:00:00.000Z', durationMs: 250 });
  });

  it('refuses a target that is not an address and port of a kubelet', async () => {
    await expect(probeKubelet(target('node.example', 10250), OPTIONS)).rejects.toThrow(
      /not an IPv4 or IPv6 address/,
    );
    await expect(
      probeKubelet({ ...target('127.0.0.1', 10250), port: 22 as KubeletPort }, OPTIONS),
    ).rejects.toThrow('port 22 is not a kubelet port (10250 or 10255)');
  });
});

describe('probing kubelets bounded in time and interruptible', () => {
  it('ends the requests in flight at once when aborted, and says it was interrupted', async () => {
    const server = await startKubelet('silent', { cert: pki.server, host: '127.0.0.1' });
    started.push(server);
    const abort = new AbortController();
    const probing = probeKubelet(target('127.0.0.1', 10250), {
      timeoutMs: 60_000,
      signal: abort.signal,
      connectPort: server.port,
    });
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    const result = await probing;
    expect(result.interrupted).toBe(true);
    expect(result.summary).toMatch(
      /^Interrupted before the probe finished: seen until then: Reachable/,
    );
  }, 5_000);

  it('probes every node given, and none after an abort', async () => {
    const server = await startKubelet({ '/pods': KUBELET_401 }, { cert: null, host: '127.0.0.1' });
    started.push(server);
    const targets = Array.from({ length: 5 }, () => target('127.0.0.1', 10255));
    const results = await probeKubelets(targets, {
      ...OPTIONS,
      concurrency: 2,
      connectPort: server.port,
    });
    expect(results.map((r) => r.verdict)).toEqual(Array(5).fill('anonymous-rejected'));
    expect(server.requests).toHaveLength(10);
    const none = await probeKubelets(targets, {
      ...OPTIONS,
      concurrency: 2,
      connectPort: server.port,
      signal: AbortSignal.abort(),
    });
    expect(none).toEqual([]);
    expect(server.requests).toHaveLength(10);
    expectOnlyAnonymousPodsAndHealthz([server]);
  });
});
