import { run } from '../../../../src/remediation/preflight/allowlist-scope.preflight.js';
import { allowlisted, preflightInput, privateOnly } from '../../../support/preflight.js';

const scope = (cidrs: string[]) => run(preflightInput({ after: allowlisted(cidrs) }));

describe('allowlist-scope pre-flight check', () => {
  it('does not apply to an allowlist of public addresses, or when public access goes off', () => {
    expect(scope(['203.0.113.0/24', '198.51.100.7/32'])).toBeUndefined();
    expect(
      run(preflightInput({ after: { ...privateOnly, publicAccessCidrs: ['10.0.0.0/8'] } })),
    ).toBeUndefined();
  });

  it('warns that a private CIDR on the public allowlist admits nobody', () => {
    expect(scope(['203.0.113.0/24', '10.20.0.0/16'])).toEqual({
      check: 'allowlist-scope',
      status: 'warn',
      message:
        '10.20.0.0/16 (inside private 10.0.0.0/8) admits nobody: the public endpoint only ever sees public source addresses, ' +
        'and traffic from inside the VPC uses the private endpoint. ' +
        'Allow the public (NAT) addresses those networks reach the internet from instead, or drop the entry.',
    });
  });

  it.each([
    ['172.31.0.0/16', 'private 172.16.0.0/12'],
    ['192.168.1.0/24', 'private 192.168.0.0/16'],
    ['100.64.0.0/10', 'carrier-grade NAT 100.64.0.0/10'],
    ['127.0.0.1/32', 'loopback 127.0.0.0/8'],
    ['169.254.169.254/32', 'link-local 169.254.0.0/16'],
  ])('flags %s as inside %s', (cidr, range) => {
    expect(scope([cidr])?.message).toContain(`${cidr} (inside ${range})`);
  });

  it('names every such entry in one warning', () => {
    expect(scope(['10.0.0.0/8', '203.0.113.0/24', '192.168.0.0/24'])?.message).toMatch(
      /^10\.0\.0\.0\/8 \(inside private 10\.0\.0\.0\/8\) and 192\.168\.0\.0\/24 \(inside private 192\.168\.0\.0\/16\) admit nobody/,
    );
  });

  it('leaves alone blocks that only overlap or border a private range', () => {
    expect(scope(['172.32.0.0/16', '100.128.0.0/10', '8.0.0.0/7'])).toBeUndefined();
  });
});

describe('allowlist-scope pre-flight check, IPv6', () => {
  it.each([
    ['fd00:1234::/32', 'unique local fc00::/7'],
    ['fe80::/64', 'link-local fe80::/10'],
    ['::1/128', 'loopback ::1/128'],
  ])('flags %s as inside %s', (cidr, range) => {
    expect(scope([cidr])?.message).toContain(`${cidr} (inside ${range})`);
  });

  it('leaves global IPv6 ranges alone', () => {
    expect(scope(['2001:db8::/32', '2600:1f18::/32'])).toBeUndefined();
  });
});
