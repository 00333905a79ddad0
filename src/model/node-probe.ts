/**
 * What a probe of a node's kubelet observed: plain data, so that rule EKS-003 can carry it as
 * evidence and every report format can print it.
 */
import type { Severity } from './findings.js';

/** 10250: the kubelet's authenticated API (TLS); 10255: its read-only port (plain HTTP, no auth). */
export const KUBELET_PORTS = [10250, 10255] as const;
export type KubeletPort = (typeof KUBELET_PORTS)[number];

export const KUBELET_TLS_PORT: KubeletPort = 10250;
export const KUBELET_READ_ONLY_PORT: KubeletPort = 10255;

/** The only paths a kubelet probe requests, anonymously: nothing that runs, reads logs or changes state. */
export const KUBELET_PROBE_PATHS = ['/pods', '/healthz'] as const;
export type KubeletProbePath = (typeof KUBELET_PROBE_PATHS)[number];

/** Most exposed last. */
export const KUBELET_VERDICTS = [
  'not-reachable',
  'reachable-unrecognized',
  'anonymous-rejected',
  'anonymous-authenticated',
  'anonymous-pod-list',
] as const;
export type KubeletVerdict = (typeof KUBELET_VERDICTS)[number];

/** One node's kubelet to probe. Cluster, region, account and instance are null when probed by hand. */
export interface KubeletProbeTarget {
  readonly clusterName: string | null;
  readonly region: string | null;
  readonly accountId: string | null;
  readonly instanceId: string | null;
  /** An IPv4 or IPv6 address (no brackets, no host name). */
  readonly address: string;
  readonly port: KubeletPort;
  /**
   * The cluster's CA (DescribeCluster's certificateAuthority, as PEM): the certificate on 10250 is
   * checked against it. Without one, nothing is verified and the result says so.
   */
  readonly caPem?: string | null | undefined;
}

/** One request as the result keeps it: the status, or why there was none (never the body). */
export interface KubeletProbedPath {
  readonly path: KubeletProbePath;
  readonly status: number | null;
  /** Why there was no answer; with a status, why its body never completed (e.g. timeout). */
  readonly failure: string | null;
}

/**
 * On 10250, whether the kubelet's certificate chains to the cluster's CA and names the address. On
 * EKS it usually does not (the kubelet's serving certificate is self-signed unless
 * serverTLSBootstrap is on): the verdict then rests on the HTTP status alone, and nothing secret
 * was sent either way. Null on 10255 (plain HTTP) and when no TLS handshake completed.
 */
export interface KubeletTls {
  readonly verified: boolean;
  /** Why it did not verify: OpenSSL's code, or that no usable CA was given. */
  readonly problem: string | null;
}

export interface KubeletProbeResult {
  readonly clusterName: string | null;
  readonly region: string | null;
  readonly accountId: string | null;
  readonly instanceId: string | null;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: KubeletPort;
  readonly scheme: 'https' | 'http';
  readonly verdict: KubeletVerdict;
  /** The status /pods answered with, or null without an answer. */
  readonly status: number | null;
  readonly tls: KubeletTls | null;
  /** What the server said when it refused /pods (fit to print, at most 200 characters). */
  readonly serverMessage: string | null;
  /** One sentence a reader can act on (fit to print). */
  readonly summary: string;
  readonly paths: readonly KubeletProbedPath[];
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** The probe was aborted before it finished: "not-reachable" then proves nothing. */
  readonly interrupted: boolean;
}

/**
 * Pure: how a kubelet probe raises rule EKS-003's severity for the port it probed. The kubelet
 * answering an anonymous request with 403 (anonymous authentication is on: one RBAC binding away
 * from exec in every pod) or 200 with a pod list (anyone reads every pod's spec) is critical;
 * anything else leaves the rule's own severity.
 */
export function kubeletSeverityBump(
  result: Pick<KubeletProbeResult, 'verdict' | 'port'>,
): Severity | null {
  if (!(KUBELET_PORTS as readonly number[]).includes(result.port)) return null;
  return result.verdict === 'anonymous-authenticated' || result.verdict === 'anonymous-pod-list'
    ? 'critical'
    : null;
}
