import {
  KUBELET_PORTS,
  KUBELET_VERDICTS,
  type KubeletProbePath,
  type KubeletVerdict,
  kubeletSeverityBump,
} from '../../../src/model/node-probe.js';
import type { PathResult } from '../../../src/probe/classify.js';
import { isPodList, judgeKubelet } from '../../../src/probe/kubelet-verdict.js';

const answer = (
  path: KubeletProbePath,
  status: number,
  body = '',
): PathResult<KubeletProbePath> => ({
  path,
  answered: true,
  status,
  body,
});
const failure = (
  path: KubeletProbePath,
  code: string,
  failure: 'tls' | 'not-tls' | 'timeout' | 'network' | 'interrupted',
  handshake = false,
): PathResult<KubeletProbePath> => ({
  path,
  answered: false,
  failure,
  code,
  message: code,
  ...(handshake ? { handshake } : {}),
});

const judge = (
  results: PathResult<KubeletProbePath>[],
  connected = true,
  port: 10250 | 10255 = 10250,
) =>
  judgeKubelet({
    port,
    results,
    connected,
    tls: port === 10250 ? { verified: true, problem: null } : null,
  });

describe('judgeKubelet', () => {
  it.each<[number, string, KubeletVerdict]>([
    [401, 'Unauthorized', 'anonymous-rejected'],
    [
      403,
      'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)',
      'anonymous-authenticated',
    ],
    [200, '{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[', 'anonymous-pod-list'],
    [200, '<html>welcome</html>', 'reachable-unrecognized'],
    [404, '404 page not found', 'reachable-unrecognized'],
  ])('/pods %i is %s', (status, body, verdict) => {
    expect(judge([answer('/pods', status, body), answer('/healthz', 200, 'ok')]).verdict).toBe(
      verdict,
    );
  });

  it('judges by /pods alone: /healthz answering 200 is no pod list', () => {
    const judged = judge([failure('/pods', 'timeout', 'timeout'), answer('/healthz', 200, 'ok')]);
    expect(judged).toMatchObject({ verdict: 'reachable-unrecognized', status: null });
    expect(judged.summary).toContain('/pods timeout; /healthz 200');
  });

  it('keeps the status of a /pods answer cut short', () => {
    const cut: PathResult<KubeletProbePath> = {
      path: '/pods',
      answered: true,
      status: 403,
      body: 'Forbid',
      cutShort: 'timeout',
    };
    expect(judge([cut, answer('/healthz', 200)]).verdict).toBe('anonymous-authenticated');
  });

  it('says TLS was not verified and judges the status all the same', () => {
    const judged = judgeKubelet({
      port: 10250,
      results: [answer('/pods', 403, 'Forbidden'), answer('/healthz', 200)],
      connected: true,
      tls: { verified: false, problem: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    });
    expect(judged.verdict).toBe('anonymous-authenticated');
    expect(judged.summary).toContain(
      "TLS not verified against the cluster's CA (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
  });

  it.each<[string, PathResult<KubeletProbePath>[], boolean, KubeletVerdict, string]>([
    [
      'refused',
      [failure('/pods', 'ECONNREFUSED', 'network'), failure('/healthz', 'ECONNREFUSED', 'network')],
      false,
      'not-reachable',
      'Not reachable from here (ECONNREFUSED).',
    ],
    [
      'timed out before connecting',
      [failure('/pods', 'timeout', 'timeout'), failure('/healthz', 'timeout', 'timeout')],
      false,
      'not-reachable',
      'Not reachable from here (timeout).',
    ],
    [
      'a handshake, then nothing',
      [
        failure('/pods', 'timeout', 'timeout', true),
        failure('/healthz', 'timeout', 'timeout', true),
      ],
      true,
      'reachable-unrecognized',
      'TLS handshake completed',
    ],
    [
      'plain HTTP on the TLS port',
      [failure('/pods', 'EPROTO', 'not-tls'), failure('/healthz', 'EPROTO', 'not-tls')],
      true,
      'reachable-unrecognized',
      'but not with TLS (EPROTO)',
    ],
    [
      'interrupted',
      [
        failure('/pods', 'ABORT_ERR', 'interrupted'),
        failure('/healthz', 'ABORT_ERR', 'interrupted'),
      ],
      false,
      'not-reachable',
      'whether it is reachable is unknown',
    ],
  ])('with no answer: %s', (_case, results, connected, verdict, summary) => {
    const judged = judge(results, connected);
    expect(judged.verdict).toBe(verdict);
    expect(judged.summary).toContain(summary);
  });

  it('isPodList looks only at the start of a (cut) body', () => {
    expect(isPodList('{"kind":"PodList","items":[{"metadata":')).toBe(true);
    expect(isPodList('{ "apiVersion": "v1", "kind": "PodList" }')).toBe(true);
    expect(isPodList('{"kind":"Status","message":"kind PodList"}')).toBe(false);
    expect(isPodList('not json "kind":"PodList"')).toBe(false);
  });
});

describe('kubeletSeverityBump (what rule EKS-003 uses)', () => {
  it.each(KUBELET_VERDICTS.flatMap((v) => KUBELET_PORTS.map((p) => [v, p] as const)))(
    '%s on %i',
    (verdict, port) => {
      const critical = verdict === 'anonymous-authenticated' || verdict === 'anonymous-pod-list';
      expect(kubeletSeverityBump({ verdict, port })).toBe(critical ? 'critical' : null);
    },
  );
});
