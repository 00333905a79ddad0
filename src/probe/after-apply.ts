import { addressInCidrs, cidrFamily, hostCidrOf, isNonInternetAddress } from '../net/cidr.js';

import { failureKindOf } from './classify.js';
import { type EndpointConfig } from '../model/endpoint.js';
import { type ProbedAddress, type ProbeReport } from '../model/probe.js';

/**
 * What a changed cluster's configuration says this machine should observe:
 * - not-reachable: the public endpoint is off, or this machine's address (--my-ip) is outside the allowlist;
 * - reachable-from-here: --my-ip is inside the allowlist, so answers prove nothing about the rest of the internet;
 * - unknown: an allowlist and no --my-ip: this machine may or may not be inside it.
 */
export type ExpectedFromHere = 'not-reachable' | 'reachable-from-here' | 'unknown';

/** `apply --probe`: what a cluster's endpoint did after its change, seen from this machine. */
export interface AfterApplyCheck {
  readonly expected: ExpectedFromHere;
  /**
   * true: the endpoint does not answer from here, as the change intends.
   * false: it still answers where the configuration says it should not (exit 1).
   * null: this vantage point cannot tell (inside the allowlist, inside the VPC, no --my-ip, not probed, ...).
   */
  readonly confirmed: boolean | null;
  readonly summary: string;
  /** Probes made (a cluster that still answers is probed again until --probe-wait runs out). */
  readonly attempts: number;
  /** The last probe; null when the cluster could not be read to probe it. */
  readonly observation: ProbeReport | null;
}

export interface Expectation {
  readonly expected: ExpectedFromHere;
  readonly why: string;
}

const familyOf = (address: string): 4 | 6 | undefined => {
  const host = hostCidrOf(address);
  return host === undefined ? undefined : cidrFamily(host);
};

/**
 * Pure: what the configuration now in force says the probe should see from `vantage`, over
 * connections of `family` (default: the vantage's own). An allowlist is judged only for the
 * vantage's family: a machine's IPv4 address says nothing about where its IPv6 traffic comes from.
 */
export function expectationAfterChange(
  config: EndpointConfig,
  vantage: string | null,
  family: 4 | 6 | undefined = vantage === null ? undefined : familyOf(vantage),
): Expectation {
  if (!config.endpointPublicAccess) {
    return { expected: 'not-reachable', why: 'the public endpoint is off' };
  }
  if (vantage === null) {
    return {
      expected: 'unknown',
      why: 'the public endpoint has an allowlist and --my-ip was not given, so this machine may be inside it',
    };
  }
  if (familyOf(vantage) !== family) {
    return {
      expected: 'unknown',
      why: `--my-ip ${vantage} is not an IPv${family ?? '?'} address, so where this machine's IPv${family ?? '?'} traffic comes from is not known`,
    };
  }
  return addressInCidrs(vantage, config.publicAccessCidrs)
    ? {
        expected: 'reachable-from-here',
        why: `${vantage} is inside the allowlist, so answers from here say nothing about the rest of the internet`,
      }
    : { expected: 'not-reachable', why: `${vantage} is outside the allowlist` };
}

const addressList = (addresses: readonly ProbedAddress[]) =>
  addresses.map((a) => a.address).join(', ');

/**
 * An answer that cannot be the cluster's: a certificate that does not chain to its CA, or a service
 * that does not speak TLS at all (a captive portal, a transparent proxy). The API server only ever
 * answers over TLS with its own certificate.
 */
const fromStranger = (a: ProbedAddress) =>
  a.verdict === 'tls-mismatch' ||
  (a.paths.every((p) => p.status === null) &&
    a.paths.some((p) => p.failure !== null && failureKindOf(p.failure) === 'not-tls'));

/**
 * Pure: whether one observation agrees with the configuration, and the sentence that says so.
 * Only an answer that can only be the cluster's public endpoint (a public address, the cluster's
 * own certificate) where none should come contradicts the change; silence confirms it only when
 * there was an address to be silent on.
 */
export function judgeObservation(
  config: EndpointConfig,
  vantage: string | null,
  observation: ProbeReport,
): Pick<AfterApplyCheck, 'confirmed' | 'summary'> {
  const seen = observation.summary;
  const overall = expectationAfterChange(config, vantage);
  if (observation.addresses.length === 0) {
    return { confirmed: null, summary: `Not judged: no address was probed. ${seen}` };
  }
  const answered = observation.addresses.filter((a) => a.verdict !== 'not-reachable');
  const shutTo = (a: ProbedAddress) =>
    expectationAfterChange(config, vantage, a.family).expected === 'not-reachable';
  const contradicting = answered.filter(
    (a) => shutTo(a) && !fromStranger(a) && !isNonInternetAddress(a.address),
  );
  if (contradicting.length > 0) {
    const why = expectationAfterChange(config, vantage, contradicting[0]?.family).why;
    return {
      confirmed: false,
      summary: `Still answers from here (${addressList(contradicting)}) although ${why}. ${seen}`,
    };
  }
  if (answered.length === 0) {
    return overall.expected === 'reachable-from-here'
      ? { confirmed: null, summary: `Does not answer from here although ${overall.why}. ${seen}` }
      : {
          confirmed: true,
          summary:
            overall.expected === 'not-reachable'
              ? `Confirmed: no longer answers from here (${overall.why}). ${seen}`
              : `Confirmed: does not answer from here (give --my-ip to record where that holds from). ${seen}`,
        };
  }
  const stranger = answered.filter(fromStranger);
  if (stranger.length > 0) {
    return {
      confirmed: null,
      summary:
        `Something answers on ${addressList(stranger)}, but not with the cluster's certificate ` +
        `(a TLS-inspecting proxy, a captive portal or another server), so the cluster cannot be judged from here. ${seen}`,
    };
  }
  if (answered.every((a) => shutTo(a))) {
    return {
      confirmed: null,
      summary:
        `Answers only on private addresses (${addressList(answered)}): this machine reaches the cluster's network, ` +
        `so the public endpoint cannot be judged from here; probe from outside it. ${seen}`,
    };
  }
  const why = expectationAfterChange(config, vantage, answered.find((a) => !shutTo(a))?.family).why;
  return { confirmed: null, summary: `Answers from here, but ${why}. ${seen}` };
}
