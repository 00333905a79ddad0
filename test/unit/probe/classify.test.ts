import {
  classifyAddress,
  failureKindOf,
  type PathResult,
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
});
