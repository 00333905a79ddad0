import pLimit from 'p-limit';

import { endpointAccessOf } from '../rules/endpoint-access.js';
import { probeKey } from '../rules/eks-probe-001-api-reachable.js';
import { toProbeReport } from './probe-report.js';
import { type EndpointProbe, probeEndpoint, type Resolver } from './prober.js';
import { type AccountScanResult, type ClusterRecord } from '../model/scan.js';
import { type ProbeReport } from '../model/probe.js';

export interface ClusterProbeOptions {
  readonly timeoutMs: number;
  /** Clusters probed at once (each sends its three requests per address in parallel). */
  readonly concurrency: number;
  /** --my-ip, recorded as the vantage point. */
  readonly vantage: string | null;
  readonly clock: () => Date;
  readonly resolve?: Resolver | undefined;
  /** Ends the probes in flight at once; clusters not yet probed are not probed (see probeClusters). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Pure: the PEM of DescribeCluster's certificateAuthority.data (base64 of the PEM), or null when it
 * is absent or no PEM; whether its certificates parse is the prober's to check (caPemProblem).
 */
export function caPemOf(cluster: Pick<ClusterRecord, 'certificateAuthority'>): string | null {
  const data = cluster.certificateAuthority?.data;
  if (!data) return null;
  const pem = Buffer.from(data, 'base64').toString('utf8');
  return pem.includes('-----BEGIN CERTIFICATE-----') ? pem : null;
}

/** Pure: the clusters --probe looks at: readable, public endpoint on, with an https endpoint. */
export function probeTargets(accounts: readonly AccountScanResult[]): ClusterRecord[] {
  return accounts.flatMap((a) =>
    a.ok
      ? a.scans.flatMap((s) =>
          s.clusters.flatMap((c) =>
            c.ok &&
            endpointAccessOf(c.cluster).publicAccess &&
            c.cluster.endpoint?.startsWith('https://')
              ? [c.cluster]
              : [],
          ),
        )
      : [],
  );
}

/**
 * Probes one cluster's endpoint, TLS verified against the cluster's own CA. When `signal` aborted
 * it, the report's summary starts "Interrupted" and its verdict proves nothing ("not-reachable"
 * above all): a caller that aborted tells by `signal.aborted`.
 */
export async function probeClusterEndpoint(
  cluster: Pick<ClusterRecord, 'endpoint' | 'certificateAuthority'>,
  options: Omit<ClusterProbeOptions, 'concurrency'>,
): Promise<ProbeReport> {
  return toProbeReport(await observeCluster(cluster, options), options.vantage, options.clock());
}

function observeCluster(
  cluster: Pick<ClusterRecord, 'endpoint' | 'certificateAuthority'>,
  options: Omit<ClusterProbeOptions, 'concurrency'>,
): Promise<EndpointProbe> {
  return probeEndpoint({
    url: new URL(cluster.endpoint ?? ''),
    // No CA in the answer, or one Node cannot parse: the prober trusts no certificate and
    // reports tls-mismatch saying so, rather than falling back on node's own roots.
    caPem: caPemOf(cluster),
    insecure: false,
    timeoutMs: options.timeoutMs,
    resolve: options.resolve,
    signal: options.signal,
  });
}

/**
 * Probes every public cluster of the scan, TLS verified against the cluster's own CA. Once
 * `signal` aborts, no further cluster is probed and the ones in flight end at once; the map then
 * holds only the probes that finished: a cluster missing from it was not (fully) probed.
 */
export async function probeClusters(
  accounts: readonly AccountScanResult[],
  options: ClusterProbeOptions,
): Promise<ReadonlyMap<string, ProbeReport>> {
  const limit = pLimit(options.concurrency);
  const probed = await Promise.all(
    probeTargets(accounts).map((cluster) =>
      limit(async () => {
        if (options.signal?.aborted) return [];
        const probe = await observeCluster(cluster, options);
        if (probe.interrupted === true) return [];
        return [
          [probeKey(cluster), toProbeReport(probe, options.vantage, options.clock())] as const,
        ];
      }),
    ),
  );
  return new Map(probed.flat());
}
