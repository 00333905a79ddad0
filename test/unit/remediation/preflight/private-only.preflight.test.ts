import { run } from '../../../../src/remediation/preflight/private-only.preflight.js';
import {
  allowlisted,
  cluster,
  preflightInput,
  privateOnly,
  publicOpen,
} from '../../../support/preflight.js';

describe('private-only pre-flight check', () => {
  it('warns when public access goes off, naming the VPC and who loses access', () => {
    const result = run(preflightInput({ before: publicOpen, after: privateOnly }));
    expect(result?.status).toBe('warn');
    expect(result?.message).toContain('cluster payments');
    expect(result?.message).toContain('inside VPC vpc-0a1b2c3d');
    expect(result?.message).toContain('bastion, VPN, Direct Connect, peered VPCs, Transit Gateway');
    expect(result?.message).toContain('kubectl, CI runners');
  });

  it('also warns when a rollback turns public access off from an allowlist', () => {
    expect(
      run(preflightInput({ before: allowlisted(['203.0.113.0/24']), after: privateOnly }))?.status,
    ).toBe('warn');
  });

  it('falls back to "its VPC" when DescribeCluster gave no VPC id', () => {
    const result = run(preflightInput({ cluster: cluster({ resourcesVpcConfig: {} }) }));
    expect(result?.message).toContain('inside its VPC');
  });

  it('does not apply when public access stays on, or was already off', () => {
    expect(run(preflightInput({ after: allowlisted(['203.0.113.0/24']) }))).toBeUndefined();
    expect(run(preflightInput({ before: privateOnly, after: privateOnly }))).toBeUndefined();
    expect(run(preflightInput({ before: privateOnly, after: publicOpen }))).toBeUndefined();
  });
});
