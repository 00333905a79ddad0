import { addressInCidrs, isNonInternetAddress } from '../net/cidr.js';
import type { EndpointConfig } from '../remediation/endpoint-config.js';
import type { ProbeReport } from './probe-report.js';

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
   * null: this vantage point cannot tell (inside the allowlist, inside the VPC, no --my-ip, or not probed).
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

/** Pure: what the configuration now in force says the probe should see from `vantage`. */
export function expectationAfterChange(
  config: EndpointConfig,
  vantage: string | null,
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
  return addressInCidrs(vantage, config.publicAccessCidrs)
    ? {
        expected: 'reachable-from-here',
        why: `${vantage} is inside the allowlist, so answers from here say nothing about the rest of the internet`,
      }
    : { expected: 'not-reachable', why: `${vantage} is outside the allowlist` };
}

/** Addresses that answered at all (a TLS handshake with a stranger's certificate is an answer). */
function answeringAddresses(observation: ProbeReport): string[] {
  return observation.addresses.filter((a) => a.verdict !== 'not-reachable').map((a) => a.address);
}

/** Pure: whether one observation agrees with the expectation, and the sentence that says so. */
export function judgeObservation(
  expectation: Expectation,
  observation: ProbeReport,
): Pick<AfterApplyCheck, 'confirmed' | 'summary'> {
  const answering = answeringAddresses(observation);
  const seen = observation.summary;
  if (answering.length === 0) {
    return expectation.expected === 'reachable-from-here'
      ? {
          confirmed: null,
          summary: `Does not answer from here although ${expectation.why}. ${seen}`,
        }
      : {
          confirmed: true,
          summary: `Confirmed: no longer answers from here (${expectation.why}). ${seen}`,
        };
  }
  if (expectation.expected !== 'not-reachable') {
    return { confirmed: null, summary: `Answers from here, but ${expectation.why}. ${seen}` };
  }
  if (answering.every(isNonInternetAddress)) {
    return {
      confirmed: null,
      summary:
        `Answers only on private addresses (${answering.join(', ')}): this machine reaches the cluster's network, ` +
        `so the public endpoint cannot be judged from here; probe from outside it. ${seen}`,
    };
  }
  return {
    confirmed: false,
    summary: `Still answers from here (${answering.join(', ')}) although ${expectation.why}. ${seen}`,
  };
}
