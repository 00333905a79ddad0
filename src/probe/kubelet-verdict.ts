/** Pure: what a kubelet's answers to anonymous GET /pods and /healthz mean. */
import type {
  KubeletPort,
  KubeletProbePath,
  KubeletTls,
  KubeletVerdict,
} from '../model/node-probe.js';
import { type PathResult, serverText } from './classify.js';

export interface KubeletObservation {
  readonly port: KubeletPort;
  readonly results: readonly PathResult<KubeletProbePath>[];
  /** Some request's TCP connection was accepted (what tells a plain-HTTP port apart). */
  readonly connected: boolean;
  /** On 10250 once a handshake completed: whether the certificate verified. */
  readonly tls: KubeletTls | null;
}

export interface KubeletJudgement {
  readonly verdict: KubeletVerdict;
  readonly status: number | null;
  readonly serverMessage: string | null;
  readonly summary: string;
}

/**
 * A kubelet's /pods answer is `{"kind":"PodList",...}`; the probe reads only its first KiBs, so
 * the kind is looked for at the start rather than by parsing the whole (cut) body.
 */
const POD_LIST = /^\s*\{[\s\S]{0,200}?"kind"\s*:\s*"PodList"/;

export function isPodList(body: string): boolean {
  return POD_LIST.test(body);
}

/** Pure: the kubelet's answers (or silence) on one address and port, judged. */
export function judgeKubelet(observation: KubeletObservation): KubeletJudgement {
  const { port, results, tls } = observation;
  const where = port === 10250 ? 'kubelet API (10250)' : 'read-only kubelet (10255)';
  const tlsNote =
    tls !== null && !tls.verified
      ? ` TLS not verified against the cluster's CA (${tls.problem ?? 'unknown'}): judged on the HTTP status only.`
      : '';
  const pods = results.find((r) => r.path === '/pods');
  const healthz = results.find((r) => r.path === '/healthz');
  const none = { status: null, serverMessage: null };
  if (!results.some((r) => r.answered)) {
    const unanswered = results.flatMap((r) => (r.answered ? [] : [r]));
    const why = unanswered[0]?.code ?? 'no request';
    const shook = unanswered.find((r) => r.handshake === true);
    if (shook) {
      return {
        verdict: 'reachable-unrecognized',
        ...none,
        summary: `Reachable on the ${where}: the TLS handshake completed, but no HTTP answer came (${shook.code}).${tlsNote}`,
      };
    }
    const notTls = unanswered.find((r) => r.failure === 'not-tls');
    if (notTls) {
      return {
        verdict: 'reachable-unrecognized',
        ...none,
        summary: `Something answers on port ${port}, but not with TLS (${notTls.code}): not a kubelet's answer.`,
      };
    }
    if (unanswered.some((r) => r.failure === 'interrupted')) {
      return {
        verdict: 'not-reachable',
        ...none,
        summary: 'Interrupted before any answer came: whether it is reachable is unknown.',
      };
    }
    // Plain HTTP has no handshake: a node's port that accepts the connection is open.
    if (observation.connected) {
      return {
        verdict: 'reachable-unrecognized',
        ...none,
        summary: `Reachable on port ${port}: the connection was accepted, but no HTTP answer came (${why}).`,
      };
    }
    return { verdict: 'not-reachable', ...none, summary: `Not reachable from here (${why}).` };
  }
  const status = pods?.answered ? pods.status : null;
  const message = pods?.answered && status !== 200 ? firstLineOf(pods.body) : null;
  const said = message ? `: ${message}` : '';
  const found = { status, serverMessage: message };
  if (status === 401) {
    return {
      verdict: 'anonymous-rejected',
      ...found,
      summary: `Reachable; the ${where} refuses anonymous requests (/pods 401${said}).${tlsNote}`,
    };
  }
  if (status === 403) {
    return {
      verdict: 'anonymous-authenticated',
      ...found,
      summary:
        `Anonymous authentication is on: the ${where} takes anonymous requests as system:anonymous ` +
        `(/pods 403${said}); one RBAC binding opens every pod on the node.${tlsNote}`,
    };
  }
  if (status === 200 && pods?.answered && isPodList(pods.body)) {
    return {
      verdict: 'anonymous-pod-list',
      ...found,
      summary: `Anonymous pod list: the ${where} answers /pods 200 without credentials (every pod's spec, environment included).${tlsNote}`,
    };
  }
  const healthzText = healthz?.answered
    ? String(healthz.status)
    : (healthz?.code ?? 'not requested');
  const cut = pods?.answered && pods.cutShort ? `, cut short (${pods.cutShort})` : '';
  return {
    verdict: 'reachable-unrecognized',
    ...found,
    summary: `Reachable on port ${port}, but not a kubelet's answer: /pods ${status === 200 ? '200, not a pod list' : (status ?? (pods?.answered === false ? pods.code : 'no answer'))}${cut}; /healthz ${healthzText}.${tlsNote}`,
  };
}

/** The first line of a refusal (kubelet: "Unauthorized", "Forbidden (user=system:anonymous, ...)"), fit to print. */
function firstLineOf(body: string): string | null {
  const line = body.split(/\r?\n/).find((l) => l.trim() !== '');
  return line === undefined ? null : serverText(line.trim());
}
