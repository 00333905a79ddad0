import {
  type Expectation,
  expectationAfterChange,
  judgeObservation,
} from '../../../src/probe/after-apply.js';
import { observation } from '../../support/probe.js';

const open = (cidrs: string[]) => ({
  endpointPublicAccess: true,
  endpointPrivateAccess: true,
  publicAccessCidrs: cidrs,
});
const privateOnly = { ...open(['0.0.0.0/0']), endpointPublicAccess: false };

describe('what a changed cluster should look like from here', () => {
  it('public endpoint off: not reachable, whatever the vantage point', () => {
    expect(expectationAfterChange(privateOnly, null).expected).toBe('not-reachable');
    expect(expectationAfterChange(privateOnly, '203.0.113.7').expected).toBe('not-reachable');
  });

  it('an allowlist: judged against --my-ip, of either family; unknown without it', () => {
    const allowlist = open(['203.0.113.0/24', '2001:db8::/32']);
    expect(expectationAfterChange(allowlist, '203.0.113.7').expected).toBe('reachable-from-here');
    expect(expectationAfterChange(allowlist, '2001:db8::7').expected).toBe('reachable-from-here');
    expect(expectationAfterChange(allowlist, '198.51.100.7')).toEqual({
      expected: 'not-reachable',
      why: '198.51.100.7 is outside the allowlist',
    });
    expect(expectationAfterChange(allowlist, null).expected).toBe('unknown');
  });
});

describe('judging one probe against the expectation', () => {
  const shut: Expectation = { expected: 'not-reachable', why: 'the public endpoint is off' };

  it('confirms an endpoint that answers nowhere', () => {
    const judged = judgeObservation(shut, observation(['203.0.113.10', 'not-reachable']));
    expect(judged.confirmed).toBe(true);
    expect(judged.summary).toMatch(/^Confirmed: no longer answers from here/);
  });

  it('an endpoint that still answers on a public address contradicts the change', () => {
    const judged = judgeObservation(
      shut,
      observation(['203.0.113.10', 'not-reachable'], ['2001:db8::10', 'version-disclosed']),
    );
    expect(judged.confirmed).toBe(false);
    expect(judged.summary).toContain('Still answers from here (2001:db8::10)');
  });

  it('a certificate that is not the cluster’s still means something answers', () => {
    expect(judgeObservation(shut, observation(['203.0.113.10', 'tls-mismatch'])).confirmed).toBe(
      false,
    );
  });

  it('answers on private addresses only: this machine is inside the network, not judged', () => {
    const judged = judgeObservation(shut, observation(['10.0.1.5', 'anonymous-rejected']));
    expect(judged.confirmed).toBeNull();
    expect(judged.summary).toContain('Answers only on private addresses (10.0.1.5)');
  });

  it('inside the allowlist or without --my-ip, nothing is judged', () => {
    const inside: Expectation = { expected: 'reachable-from-here', why: 'inside' };
    const unknown: Expectation = { expected: 'unknown', why: 'no --my-ip' };
    const answers = observation(['203.0.113.10', 'version-disclosed']);
    const silent = observation(['203.0.113.10', 'not-reachable']);
    expect(judgeObservation(inside, answers).confirmed).toBeNull();
    expect(judgeObservation(inside, silent).confirmed).toBeNull();
    expect(judgeObservation(unknown, answers).confirmed).toBeNull();
    // Not answering is what the change is for, wherever this machine stands.
    expect(judgeObservation(unknown, silent).confirmed).toBe(true);
  });
});
