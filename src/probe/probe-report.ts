import type { EndpointProbe } from './prober.js';
import { type ProbeReport } from '../model/probe.js';

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

/** Pure: the one line a table or a CSV cell shows for a probe. */
export function probeText(probe: ProbeReport): string {
  const from = probe.vantage ? ` from ${probe.vantage}` : '';
  const insecure = probe.insecure ? ' [TLS NOT VERIFIED: --insecure]' : '';
  return `observed${from}: ${probe.verdict}${probe.gitVersion ? ` (${probe.gitVersion})` : ''}${insecure}`;
}
