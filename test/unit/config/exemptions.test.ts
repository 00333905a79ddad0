import type { Exemption } from '../../../src/config/config.js';
import {
  accountOfArn,
  exemptFinding,
  type ExemptionTarget,
  exemptionUsage,
  matchesNamePattern,
} from '../../../src/config/exemptions.js';

const NOW = new Date('2026-11-25T12:00:00Z');

function exemption(index: number, fields: Partial<Exemption>): Exemption {
  const expires = fields.expires ?? '2027-01-01';
  return {
    index,
    reason: `reason ${index}`,
    expires,
    expiresAt: new Date(`${expires}T00:00:00Z`),
    ...fields,
  };
}

const target = (fields: Partial<ExemptionTarget> = {}): ExemptionTarget => ({
  arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/sandbox-7',
  clusterName: 'sandbox-7',
  accountId: '111111111111',
  tags: { team: 'web', 'eksposure/exempt': 'true' },
  ruleId: 'EKS-001',
  ...fields,
});

const fail = { status: 'FAIL', message: 'API endpoint is public and open to the internet.' };

describe('exemptions', () => {
  it('matches names with * as any run of characters, and nothing else special', () => {
    expect(matchesNamePattern('sandbox-*', 'sandbox-7')).toBe(true);
    expect(matchesNamePattern('*-prod', 'payments-prod')).toBe(true);
    expect(matchesNamePattern('sandbox-*', 'prod-sandbox-7')).toBe(false);
    expect(matchesNamePattern('a.c', 'abc')).toBe(false);
  });

  it('reads the account from an EKS ARN', () => {
    expect(accountOfArn('arn:aws:eks:eu-west-1:111111111111:cluster/x')).toBe('111111111111');
    expect(accountOfArn(null)).toBeNull();
  });

  it('suppresses a FAIL when every selector given matches, naming the exemption', () => {
    const e = exemption(0, {
      cluster: 'sandbox-*',
      tag: { 'eksposure/exempt': 'true' },
      account: '111111111111',
      rules: ['EKS-001'],
    });
    const result = exemptFinding(fail, target(), [e], NOW);
    expect(result.finding.status).toBe('SUPPRESSED');
    expect(result.finding.message).toBe(fail.message);
    expect(result.exemption).toEqual({
      index: 0,
      reason: 'reason 0',
      expires: '2027-01-01',
      expired: false,
    });
  });

  it.each([
    ['another account', { account: '222222222222' }],
    ['another tag value', { tag: { 'eksposure/exempt': 'false' } }],
    ['another rule', { rules: ['EKS-002'] }],
    ['another ARN', { arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/other' }],
  ])('does not match %s', (_what, fields) => {
    const result = exemptFinding(fail, target(), [exemption(0, fields)], NOW);
    expect(result.finding.status).toBe('FAIL');
    expect(result.matched).toEqual([]);
  });

  it('leaves PASS and ERROR alone, though the exemption counts as used', () => {
    const e = exemption(0, { cluster: 'sandbox-*' });
    for (const status of ['PASS', 'ERROR']) {
      const result = exemptFinding({ status, message: 'm' }, target(), [e], NOW);
      expect(result.finding.status).toBe(status);
      expect(result.exemption).toBeNull();
      expect(result.matched).toEqual([0]);
    }
  });

  it('lets an expired exemption suppress nothing, and says which expired and when', () => {
    const expired = exemption(1, { cluster: 'sandbox-*', expires: '2026-11-01' });
    const result = exemptFinding(fail, target(), [expired], NOW);
    expect(result.finding.status).toBe('FAIL');
    expect(result.finding.message).toContain(
      'Exemption exemptions[1] ("reason 1") expired on 2026-11-01.',
    );
    expect(result.exemption?.expired).toBe(true);
  });

  it('prefers one in force over an expired one that also matches', () => {
    const result = exemptFinding(
      fail,
      target(),
      [
        exemption(0, { cluster: '*', expires: '2026-01-01' }),
        exemption(1, { account: '111111111111' }),
      ],
      NOW,
    );
    expect(result.finding.status).toBe('SUPPRESSED');
    expect(result.exemption?.index).toBe(1);
  });

  it('reports each exemption as used, suppressing, expired or unused', () => {
    const exemptions = [
      exemption(0, { cluster: 'sandbox-*' }),
      exemption(1, { cluster: 'gone-*' }),
      exemption(2, { account: '111111111111', expires: '2026-01-01' }),
    ];
    const results = [exemptFinding(fail, target(), exemptions, NOW)];
    expect(exemptionUsage(exemptions, results, NOW)).toEqual([
      expect.objectContaining({
        index: 0,
        matched: 1,
        suppressed: 1,
        unused: false,
        expired: false,
      }),
      expect.objectContaining({ index: 1, matched: 0, suppressed: 0, unused: true }),
      expect.objectContaining({
        index: 2,
        matched: 1,
        suppressed: 0,
        unused: false,
        expired: true,
      }),
    ]);
  });
});
