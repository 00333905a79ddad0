import { run } from '../../../../src/remediation/preflight/node-access.preflight.js';
import {
  allowlisted,
  preflightInput,
  privateOnly,
  publicOpen,
} from '../../../support/preflight.js';

describe('node-access pre-flight check', () => {
  it('passes an allowlist with private access on: nodes stay inside the VPC', () => {
    expect(run(preflightInput({ after: allowlisted(['203.0.113.0/24'], true) }))).toEqual({
      check: 'node-access',
      status: 'ok',
      message:
        'Private access stays on, so nodes and Fargate pods keep reaching the API inside the VPC.',
    });
  });

  it('warns about an allowlist with private access off, pointing at the NAT gateway addresses', () => {
    const result = run(preflightInput({ after: allowlisted(['203.0.113.0/24'], false) }));
    expect(result?.status).toBe('warn');
    expect(result?.message).toContain(
      'nodes and Fargate pods reach the API through the public endpoint',
    );
    expect(result?.message).toContain('NAT gateway addresses cuts them off');
    expect(result?.message).toContain('containers-roadmap #108');
    expect(result?.message).toContain(
      'aws ec2 describe-nat-gateways --region eu-west-1 --filter Name=vpc-id,Values=vpc-0a1b2c3d',
    );
  });

  it('does not apply when public access is off or the list still admits the whole internet', () => {
    expect(run(preflightInput({ after: privateOnly }))).toBeUndefined();
    expect(run(preflightInput({ after: publicOpen }))).toBeUndefined();
    expect(
      run(preflightInput({ after: allowlisted(['0.0.0.0/1', '128.0.0.0/1'], false) })),
    ).toBeUndefined();
  });
});
