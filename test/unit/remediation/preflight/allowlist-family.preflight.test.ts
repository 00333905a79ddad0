import { run } from '../../../../src/remediation/preflight/allowlist-family.preflight.js';
import { allowlisted, preflightInput, privateOnly } from '../../../support/preflight.js';

const reason =
  'the cluster is IPv4 (ipFamily ipv4), and EKS takes IPv6 ranges only on dual-stack endpoints';
const leftOut = (...cidrs: string[]) => cidrs.map((cidr) => ({ cidr, reason }));

describe('allowlist-family pre-flight check', () => {
  it('does not apply when nothing was left out, or when public access goes off', () => {
    expect(run(preflightInput({ after: allowlisted(['203.0.113.0/24']) }))).toBeUndefined();
    expect(
      run(preflightInput({ after: privateOnly, leftOutCidrs: leftOut('2001:db8::/32') })),
    ).toBeUndefined();
  });

  it('is ok with IPv6 entries left out when IPv4 entries remain, naming them', () => {
    expect(
      run(
        preflightInput({
          after: allowlisted(['203.0.113.0/24']),
          leftOutCidrs: leftOut('2001:db8::/32', '2001:db8:1::/48'),
        }),
      ),
    ).toEqual({
      check: 'allowlist-family',
      status: 'ok',
      message:
        '2001:db8::/32 and 2001:db8:1::/48 left out for cluster payments, whose endpoint takes IPv4 ranges only: ' +
        'IPv6 clients cannot reach it anyway, so the IPv4 entries are all it needs.',
    });
  });

  it('blocks a public endpoint left with no entry at all, saying why and what to do', () => {
    expect(
      run(preflightInput({ after: allowlisted([]), leftOutCidrs: leftOut('2001:db8::/32') })),
    ).toEqual({
      check: 'allowlist-family',
      status: 'block',
      message: `No allowlist entry is left for cluster payments: every entry (2001:db8::/32) is IPv6 and left out, as ${reason}. Add the IPv4 ranges that need the API (--allow-cidr), or use --mode private.`,
    });
  });

  it('warns when a dual-stack endpoint would take IPv6 entries only, shutting out IPv4 clients', () => {
    expect(
      run(preflightInput({ after: allowlisted(['2001:db8::/32', '2001:db8:1::/48']) })),
    ).toEqual({
      check: 'allowlist-family',
      status: 'warn',
      message:
        'Every allowlist entry for cluster payments is IPv6, so no IPv4 client can reach its dual-stack endpoint ' +
        '(CI runners, VPNs and NAT gateways usually reach it over IPv4); add the IPv4 ranges that need the API.',
    });
    expect(
      run(preflightInput({ after: allowlisted(['2001:db8::/32', '203.0.113.0/24']) })),
    ).toBeUndefined();
  });
});
