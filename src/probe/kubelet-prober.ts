/**
 * Probes a node's kubelet anonymously: GET /pods and GET /healthz, nothing else, no credentials.
 * On 10250 over TLS, the certificate checked against the cluster's CA but never required (EKS's
 * kubelets usually serve a self-signed certificate: the result says it did not verify, and the
 * verdict rests on the HTTP status, which is all an attacker needs too); on 10255 plain HTTP.
 */
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import pLimit from 'p-limit';
import {
  KUBELET_PORTS,
  KUBELET_PROBE_PATHS,
  type KubeletProbeResult,
  type KubeletProbeTarget,
  type KubeletTls,
} from '../model/node-probe.js';
import { anonymousGet, type ConnectionSeen } from './anonymous-get.js';
import { caPemProblem } from './ca-pem.js';
import { judgeKubelet } from './kubelet-verdict.js';

export interface KubeletProbeOptions {
  /** Bound on each request, from sending it to its last byte (both go out at once). */
  readonly timeoutMs: number;
  /** Ends the requests in flight at once and starts no other; the result is then `interrupted`. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds since the epoch, for the result's timings. */
  readonly now?: (() => number) | undefined;
  /**
   * Tests only: connect to this port instead of the target's (the target's port still says which
   * protocol to speak and is what the result reports), for stand-ins on ephemeral ports.
   */
  readonly connectPort?: number | undefined;
}

/** Pure: why a target cannot be probed, or null. */
export function kubeletTargetProblem(
  target: Pick<KubeletProbeTarget, 'address' | 'port'>,
): string | null {
  if (isIP(target.address) === 0) return `"${target.address}" is not an IPv4 or IPv6 address`;
  if (!(KUBELET_PORTS as readonly number[]).includes(target.port)) {
    return `port ${target.port} is not a kubelet port (${KUBELET_PORTS.join(' or ')})`;
  }
  return null;
}

/**
 * Probes one node's kubelet. Never rejects on what the network does; throws a TypeError on a
 * target kubeletTargetProblem refuses (a caller's mistake, not an observation).
 */
export async function probeKubelet(
  target: KubeletProbeTarget,
  options: KubeletProbeOptions,
): Promise<KubeletProbeResult> {
  const problem = kubeletTargetProblem(target);
  if (problem !== null) throw new TypeError(problem);
  const now = options.now ?? Date.now;
  const started = now();
  const family = isIP(target.address) === 6 ? 6 : 4;
  const https = target.port === 10250;
  const caPem = target.caPem ?? null;
  const caProblem = caPem === null ? 'no CA given' : caPemProblem(caPem);
  const hostHeader =
    family === 6 ? `[${target.address}]:${target.port}` : `${target.address}:${target.port}`;
  const answers = await Promise.all(
    KUBELET_PROBE_PATHS.map((path) =>
      anonymousGet({
        // Never rejectUnauthorized: the handshake completes whatever the certificate, and the
        // verdict rests on the status; the requests carry nothing secret to lose.
        tls: https
          ? {
              ca: caProblem === null ? (caPem ?? undefined) : undefined,
              rejectUnauthorized: false,
              checkServerIdentity: (_name, cert) => checkServerIdentity(target.address, cert),
            }
          : null,
        address: target.address,
        port: options.connectPort ?? target.port,
        path,
        hostHeader,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      }),
    ),
  );
  const results = answers.map((a) => a.result);
  const tls = https
    ? tlsOf(
        answers.map((a) => a.seen),
        caProblem,
      )
    : null;
  const judged = judgeKubelet({
    port: target.port,
    results,
    connected: answers.some((a) => a.seen.connected),
    tls,
  });
  const interrupted = options.signal?.aborted === true;
  const summary = interrupted
    ? `Interrupted before the probe finished: ${judged.verdict === 'not-reachable' ? 'nothing answered until then, so whether it is reachable is unknown.' : `seen until then: ${judged.summary}`}`
    : judged.summary;
  return {
    clusterName: target.clusterName,
    region: target.region,
    accountId: target.accountId,
    instanceId: target.instanceId,
    address: target.address,
    family,
    port: target.port,
    scheme: https ? 'https' : 'http',
    ...judged,
    summary,
    tls,
    paths: results.map((r) => ({
      path: r.path,
      status: r.answered ? r.status : null,
      failure: r.answered ? (r.cutShort ?? null) : r.code,
    })),
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, now() - started),
    interrupted,
  };
}

/** Whether the certificate verified (any handshake that did not, or no usable CA, says no). */
function tlsOf(seen: readonly ConnectionSeen[], caProblem: string | null): KubeletTls | null {
  const handshakes = seen.flatMap((s) => (s.tls === null ? [] : [s.tls]));
  if (handshakes.length === 0) return null;
  if (caProblem !== null) return { verified: false, problem: caProblem };
  const refused = handshakes.find((t) => !t.authorized);
  return refused ? { verified: false, problem: refused.error } : { verified: true, problem: null };
}

export interface KubeletsProbeOptions extends KubeletProbeOptions {
  /** Nodes probed at once (each sends its two requests in parallel). */
  readonly concurrency: number;
}

/**
 * Probes many nodes' kubelets, `concurrency` at once, in the order given. Once `signal` aborts,
 * the probes in flight end at once and no other starts: a target not probed is missing from the
 * list, and one cut short is `interrupted`.
 */
export async function probeKubelets(
  targets: readonly KubeletProbeTarget[],
  options: KubeletsProbeOptions,
): Promise<KubeletProbeResult[]> {
  const limit = pLimit(options.concurrency);
  const probed = await Promise.all(
    targets.map((target) =>
      limit(async () => (options.signal?.aborted ? [] : [await probeKubelet(target, options)])),
    ),
  );
  return probed.flat();
}
