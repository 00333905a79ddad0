import { expectationAfterChange, judgeObservation } from '../../../src/probe/after-apply.js';
import { observation } from '../../support/probe.js';

const open = (cidrs: string[]) => ({
  endpointPublicAccess: true,
  endpointPrivateAccess: true,
  publicAccessCidrs: cidrs,
});
const privateOnly = { ...open(['0.0.0.0/0']), endpointPublicAccess: false };
const allowlist = open(['203.0.113.0/24', '2001:db8::/32']);

describe('what a changed cluster should look like from here', () => {
  it('public endpoint off: not reachable, whatever the vantage point', () => {
    expect(expectationAfterChange(privateOnly, null).expected).toBe('not-reachable');
    expect(expectationAfterChange(privateOnly, '203.0.113.7').expected).toBe('not-reachable');
  });

  it('an allowlist: judged against --my-ip, of either family; unknown without it', () => {
    expect(expectationAfterChange(allowlist, '203.0.113.7').expected).toBe('reachable-from-here');
    expect(expectationAfterChange(allowlist, '2001:db8::7').expected).toBe('reachable-from-here');
    expect(expectationAfterChange(allowlist, '198.51.100.7')).toEqual({
      expected: 'not-reachable',
      why: '198.51.100.7 is outside the allowlist',
    });
    expect(expectationAfterChange(allowlist, null).expected).toBe('unknown');
  });

  it('an IPv4 --my-ip says nothing about where IPv6 connections come from', () => {
    expect(expectationAfterChange(allowlist, '198.51.100.7', 6)).toMatchObject({
      expected: 'unknown',
      why: expect.stringContaining('not an IPv6 address'),
    });
  });
});

describe('judging one probe', () => {
  it('confirms an endpoint that answers on none of its addresses', () => {
    const judged = judgeObservation(
      privateOnly,
      null,
      observation(['203.0.113.10', 'not-reachable'], ['2001:db8::10', 'not-reachable']),
    );
    expect(judged.confirmed).toBe(true);
    expect(judged.summary).toMatch(
      /^Confirmed: no longer answers from here \(the public endpoint is off\)/,
    );
  });

  it('confirms nothing when no address was probed (a name that does not resolve, a CA that cannot be used)', () => {
    const judged = judgeObservation(privateOnly, null, observation());
    expect(judged.confirmed).toBeNull();
    expect(judged.summary).toMatch(/^Not judged: no address was probed/);
  });

  it('an endpoint that still answers on a public address contradicts the change', () => {
    const judged = judgeObservation(
      privateOnly,
      null,
      observation(['203.0.113.10', 'not-reachable'], ['2001:db8::10', 'version-disclosed']),
    );
    expect(judged.confirmed).toBe(false);
    expect(judged.summary).toContain(
      'Still answers from here (2001:db8::10) although the public endpoint is off.',
    );
  });

  it('a certificate that is not the cluster’s is a stranger answering (a TLS-inspecting proxy): not judged', () => {
    const judged = judgeObservation(
      privateOnly,
      null,
      observation(['203.0.113.10', 'tls-mismatch']),
    );
    expect(judged.confirmed).toBeNull();
    expect(judged.summary).toContain("but not with the cluster's certificate");
  });

  it('a service that does not speak TLS (a captive portal) is a stranger too: not judged', () => {
    const clear = observation(['203.0.113.10', 'reachable-unrecognized']);
    const plainHttp = {
      ...clear,
      addresses: clear.addresses.map((a) => ({
        ...a,
        paths: ['/version', '/healthz', '/api'].map((path) => ({
          path,
          status: null,
          failure: 'EPROTO',
        })),
      })),
    };
    expect(judgeObservation(privateOnly, null, plainHttp).confirmed).toBeNull();
    // The cluster's own certificate, then no HTTP answer in time: that is the cluster.
    const handshakeThenSilence = {
      ...plainHttp,
      addresses: plainHttp.addresses.map((a) => ({
        ...a,
        paths: a.paths.map((p) => ({ ...p, failure: 'timeout' })),
      })),
    };
    expect(judgeObservation(privateOnly, null, handshakeThenSilence).confirmed).toBe(false);
  });

  it('answers on private addresses only: this machine is inside the network, not judged', () => {
    const judged = judgeObservation(
      privateOnly,
      null,
      observation(['10.0.1.5', 'anonymous-rejected']),
    );
    expect(judged.confirmed).toBeNull();
    expect(judged.summary).toContain('Answers only on private addresses (10.0.1.5)');
  });

  it('judges each address against a --my-ip of its own family only', () => {
    // IPv4 --my-ip outside the allowlist; the IPv6 answer may come from inside its IPv6 ranges.
    const judged = judgeObservation(
      allowlist,
      '198.51.100.7',
      observation(['203.0.113.10', 'not-reachable'], ['2001:db8::10', 'version-disclosed']),
    );
    expect(judged.confirmed).toBeNull();
    expect(judged.summary).toContain('not an IPv6 address');
    const ipv4Answers = judgeObservation(
      allowlist,
      '198.51.100.7',
      observation(['203.0.113.10', 'version-disclosed']),
    );
    expect(ipv4Answers.confirmed).toBe(false);
  });

  it('inside the allowlist or without --my-ip, an answer is not judged; silence is', () => {
    const answers = observation(['203.0.113.10', 'version-disclosed']);
    const silent = observation(['203.0.113.10', 'not-reachable']);
    expect(judgeObservation(allowlist, '203.0.113.7', answers).confirmed).toBeNull();
    expect(judgeObservation(allowlist, '203.0.113.7', silent).confirmed).toBeNull();
    expect(judgeObservation(allowlist, null, answers).confirmed).toBeNull();
    const unknownSilent = judgeObservation(allowlist, null, silent);
    expect(unknownSilent.confirmed).toBe(true);
    expect(unknownSilent.summary).toMatch(/^Confirmed: does not answer from here \(give --my-ip/);
  });
});
