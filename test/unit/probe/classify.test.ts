import {
  classifyAddress,
  failureKindOf,
  CA_UNUSABLE_CODE,
  type PathResult,
  type UnusableCa,
  unusableCaOutcome,
  worstVerdict,
} from '../../../src/probe/classify.js';

const answer = (path: PathResult['path'], status: number, body: string): PathResult => ({
  path,
  answered: true,
  status,
  body,
});

describe('probe classifier', () => {
  it('sorts socket errors into TLS, timeout and network failures', () => {
    expect(failureKindOf('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe('tls');
    expect(failureKindOf('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('tls');
    expect(failureKindOf('ECONNRESET')).toBe('network');
    expect(failureKindOf('timeout')).toBe('timeout');
  });

  it('does not call a non-Kubernetes answer a version leak', () => {
    const verdict = classifyAddress([
      answer('/version', 200, '<html>hello</html>'),
      answer('/api', 404, 'not found'),
    ]);
    expect(verdict.verdict).toBe('reachable-unrecognized');
    expect(verdict.gitVersion).toBeNull();
  });

  it('ranks anonymous API access worst', () => {
    expect(worstVerdict(['not-reachable', 'anonymous-api-access', 'version-disclosed'])).toBe(
      'anonymous-api-access',
    );
    expect(worstVerdict([])).toBe('not-reachable');
  });

  it('takes its own code for a certificate refused for want of a usable CA as a TLS failure', () => {
    expect(failureKindOf(CA_UNUSABLE_CODE)).toBe('tls');
  });
});

const failed = (path: PathResult['path'], code: string): PathResult => ({
  path,
  answered: false,
  failure: failureKindOf(code),
  code,
  message: code,
});
const refusedTls = (address: string) => ({
  address,
  results: [
    failed('/version', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
    failed('/api', CA_UNUSABLE_CODE),
  ],
});
const refusedTcp = (address: string) => ({
  address,
  results: [failed('/version', 'ECONNREFUSED'), failed('/api', 'ECONNREFUSED')],
});
const broken: UnusableCa = { kind: 'unparseable', problem: 'bad base64 decode' };

describe('a probe without a usable CA', () => {
  it("says at each address that answered TLS that the cluster's CA, not the server, is why", () => {
    const verdict = classifyAddress(refusedTls('203.0.113.10').results, broken);
    expect(verdict.verdict).toBe('tls-mismatch');
    expect(verdict.summary).toContain(
      "since the cluster's CA could not be used: bad base64 decode;",
    );
    expect(verdict.summary).not.toContain('does not chain');
  });

  it('keeps an address that did not answer not-reachable (what apply --probe judges by)', () => {
    expect(classifyAddress(refusedTcp('203.0.113.10').results, broken).verdict).toBe(
      'not-reachable',
    );
  });

  it.each<[string, UnusableCa, Parameters<typeof unusableCaOutcome>[1], string | null, string]>([
    [
      'TLS answered',
      broken,
      [refusedTls('203.0.113.10'), refusedTcp('2001:db8::10')],
      null,
      'Seen from here: TLS answered at 203.0.113.10, its certificate not trusted, so no request was sent.',
    ],
    ['nothing answered', broken, [refusedTcp('203.0.113.10')], null, 'no answer (ECONNREFUSED)'],
    [
      'the name did not resolve',
      { kind: 'absent' },
      [],
      'ENOTFOUND',
      'does not resolve (ENOTFOUND)',
    ],
  ])(
    'makes the endpoint tls-mismatch, never "not reachable", when %s',
    (_case, ca, addresses, resolveError, seen) => {
      const outcome = unusableCaOutcome(ca, addresses, resolveError);
      expect(outcome.verdict).toBe('tls-mismatch');
      expect(outcome.summary).toMatch(/^TLS cannot be verified: the cluster/);
      expect(outcome.summary).toContain(seen);
      expect(outcome.summary).not.toMatch(/not reachable/i);
    },
  );

  it('says when the cluster gave no CA at all', () => {
    expect(unusableCaOutcome({ kind: 'absent' }, [], null).summary).toContain(
      'the cluster gave no usable CA (certificateAuthority.data is absent or not a PEM certificate)',
    );
  });
});
