import { check, metadata } from '../../../src/rules/eks-001-endpoint-public-access.js';
import { clusterWithEndpoint as cluster } from '../../support/report.js';

describe('EKS-001 endpoint public access', () => {
  it('fails the AWS default: public, private off, open to 0.0.0.0/0', () => {
    const result = check(
      cluster({
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
      }),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('0.0.0.0/0');
    expect(result.message).toContain('nodes also reach the API over the internet');
  });

  it('fails public + private when the allowlist still holds 0.0.0.0/0 among others', () => {
    const result = check(
      cluster({
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['10.0.0.0/8', '0.0.0.0/0'],
      }),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).not.toContain('nodes also reach');
  });

  it('treats ::/0 like 0.0.0.0/0', () => {
    expect(check(cluster({ endpointPublicAccess: true, publicAccessCidrs: ['::/0'] })).status).toBe(
      'FAIL',
    );
  });

  it('fails a dual-stack cluster with its default list, and with ::/0 next to a restricted IPv4 range', () => {
    const dual = (publicAccessCidrs: string[]) =>
      check({
        ...cluster({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs }),
        endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.api.aws',
        kubernetesNetworkConfig: { ipFamily: 'ipv6' },
      });
    expect(dual(['0.0.0.0/0', '::/0']).status).toBe('FAIL');
    expect(dual(['203.0.113.0/24', '::/0'])).toMatchObject({
      status: 'FAIL',
      message: 'API endpoint is public and open to the internet (203.0.113.0/24, ::/0).',
    });
    expect(dual(['203.0.113.0/24', '8000::/1', '::/1']).status).toBe('FAIL');
    expect(dual(['203.0.113.0/24', '2001:db8::/32']).status).toBe('PASS');
  });

  it('treats CIDRs whose union is the whole IPv4 space as open', () => {
    expect(
      check(
        cluster({ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'] }),
      ).status,
    ).toBe('FAIL');
  });

  it('treats public access with an empty or missing CIDR list as open (AWS defaults it to 0.0.0.0/0)', () => {
    expect(check(cluster({ endpointPublicAccess: true, publicAccessCidrs: [] })).status).toBe(
      'FAIL',
    );
    expect(check(cluster({ endpointPublicAccess: true })).status).toBe('FAIL');
  });

  it('treats a cluster with no endpoint fields at all as the open default', () => {
    expect(check(cluster(undefined)).status).toBe('FAIL');
  });

  it('passes a private-only cluster even though AWS still reports 0.0.0.0/0', () => {
    const result = check(
      cluster({
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      }),
    );
    expect(result).toMatchObject({ status: 'PASS', message: 'API endpoint is private only.' });
  });

  it('passes a public endpoint restricted to an allowlist, naming the CIDR count and private access', () => {
    const result = check(
      cluster({
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
      }),
    );
    expect(result.status).toBe('PASS');
    expect(result.message).toBe('API endpoint is public restricted to 2 CIDRs (private on).');
  });

  it('passes a restricted public endpoint with private off, and says so', () => {
    const result = check(
      cluster({
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['192.0.2.0/24'],
      }),
    );
    expect(result).toMatchObject({
      status: 'PASS',
      message: 'API endpoint is public restricted to 1 CIDR (private off).',
    });
  });

  it('does not mistake broad but partial allowlists for the whole internet', () => {
    expect(
      check(cluster({ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/1'] })).status,
    ).toBe('PASS');
    expect(
      check(
        cluster({ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/2'] }),
      ).status,
    ).toBe('PASS');
  });

  it('carries the Conformity metadata beside the check', () => {
    expect(metadata).toMatchObject({
      id: 'EKS-001',
      title: 'EKS Cluster Endpoint Public Access',
      severity: 'medium',
    });
    expect(metadata.references.some((r) => r.includes('cloudoneconformity'))).toBe(true);
    expect(metadata.remediation.cli).toContain(
      'endpointPublicAccess=false,endpointPrivateAccess=true',
    );
  });

  describe('with approved CIDRs', () => {
    const approved = { approvedCidrs: ['203.0.113.0/24', '2001:db8::/32'] };
    const restricted = (publicAccessCidrs: string[]) =>
      cluster({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs });

    it('passes an allowlist wholly inside the approved ranges, by meaning', () => {
      expect(check(restricted(['203.0.113.0/25', '203.0.113.128/25']), approved).status).toBe(
        'PASS',
      );
      // Inside the union of two approved blocks, though inside neither alone.
      const halves = { approvedCidrs: ['10.0.0.0/25', '10.0.0.128/25'] };
      expect(check(restricted(['10.0.0.0/24']), halves).status).toBe('PASS');
    });

    it('fails an allowlist with ranges outside the approved ones, naming only those', () => {
      const result = check(
        restricted(['203.0.113.0/24', '198.51.100.0/24', '10.0.0.0/8']),
        approved,
      );
      expect(result.status).toBe('FAIL');
      expect(result.message).toContain('outside the approved CIDRs: 198.51.100.0/24, 10.0.0.0/8');
      expect(result.message).not.toContain('203.0.113.0/24');
      expect(result.evidence).toMatchObject({
        outsideApproved: ['198.51.100.0/24', '10.0.0.0/8'],
        openToInternet: false,
      });
    });

    it('fails a range wider than the approved one that contains it', () => {
      expect(check(restricted(['203.0.112.0/23']), approved).status).toBe('FAIL');
    });

    it('still passes a private-only cluster whatever its stale CIDR list says', () => {
      const privateOnly = cluster({
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      });
      expect(check(privateOnly, approved)).toMatchObject({
        status: 'PASS',
        evidence: { outsideApproved: [] },
      });
    });
  });

  it('returns its evidence: the effective CIDRs, with AWS default filled in', () => {
    expect(check(cluster({ endpointPublicAccess: true })).evidence).toEqual({
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
      openToInternet: true,
      approvedCidrs: null,
      outsideApproved: [],
    });
  });
});
