import {
  classifyAddress,
  failureKindOf,
  gitVersionOf,
  CA_UNUSABLE_CODE,
  MAX_SERVER_TEXT_CHARS,
  statusMessageOf,
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
    expect(failureKindOf('EPROTO')).toBe('not-tls');
    expect(failureKindOf('ERR_SSL_WRONG_VERSION_NUMBER')).toBe('not-tls');
    expect(failureKindOf('ABORT_ERR')).toBe('interrupted');
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
      'plain HTTP answered',
      broken,
      [{ address: '203.0.113.10', results: [failed('/version', 'EPROTO')] }],
      null,
      'Seen from here: something answers at 203.0.113.10, but not with TLS.',
    ],
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

describe('what a server says, as a report repeats it', () => {
  const hostile =
    'v1.29.0\u001b[31m FAKE\nERROR: rotate your keys\u001b[0m\u009b2J\u202eevil\u0000';

  it('strips control characters from a gitVersion, so no escape or line reaches a terminal', () => {
    const version = gitVersionOf(JSON.stringify({ gitVersion: hostile }));
    expect(version).toBe('v1.29.0[31m FAKE ERROR: rotate your keys[0m2Jevil');
  });

  it('strips them from a Status message too, and keeps printable Unicode', () => {
    const body = JSON.stringify({ kind: 'Status', message: `forbidden: «système»\r\n${hostile}` });
    expect(statusMessageOf(body)).toBe(
      'forbidden: «système»  v1.29.0[31m FAKE ERROR: rotate your keys[0m2Jevil',
    );
  });

  it(`cuts what is longer than ${MAX_SERVER_TEXT_CHARS} characters, with an ellipsis`, () => {
    const message = statusMessageOf(JSON.stringify({ kind: 'Status', message: '🔑'.repeat(8000) }));
    expect(Array.from(message ?? '')).toHaveLength(MAX_SERVER_TEXT_CHARS);
    expect(message).toBe(`${'🔑'.repeat(MAX_SERVER_TEXT_CHARS - 1)}…`);
    expect(gitVersionOf(JSON.stringify({ gitVersion: 'v1.29.0' }))).toBe('v1.29.0');
  });
});

describe('an address that answered, though not as an API server does', () => {
  const afterHandshake = (path: PathResult['path']): PathResult => ({
    path,
    answered: false,
    failure: 'timeout',
    code: 'timeout',
    message: 'no complete answer within 300 ms',
    handshake: true,
  });

  it('is reachable when the TLS handshake completed and then nothing came', () => {
    const verdict = classifyAddress([afterHandshake('/version'), failed('/api', 'ECONNRESET')]);
    expect(verdict).toMatchObject({
      verdict: 'reachable-unrecognized',
      summary: 'Reachable: the TLS handshake completed, but no HTTP answer came (timeout).',
    });
  });

  it('is reachable when something answered on the port, but not with TLS', () => {
    const verdict = classifyAddress([failed('/version', 'EPROTO'), failed('/api', 'EPROTO')]);
    expect(verdict.verdict).toBe('reachable-unrecognized');
    expect(verdict.summary).toContain('Something answers here, but not with TLS (EPROTO)');
  });

  it('keeps the status of an answer cut short, and says it was', () => {
    const verdict = classifyAddress([
      { path: '/version', answered: true, status: 200, body: '{"gitVer', cutShort: 'timeout' },
      answer('/api', 404, ''),
    ]);
    expect(verdict.verdict).toBe('reachable-unrecognized');
    expect(verdict.summary).toContain('Answers cut short: /version 200 (timeout).');
  });

  it('says an interrupted address is unknown (the closed verdict list keeps not-reachable; callers check the signal)', () => {
    const verdict = classifyAddress([failed('/version', 'ABORT_ERR'), failed('/api', 'timeout')]);
    expect(verdict).toMatchObject({
      verdict: 'not-reachable',
      summary: 'Interrupted before any answer came: whether it is reachable is unknown.',
    });
  });

  it('is still not reachable when nothing answered at all', () => {
    const verdict = classifyAddress([failed('/version', 'timeout'), failed('/api', 'ECONNRESET')]);
    expect(verdict).toMatchObject({
      verdict: 'not-reachable',
      summary: 'Not reachable from here (timeout).',
    });
  });
});
