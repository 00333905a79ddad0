import { check, metadata } from '../../../src/rules/eks-002-endpoint-no-public-access.js';
import { clusterWithEndpoint as cluster } from '../../support/report.js';

describe('EKS-002 endpoint not publicly accessible (Security Hub EKS.1)', () => {
  it('fails a public endpoint even with a narrow allowlist', () => {
    const result = check(
      cluster({
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['203.0.113.7/32'],
      }),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('203.0.113.7/32');
    expect(result.evidence).toEqual({
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.7/32'],
    });
  });

  it('fails the AWS default (fields left out mean public, open)', () => {
    expect(check(cluster(undefined)).status).toBe('FAIL');
  });

  it('passes a private-only endpoint, whatever stale CIDRs AWS still reports', () => {
    const result = check(
      cluster({
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      }),
    );
    expect(result).toMatchObject({ status: 'PASS', message: 'API endpoint is private only.' });
    expect(result.evidence).toMatchObject({ publicAccessCidrs: [] });
  });

  it('carries the Security Hub and AWS Config names beside the check', () => {
    expect(metadata.aliases).toEqual(['EKS.1', 'eks-endpoint-no-public-access']);
    expect(metadata.severity).toBe('high');
    expect(metadata.references.some((r) => r.includes('securityhub'))).toBe(true);
  });
});
