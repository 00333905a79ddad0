import type { Cluster } from '@aws-sdk/client-eks';
import { formatErrorInfo, toErrorInfo } from '../model/errors.js';
import type { ProbeReport } from '../model/probe.js';
import type { Clock } from '../model/time.js';
import { caPemOf } from '../probe/probe-clusters.js';
import { toProbeReport } from '../probe/probe-report.js';
import type { EndpointProbe, ProbeOptions } from '../probe/prober.js';

/** What `probe` sends its requests to, and what it trusts. */
export interface ProbeTarget {
  readonly url: URL;
  readonly caPem: string | null;
  readonly insecure: boolean;
}

export interface ProbePorts {
  readonly clock: Clock;
  /** Probes one API server anonymously (see src/probe/prober.ts). */
  probeEndpoint(options: ProbeOptions): Promise<EndpointProbe>;
}

export interface ProbeRequest {
  readonly timeoutMs: number;
  /** --my-ip, recorded as the vantage point. */
  readonly vantage: string | null;
  /** SIGINT/SIGTERM: ends the probe at once. */
  readonly signal: AbortSignal;
}

export type ProbeOutcome =
  | {
      readonly kind: 'probed';
      readonly report: ProbeReport;
      readonly host: string;
      /** Set when the host name did not resolve: nothing was probed. */
      readonly resolveError: string | null;
    }
  /** The cluster could not be read, or has no endpoint yet: nothing was probed. */
  | { readonly kind: 'unreadable'; readonly message: string }
  | { readonly kind: 'interrupted' };

/** Probes one API server and keeps what the report shows. */
export async function probeOne(
  ports: ProbePorts,
  target: ProbeTarget,
  request: ProbeRequest,
): Promise<ProbeOutcome> {
  const observed = await ports.probeEndpoint({
    ...target,
    timeoutMs: request.timeoutMs,
    signal: request.signal,
  });
  if (request.signal.aborted) return { kind: 'interrupted' };
  return {
    kind: 'probed',
    report: toProbeReport(observed, request.vantage, new Date(ports.clock.now())),
    host: observed.host,
    resolveError: observed.resolveError,
  };
}

/** `probe --cluster`: the endpoint and CA DescribeCluster gives, then the probe. */
export async function probeCluster(
  ports: ProbePorts & {
    describeCluster(region: string, name: string, signal: AbortSignal): Promise<Cluster>;
  },
  cluster: { readonly region: string; readonly name: string },
  request: ProbeRequest,
): Promise<ProbeOutcome> {
  const { region, name } = cluster;
  let described: Cluster;
  try {
    described = await ports.describeCluster(region, name, request.signal);
  } catch (error) {
    if (request.signal.aborted) return { kind: 'interrupted' };
    return {
      kind: 'unreadable',
      message: `DescribeCluster ${name} in ${region} failed: ${formatErrorInfo(toErrorInfo(error))}`,
    };
  }
  if (!described.endpoint) {
    return {
      kind: 'unreadable',
      message: `cluster ${name} in ${region} has no endpoint yet (status ${described.status ?? '?'})`,
    };
  }
  const target = { url: new URL(described.endpoint), caPem: caPemOf(described), insecure: false };
  return probeOne(ports, target, request);
}
