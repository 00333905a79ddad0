import type { KubeletProbeResult, KubeletProbeTarget } from '../model/node-probe.js';
import type { KubeletProbeOptions } from '../probe/kubelet-prober.js';

export interface KubeletProbePorts {
  /** Probes one node's kubelet anonymously (see src/probe/kubelet-prober.ts). */
  probeKubelet(
    target: KubeletProbeTarget,
    options: KubeletProbeOptions,
  ): Promise<KubeletProbeResult>;
}

export interface KubeletProbeRequest {
  readonly timeoutMs: number;
  /** SIGINT/SIGTERM: ends the probe at once. */
  readonly signal: AbortSignal;
  readonly now: () => number;
}

export type KubeletProbeOutcome =
  | { readonly kind: 'probed'; readonly result: KubeletProbeResult }
  | { readonly kind: 'interrupted' };

/** `probe --kubelet`: one node's kubelet, probed by hand (no cluster, account or instance known). */
export async function probeOneKubelet(
  ports: KubeletProbePorts,
  target: Pick<KubeletProbeTarget, 'address' | 'port' | 'caPem'>,
  request: KubeletProbeRequest,
): Promise<KubeletProbeOutcome> {
  const result = await ports.probeKubelet(
    { clusterName: null, region: null, accountId: null, instanceId: null, ...target },
    { timeoutMs: request.timeoutMs, signal: request.signal, now: request.now },
  );
  return request.signal.aborted || result.interrupted
    ? { kind: 'interrupted' }
    : { kind: 'probed', result };
}
