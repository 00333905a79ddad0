import { endpointConfigOf } from '../../../src/remediation/endpoint-config.js';
import { endpointAccessOf } from '../../../src/rules/endpoint-access.js';
import { check as eks001 } from '../../../src/rules/eks-001-endpoint-public-access.js';
import { cluster } from '../../support/preflight.js';

describe('one endpoint-configuration model for the audit and the change', () => {
  it('a list DescribeCluster leaves out is AWS default, 0.0.0.0/0, for the rule and for remediation', () => {
    const noList = cluster({ resourcesVpcConfig: { endpointPublicAccess: true } });
    expect(endpointConfigOf(noList)).toEqual({
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(endpointAccessOf(noList)).toMatchObject({
      publicAccessCidrs: [],
      effectivePublicAccessCidrs: ['0.0.0.0/0'],
      mode: 'public-open',
    });
    expect(eks001(noList).status).toBe('FAIL');
  });

  it('a list reported empty stays empty, and both readings call it open', () => {
    const empty = cluster({
      resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: [] },
    });
    expect(endpointConfigOf(empty).publicAccessCidrs).toEqual([]);
    expect(endpointAccessOf(empty).mode).toBe('public-open');
  });
});
