import {
  classifyAddress,
  failureKindOf,
  type PathResult,
  unusableCaVerdict,
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

  it('calls a probe without a usable CA a TLS outcome, never "not reachable", and says why', () => {
    const absent = unusableCaVerdict({ kind: 'absent' });
    expect(absent).toMatchObject({ verdict: 'tls-mismatch', gitVersion: null, apiStatus: null });
    expect(absent.summary).toContain('the cluster gave no usable CA');
    expect(absent.summary).toContain('No request was sent');
    const broken = unusableCaVerdict({ kind: 'unparseable', problem: 'bad base64 decode' });
    expect(broken.verdict).toBe('tls-mismatch');
    expect(broken.summary).toContain("the cluster's CA could not be used: bad base64 decode");
    expect(broken.summary).not.toMatch(/not reachable/i);
  });
});
