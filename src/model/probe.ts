/** What a probe of an API server observed, as reports keep it. */

/** Most exposed last; an endpoint's verdict is the worst over its addresses. */
export const PROBE_VERDICTS = [
  'not-reachable',
  'tls-mismatch',
  'reachable-unrecognized',
  'anonymous-rejected',
  'version-disclosed',
  'anonymous-api-access',
] as const;

export type ProbeVerdict = (typeof PROBE_VERDICTS)[number];

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
