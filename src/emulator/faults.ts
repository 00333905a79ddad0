import type { FailureKind, Service } from './errors.js';

/** How an injected cluster update ends instead of Successful. */
export type InjectedUpdateOutcome = 'Failed' | 'Cancelled';

/**
 * One fault rule; every rule whose service, operation, region and cluster match a call applies to
 * it. Latencies add up; rates combine as independent chances; the first `fail` wins, and so do the
 * first `updateOutcome` and the first `updateDurationMs`.
 */
export interface FaultRule {
  readonly service?: Service;
  /** AWS operation name, e.g. DescribeCluster, ListClusters, DescribeRegions. */
  readonly operation?: string;
  readonly region?: string;
  /** EKS cluster name; a rule naming a cluster never matches calls about no cluster. */
  readonly cluster?: string;
  /** The account the call acts in (the one its access key belongs to). */
  readonly account?: string;
  readonly latencyMs?: number;
  /** Chance (0 to 1) of ThrottlingException (EKS) or RequestLimitExceeded (EC2). */
  readonly throttleRate?: number;
  /** EKS only: the code a throttled call answers with; the first matching rule that sets it wins. */
  readonly throttleAs?: ThrottleCode;
  /** Chance (0 to 1) of a 500 (ServerException / InternalError). */
  readonly serverErrorRate?: number;
  /** Every matching call fails this way. */
  readonly fail?: Exclude<FailureKind, 'throttle'>;
  /** A cluster update started by a matching UpdateClusterConfig ends this way. */
  readonly updateOutcome?: InjectedUpdateOutcome;
  /** How long a cluster update started by a matching UpdateClusterConfig stays InProgress. */
  readonly updateDurationMs?: number;
  /** The failed update's error code (default Unknown) and message. */
  readonly updateErrorCode?: string;
  readonly updateErrorMessage?: string;
}

/**
 * How EKS answers a throttled call; default ThrottlingException (the one its API model declares).
 * EKS also answers TooManyRequestsException "Too Many Requests", HTTP 429, which its model does not
 * declare: the AWS CLI has printed it for DescribeCluster (awslabs/amazon-eks-ami#218, #999).
 * That it comes as a 429 is our reading; the SDK takes either code, and any 429, as throttling.
 */
export const THROTTLE_CODES = ['ThrottlingException', 'TooManyRequestsException'] as const;
export type ThrottleCode = (typeof THROTTLE_CODES)[number];

/** What the rules say about a cluster update the call starts; only UpdateClusterConfig reads it. */
export interface UpdateFault {
  readonly outcome?: InjectedUpdateOutcome;
  readonly durationMs?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly failure: FailureKind | undefined;
  /** When EKS throttles the call (a throttle fault or an empty token bucket): the code to answer with. */
  readonly throttleAs?: ThrottleCode;
  /** Undefined when no matching rule says anything about updates. */
  readonly update?: UpdateFault;
}

export interface CallSite {
  readonly service: Service;
  readonly operation: string;
  readonly region: string;
  /** The cluster the call is about, if any. */
  readonly cluster?: string;
  readonly account?: string;
}

/** mulberry32: small, seedable, good enough for fault dice. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const matches = (rule: FaultRule, call: CallSite) =>
  (rule.service === undefined || rule.service === call.service) &&
  (rule.operation === undefined || rule.operation === call.operation) &&
  (rule.region === undefined || rule.region === call.region) &&
  (rule.cluster === undefined || rule.cluster === call.cluster) &&
  (rule.account === undefined || rule.account === call.account);

function updateFault(matched: readonly FaultRule[]): UpdateFault | undefined {
  const ending = matched.find((rule) => rule.updateOutcome);
  const durationMs = matched.find((rule) => rule.updateDurationMs !== undefined)?.updateDurationMs;
  if (!ending && durationMs === undefined) return undefined;
  return {
    outcome: ending?.updateOutcome,
    durationMs,
    errorCode: ending?.updateErrorCode,
    errorMessage: ending?.updateErrorMessage,
  };
}

export class FaultPlan {
  private readonly random: () => number;

  constructor(
    private rules: readonly FaultRule[],
    seed = 1,
  ) {
    this.random = seededRandom(seed);
  }

  replace(rules: readonly FaultRule[]): void {
    this.rules = rules;
  }

  decide(call: CallSite): FaultDecision {
    const matched = this.rules.filter((rule) => matches(rule, call));
    const latencyMs = matched.reduce((sum, rule) => sum + (rule.latencyMs ?? 0), 0);
    const update = updateFault(matched);
    const named = matched.find((rule) => rule.throttleAs)?.throttleAs;
    const base = { latencyMs, update, ...(named ? { throttleAs: named } : {}) };
    const fixed = matched.find((rule) => rule.fail)?.fail;
    if (fixed) return { ...base, failure: fixed };
    const chance = (pick: (r: FaultRule) => number | undefined) =>
      1 - matched.reduce((keep, rule) => keep * (1 - (pick(rule) ?? 0)), 1);
    const roll = this.random();
    const throttle = chance((r) => r.throttleRate);
    const serverError = chance((r) => r.serverErrorRate);
    if (roll < throttle) return { ...base, failure: 'throttle' };
    if (roll < throttle + serverError) return { ...base, failure: 'server-error' };
    return { ...base, failure: undefined };
  }
}
