import type { Severity } from '../rules/types.js';
import type { ProbeVerdict } from './classify.js';
import type { EndpointProbe } from './prober.js';

/** One request of a probe as the report keeps it: the status, or the reason there was none (never the body). */
export interface ProbedPath {
  readonly path: string;
  readonly status: number | null;
  /** Why there was no answer; with a status, why its body never completed (e.g. timeout). */
  readonly failure: string | null;
}

export interface ProbedAddress {
  readonly address: string;
  readonly family: 4 | 6;
  readonly verdict: ProbeVerdict;
  readonly summary: string;
  readonly gitVersion: string | null;
  readonly apiStatus: number | null;
  readonly apiMessage: string | null;
  readonly paths: readonly ProbedPath[];
}

/** What the audit report says a probe observed (finding.probe, and EKS-PROBE-001's evidence). */
export interface ProbeReport {
  readonly endpoint: string;
  readonly verdict: ProbeVerdict;
  readonly summary: string;
  readonly gitVersion: string | null;
  /** The certificate was not verified (--insecure). */
  readonly insecure: boolean;
  /** The prober's public address as --my-ip gave it: "not reachable" holds from there only. */
  readonly vantage: string | null;
  readonly probedAt: string;
  readonly addresses: readonly ProbedAddress[];
}

/** Pure: the report's record of a probe (bodies left out: a server's answer is not ours to republish). */
export function toProbeReport(
  probe: EndpointProbe,
  vantage: string | null,
  probedAt: Date,
): ProbeReport {
  return {
    endpoint: probe.endpoint,
    verdict: probe.verdict,
    summary: probe.summary,
    gitVersion: probe.gitVersion,
    insecure: probe.insecure,
    vantage,
    probedAt: probedAt.toISOString(),
    addresses: probe.addresses.map((a) => ({
      address: a.address,
      family: a.family,
      verdict: a.verdict,
      summary: a.summary,
      gitVersion: a.gitVersion,
      apiStatus: a.apiStatus,
      apiMessage: a.apiMessage,
      paths: a.results.map((r) => ({
        path: r.path,
        status: r.answered ? r.status : null,
        failure: r.answered ? (r.cutShort ?? null) : r.code,
      })),
    })),
  };
}

/** How bad each observation is; null: nothing answered from here. */
export const VERDICT_SEVERITY: Readonly<Record<ProbeVerdict, Severity | null>> = {
  'not-reachable': null,
  'tls-mismatch': 'medium',
  'reachable-unrecognized': 'low',
  'anonymous-rejected': 'low',
  'version-disclosed': 'medium',
  'anonymous-api-access': 'critical',
};

/** Pure: the one line a table or a CSV cell shows for a probe. */
export function probeText(probe: ProbeReport): string {
  const from = probe.vantage ? ` from ${probe.vantage}` : '';
  const insecure = probe.insecure ? ' [TLS NOT VERIFIED: --insecure]' : '';
  return `observed${from}: ${probe.verdict}${probe.gitVersion ? ` (${probe.gitVersion})` : ''}${insecure}`;
}
