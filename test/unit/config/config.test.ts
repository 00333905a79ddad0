import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expiryOf, parseConfig } from '../../../src/config/config.js';
import { CONFIG_SCHEMA } from '../../../src/config/config-schema.js';
import { REPO_ROOT } from '../../support/cli.js';

const problemOf = (value: unknown) => {
  const result = parseConfig(typeof value === 'string' ? value : JSON.stringify(value));
  return result.ok ? undefined : result.problem;
};

const exemption = { cluster: 'sandbox-*', reason: 'vendor demo, SEC-142', expires: '2027-03-31' };

describe('config file', () => {
  it('publishes the schema it validates with', () => {
    const published: unknown = JSON.parse(
      readFileSync(join(REPO_ROOT, 'schemas', 'config.schema.json'), 'utf8'),
    );
    expect(published).toEqual(CONFIG_SCHEMA);
  });

  it("reads the issue's example, resolving rule aliases to ids", () => {
    const result = parseConfig(
      JSON.stringify({
        exemptions: [
          exemption,
          {
            arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/legacy',
            rules: ['EKS.1'],
            reason: 'migration',
            expires: '2027-01-15T12:00:00Z',
          },
          {
            tag: { 'eksposure/exempt': 'true' },
            account: '222222222222',
            reason: 'lab',
            expires: '2027-02-01',
          },
        ],
        approvedCidrs: ['203.0.113.0/24'],
        managers: [{ tag: 'ManagedBy', value: 'terraform', tool: 'terraform' }],
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.approvedCidrs).toEqual(['203.0.113.0/24']);
    expect(result.config.managers).toEqual([
      { tag: 'ManagedBy', value: 'terraform', tool: 'terraform' },
    ]);
    expect(result.config.exemptions.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(result.config.exemptions[1]?.rules).toEqual(['EKS-002']);
    expect(result.config.exemptions[0]?.expiresAt.toISOString()).toBe('2027-04-01T00:00:00.000Z');
  });

  it.each([
    ['not JSON', '{"exemptions": [', /^is not JSON/],
    [
      'no reason',
      { exemptions: [{ cluster: 'a', expires: '2027-01-01' }] },
      /exemptions\[0\] must have required property 'reason'/,
    ],
    [
      'no selector',
      { exemptions: [{ reason: 'r', expires: '2027-01-01' }] },
      /exemptions\[0\] must name at least one of arn, cluster, tag or account/,
    ],
    [
      'an unknown field',
      { exemptions: [{ ...exemption, clusters: 'x' }] },
      /exemptions\[0\] has an unknown field "clusters"/,
    ],
    [
      'a malformed account',
      { exemptions: [{ ...exemption, account: '1234' }] },
      /exemptions\[0\]\.account must match pattern/,
    ],
    [
      'an impossible date',
      { exemptions: [{ ...exemption, expires: '2027-02-30' }] },
      /exemptions\[0\]\.expires "2027-02-30" is not a date/,
    ],
    [
      'an unknown rule',
      { exemptions: [{ ...exemption, rules: ['EKS-999'] }] },
      /exemptions\[0\]\.rules names no rule: EKS-999/,
    ],
    [
      'a bad approved CIDR',
      { approvedCidrs: ['203.0.113.0/33'] },
      /approvedCidrs holds "203.0.113.0\/33", not a CIDR/,
    ],
    [
      'a manager tool eksposure cannot patch',
      { managers: [{ tag: 'ManagedBy', tool: 'pulumi' }] },
      /managers\[0\]\.tool must be equal to one of the allowed values/,
    ],
    ['a list at the top', [], /the top level must be object/],
  ])('names the problem in one line: %s', (_what, value, expected) => {
    const problem = problemOf(value);
    expect(problem).toMatch(expected);
    expect(problem).not.toContain('\n');
  });

  it('ends a date exemption at the end of that day (UTC), a date-time at its instant', () => {
    expect(expiryOf('2027-03-31')?.toISOString()).toBe('2027-04-01T00:00:00.000Z');
    expect(expiryOf('2027-03-31T10:00:00+02:00')?.toISOString()).toBe('2027-03-31T08:00:00.000Z');
    expect(expiryOf('2027-13-01')).toBeUndefined();
  });
});
