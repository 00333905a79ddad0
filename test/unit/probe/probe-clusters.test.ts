import { probeClusters } from '../../../src/probe/probe-clusters.js';
import {
  EKS_DEFAULT,
  makeTestPki,
  startApiServer,
  startStallServer,
} from '../../support/kube-tls.js';
import { accountScan } from '../../support/report.js';
import { type ClusterRecord } from '../../../src/model/scan.js';

const pki = makeTestPki();

const cluster = (name: string, port: number): ClusterRecord => ({
  name,
  arn: `arn:aws:eks:us-east-1:123456789012:cluster/${name}`,
  endpoint: `https://127.0.0.1:${port}`,
  resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
  certificateAuthority: { data: Buffer.from(pki.ca.cert).toString('base64') },
});

const scanOf = (...clusters: ClusterRecord[]) => [
  accountScan([
    {
      region: 'us-east-1',
      error: undefined,
      clusters: clusters.map((c) => ({ name: c.name ?? '', ok: true as const, cluster: c })),
    },
  ]),
];

describe('probeClusters, interrupted', () => {
  it('ends the probe in flight, probes no cluster still queued, and keeps neither', async () => {
    const stalled = await startStallServer('silent', pki.server);
    const queued = await startApiServer(pki.server, EKS_DEFAULT);
    try {
      const abort = new AbortController();
      const probing = probeClusters(
        scanOf(cluster('stalled', stalled.port), cluster('queued', queued.port)),
        {
          timeoutMs: 60_000,
          concurrency: 1,
          vantage: null,
          clock: () => new Date(),
          signal: abort.signal,
        },
      );
      await stalled.reached;
      abort.abort();
      // Only probes that finished are kept: a cluster missing from the map was not (fully) probed.
      expect((await probing).size).toBe(0);
      expect(queued.requests).toEqual([]);
    } finally {
      await Promise.all([stalled.close(), queued.close()]);
    }
  }, 5_000);

  it('keeps every probe when nothing aborts', async () => {
    const server = await startApiServer(pki.server, EKS_DEFAULT);
    try {
      const probes = await probeClusters(
        scanOf(cluster('a', server.port), cluster('b', server.port)),
        {
          timeoutMs: 2_000,
          concurrency: 1,
          vantage: null,
          clock: () => new Date(),
          signal: new AbortController().signal,
        },
      );
      expect([...probes.values()].map((p) => p.verdict)).toEqual([
        'version-disclosed',
        'version-disclosed',
      ]);
    } finally {
      await server.close();
    }
  });
});
