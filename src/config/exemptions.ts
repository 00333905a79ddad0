import type { Exemption } from './config.js';
import { type AppliedExemption, type ExemptionUsage } from '../model/findings.js';

/** What an exemption is matched against: one cluster and one rule. */
export interface ExemptionTarget {
  readonly arn: string | null;
  readonly clusterName: string;
  readonly accountId: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly ruleId: string;
}

/** Pure: the account id in an EKS cluster ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME). */
export function accountOfArn(arn: string | null | undefined): string | null {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : null;
}

/** Pure: a name pattern where `*` stands for any run of characters, and nothing else is special. */
export function matchesNamePattern(pattern: string, name: string): boolean {
  const parts = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(name);
}

/** Pure: whether every selector the exemption gives matches the target. */
export function exemptionMatches(exemption: Exemption, target: ExemptionTarget): boolean {
  return (
    (exemption.arn === undefined || exemption.arn === target.arn) &&
    (exemption.cluster === undefined ||
      matchesNamePattern(exemption.cluster, target.clusterName)) &&
    (exemption.account === undefined || exemption.account === target.accountId) &&
    (exemption.rules === undefined || exemption.rules.includes(target.ruleId)) &&
    Object.entries(exemption.tag ?? {}).every(([key, value]) => target.tags[key] === value)
  );
}

export const isExpired = (exemption: Exemption, now: Date): boolean =>
  now.getTime() >= exemption.expiresAt.getTime();

const applied = (e: Exemption, expired: boolean): AppliedExemption => ({
  index: e.index,
  reason: e.reason,
  expires: e.expires,
  expired,
});

export interface FindingVerdict {
  readonly status: string;
  readonly message: string;
}

export interface ExemptedFinding<F extends FindingVerdict> {
  readonly finding: F | (Omit<F, 'status'> & { readonly status: 'SUPPRESSED' });
  readonly exemption: AppliedExemption | null;
  /** The indexes of every exemption that matched the target, in force or not. */
  readonly matched: readonly number[];
}

/**
 * Pure: a FAIL that an exemption in force matches becomes SUPPRESSED (the first such exemption, in
 * file order, is named); a FAIL that only expired ones match stays FAIL and says the latest one
 * expired. PASS and ERROR are left as they are: an exemption accepts a known risk, not an unknown one.
 */
export function exemptFinding<F extends FindingVerdict>(
  finding: F,
  target: ExemptionTarget,
  exemptions: readonly Exemption[],
  now: Date,
): ExemptedFinding<F> {
  const matching = exemptions.filter((e) => exemptionMatches(e, target));
  const matched = matching.map((e) => e.index);
  if (finding.status !== 'FAIL' || matching.length === 0) {
    return { finding, exemption: null, matched };
  }
  const inForce = matching.find((e) => !isExpired(e, now));
  if (inForce) {
    return {
      finding: { ...finding, status: 'SUPPRESSED' as const },
      exemption: applied(inForce, false),
      matched,
    };
  }
  const latest = matching.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
  return {
    finding: {
      ...finding,
      message: `${finding.message} Exemption exemptions[${latest.index}] ("${latest.reason}") expired on ${latest.expires}.`,
    },
    exemption: applied(latest, true),
    matched,
  };
}

/** Pure: how each exemption fared over a scan's findings. */
export function exemptionUsage(
  exemptions: readonly Exemption[],
  results: readonly Pick<ExemptedFinding<FindingVerdict>, 'matched' | 'exemption'>[],
  now: Date,
): ExemptionUsage[] {
  return exemptions.map((e) => {
    const matched = results.filter((r) => r.matched.includes(e.index)).length;
    const suppressed = results.filter(
      (r) => r.exemption?.index === e.index && !r.exemption.expired,
    ).length;
    return {
      index: e.index,
      reason: e.reason,
      expires: e.expires,
      expired: isExpired(e, now),
      matched,
      suppressed,
      unused: matched === 0,
    };
  });
}

/** "cluster sandbox-*, account 222222222222": what an exemption selects, for messages. */
export function describeSelector(e: Exemption): string {
  const parts = [
    e.arn && `arn ${e.arn}`,
    e.cluster && `cluster ${e.cluster}`,
    e.tag &&
      `tag ${Object.entries(e.tag)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    e.account && `account ${e.account}`,
    e.rules && `rules ${e.rules.join(',')}`,
  ];
  return parts.filter(Boolean).join(', ');
}
