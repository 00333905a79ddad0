/**
 * `eksposure probe --kubelet ADDRESS[:PORT]` against kubelet stand-ins on the real ports 10250 and
 * 10255 of loopback aliases 127.0.0.8 and 127.0.0.9 (the CLI speaks TLS or plain HTTP by the port,
 * so it needs the real ones); skipped, saying why, where they cannot be bound.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startCli } from '../support/cli.js';
import { makeTestPki } from '../support/kube-tls.js';
import {
  HEALTHZ_OK,
  KUBELET_403,
  podListBody,
  type RunningKubelet,
  startKubelet,
  whyRealPortsUnusable,
} from '../support/kubelet-stand-in.js';
import { tempDir } from '../support/remediation.js';
import { schemaErrors } from '../support/schema.js';

const TLS_NODE = '127.0.0.8';
const PLAIN_NODE = '127.0.0.9';
const pki = makeTestPki([TLS_NODE]);
const dir = tempDir();
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, pki.ca.cert);

const probe = (...args: string[]) => runCli(['probe', ...args, '--probe-timeout', '2']);

const started: RunningKubelet[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

const unusable =
  (await whyRealPortsUnusable(TLS_NODE, 10250)) ?? (await whyRealPortsUnusable(PLAIN_NODE, 10255));
if (unusable !== null) {
  // eslint-disable-next-line no-console
  console.log(`probe --kubelet against stand-ins skipped: ${unusable}`);
}
const withRealPorts = unusable === null ? describe : describe.skip;

withRealPorts('probe --kubelet against kubelet stand-ins', () => {
  it('reports anonymous auth on 10250 (403), the certificate verified: exit 1', async () => {
    const node = await startKubelet(
      { '/pods': KUBELET_403, '/healthz': HEALTHZ_OK },
      { cert: pki.server, host: TLS_NODE, port: 10250 },
    );
    started.push(node);
    const run = await probe('--kubelet', TLS_NODE, '--ca-file', caFile);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'kubelet https://127.0.0.8:10250  observed: anonymous-authenticated [TLS verified]',
    );
    expect(node.requests.map((r) => r.path).sort()).toEqual(['/healthz', '/pods']);
    expect(node.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('without a CA, says TLS was not verified and judges the status all the same', async () => {
    const node = await startKubelet(
      { '/pods': KUBELET_403 },
      { cert: pki.wrongCa, host: TLS_NODE, port: 10250 },
    );
    started.push(node);
    const run = await probe('--kubelet', `${TLS_NODE}:10250`, '--output', 'json');
    expect(run.code).toBe(1);
    expect(schemaErrors('kubelet-probe-report.schema.json', JSON.parse(run.stdout))).toEqual([]);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kind: 'eksposure-kubelet-probe-report',
      verdict: 'anonymous-authenticated',
      status: 403,
      port: 10250,
      tls: { verified: false, problem: 'no CA given' },
      paths: [
        { path: '/pods', status: 403, failure: null },
        { path: '/healthz', status: 404, failure: null },
      ],
    });
  });

  it('reports the read-only port handing out the pod list (exit 1), in JSON', async () => {
    const node = await startKubelet(
      { '/pods': { status: 200, body: podListBody(100) } },
      { cert: null, host: PLAIN_NODE, port: 10255 },
    );
    started.push(node);
    const run = await probe(
      '--kubelet',
      `${PLAIN_NODE}:10255`,
      '--output',
      'json',
      '--my-ip',
      '198.51.100.7',
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      verdict: 'anonymous-pod-list',
      scheme: 'http',
      tls: null,
      vantage: '198.51.100.7',
      clusterName: null,
    });
    // Bodies are never repeated: not a pod's name, not its environment.
    expect(run.stdout).not.toContain('hunter2');
  });

  it('calls a closed port not reachable: exit 0', async () => {
    const run = await probe('--kubelet', `${PLAIN_NODE}:10255`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('observed: not-reachable');
  });

  it('SIGINT ends a probe of a silent kubelet at once: exit 130, no report', async () => {
    const node = await startKubelet('silent', { cert: pki.server, host: TLS_NODE, port: 10250 });
    started.push(node);
    const running = startCli(['probe', '--kubelet', TLS_NODE, '--probe-timeout', '60']);
    while (node.requests.length < 2) await new Promise((r) => setTimeout(r, 20));
    const signalledAt = Date.now();
    running.signal('SIGINT');
    const run = await running.exited;
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(run.code).toBe(130);
    expect(run.stdout).toBe('');
  }, 20_000);
});

describe('probe --kubelet refuses bad input in one line (exit 2)', () => {
  it.each([
    [['--kubelet', 'node-1.example'], 'is not a node address'],
    [['--kubelet', '127.0.0.8:22'], '--kubelet port must be 10250'],
    [['--kubelet', '127.0.0.8:10250:1'], 'is not a node address'],
    [['--kubelet', '[127.0.0.8]:10250'], 'is not a node address'],
    [['--kubelet', '127.0.0.8', '--insecure'], 'drop the URL, --cluster and --insecure'],
    [['https://127.0.0.1:1', '--kubelet', '127.0.0.8'], 'drop the URL'],
    [['--kubelet', '127.0.0.8', '--ca-file', join(dir, 'missing.pem')], 'cannot be read'],
  ])('%j', async (args, message) => {
    const run = await probe(...args);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });

  it('accepts a bare IPv6 address and one in brackets with its port', async () => {
    // Nothing listens on ::1's kubelet ports here (the stand-ins are on 127.0.0.8/9): exit 0.
    for (const value of ['::1', '[::1]:10255']) {
      const run = await probe('--kubelet', value);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^kubelet https?:\/\/\[::1\]:1025[05] {2}observed: not-reachable/);
    }
  });
});
