/**
 * `audit --rules EKS-003 --probe`: the kubelets EKS-003 finds open to the internet are probed
 * anonymously (GET /pods and /healthz only), and what they answered raises the finding. The node's
 * "public" address is a loopback alias where a kubelet stand-in listens on the real port 10250;
 * skipped, saying why, where that port cannot be bound.
 */
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { parseFixture } from '../../src/emulator/fixture.js';
import type { KubeletProbeResult } from '../../src/model/node-probe.js';
import { isolatedAwsEnv, runCli } from '../support/cli.js';
import { makeTestPki } from '../support/kube-tls.js';
import {
  HEALTHZ_OK,
  KUBELET_403,
  type RunningKubelet,
  startKubelet,
  whyRealPortsUnusable,
} from '../support/kubelet-stand-in.js';
import { findingFor, parseReport } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';

const NODE = '127.0.0.7';
const pki = makeTestPki([NODE]);
const base64 = (text: string) => Buffer.from(text).toString('base64');

const fixture = parseFixture({
  accountId: '123456789012',
  regions: {
    'us-east-1': {
      clusters: [
        {
          name: 'open-kubelets',
          endpointPublicAccess: false,
          endpointPrivateAccess: true,
          certificateAuthority: base64(pki.ca.cert),
        },
      ],
      instances: [
        {
          instanceId: 'i-0a1b2c3d4e5f60777',
          tags: { 'eks:cluster-name': 'open-kubelets' },
          privateIp: '10.0.1.77',
          publicIp: NODE,
          securityGroups: ['sg-000000000000open'],
        },
      ],
      securityGroups: {
        'sg-000000000000open': {
          name: 'kubelet-open',
          ingress: [{ protocol: 'tcp', fromPort: 10250, toPort: 10250, cidrs: ['0.0.0.0/0'] }],
        },
      },
    },
  },
});

const unusable = await whyRealPortsUnusable(NODE, 10250);
if (unusable !== null) {
  // eslint-disable-next-line no-console
  console.log(`audit --probe of kubelets skipped: ${unusable}`);
}
const withRealPorts = unusable === null ? describe : describe.skip;

withRealPorts('audit --rules EKS-003 --probe', () => {
  let emulator: RunningEmulator;
  let kubelet: RunningKubelet;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture });
    kubelet = await startKubelet(
      { '/pods': KUBELET_403, '/healthz': HEALTHZ_OK },
      { cert: pki.server, host: NODE, port: 10250 },
    );
  });
  afterAll(async () => {
    await kubelet.close();
    await emulator.close();
  });

  it('probes the exposed kubelet, and a 403 (anonymous auth on) makes the finding critical', async () => {
    const run = await runCli(
      [
        'audit',
        '--endpoint-url',
        emulator.url,
        '--regions',
        'us-east-1',
        '--rules',
        'EKS-003',
        '--probe',
        '--probe-timeout',
        '2',
        '--output',
        'json',
      ],
      isolatedAwsEnv(),
    );
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    const finding = findingFor(report, 'us-east-1', 'open-kubelets', 'EKS-003');
    expect(finding).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(finding.message).toContain(
      'The probe saw anonymous access on 1 kubelet: i-0a1b2c3d4e5f60777:10250 anonymous-authenticated.',
    );
    const probed = finding.evidence?.['kubeletProbes'] as KubeletProbeResult[];
    expect(probed).toEqual([
      expect.objectContaining({
        instanceId: 'i-0a1b2c3d4e5f60777',
        address: NODE,
        port: 10250,
        verdict: 'anonymous-authenticated',
        tls: { verified: true, problem: null },
      }),
    ]);
    // Two anonymous GETs, nothing else, no credential.
    expect(kubelet.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /healthz',
      'GET /pods',
    ]);
    expect(kubelet.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('probes no kubelet without --probe', async () => {
    const before = kubelet.requests.length;
    const run = await runCli(
      ['audit', '--endpoint-url', emulator.url, '--regions', 'us-east-1', '--rules', 'EKS-003'],
      isolatedAwsEnv(),
    );
    expect(run.code).toBe(1);
    expect(kubelet.requests.length).toBe(before);
  });
});
