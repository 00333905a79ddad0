import { type ProbeVerdict, type ProbeReport } from '../../src/model/probe.js';

/** A probe whose addresses saw the given verdicts. */
export function observation(...addresses: [string, ProbeVerdict][]): ProbeReport {
  const answered = addresses.find(([, v]) => v !== 'not-reachable');
  return {
    endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
    verdict: answered ? answered[1] : 'not-reachable',
    summary: answered ? 'Reachable.' : 'Not reachable from here (ETIMEDOUT).',
    gitVersion: null,
    insecure: false,
    vantage: null,
    probedAt: '2026-11-25T12:00:00.000Z',
    addresses: addresses.map(([address, verdict]) => ({
      address,
      family: address.includes(':') ? 6 : 4,
      verdict,
      summary: verdict,
      gitVersion: null,
      apiStatus: null,
      apiMessage: null,
      paths: [],
    })),
  };
}
