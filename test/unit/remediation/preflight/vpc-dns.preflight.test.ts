import { run } from '../../../../src/remediation/preflight/vpc-dns.preflight.js';
import {
  allowlisted,
  failed,
  preflightInput,
  privateOnly,
  publicOpen,
  vpcDns,
} from '../../../support/preflight.js';

const FIX_HOSTNAMES =
  'aws ec2 modify-vpc-attribute --region eu-west-1 --vpc-id vpc-0a1b2c3d --enable-dns-hostnames \'{"Value":true}\'';
const FIX_SUPPORT =
  'aws ec2 modify-vpc-attribute --region eu-west-1 --vpc-id vpc-0a1b2c3d --enable-dns-support \'{"Value":true}\'';

describe('vpc-dns pre-flight check', () => {
  it('does not apply when private access stays off or the DNS facts were not gathered', () => {
    expect(run(preflightInput({ after: allowlisted(['203.0.113.0/24'], false) }))).toBeUndefined();
    expect(run(preflightInput({ after: publicOpen }))).toBeUndefined();
    expect(run(preflightInput({ vpcDns: undefined }))).toBeUndefined();
  });

  it('passes a VPC with DNS support and hostnames on', () => {
    const result = run(preflightInput());
    expect(result?.status).toBe('ok');
    expect(result?.message).toContain('VPC vpc-0a1b2c3d has DNS support and DNS hostnames on');
  });

  it('blocks going private when DNS hostnames are off, with the command that fixes it', () => {
    const result = run(preflightInput({ after: privateOnly, vpcDns: vpcDns(true, false) }));
    expect(result?.status).toBe('block');
    expect(result?.message).toContain('VPC vpc-0a1b2c3d has enableDnsHostnames off');
    expect(result?.message).toContain('nothing could resolve the private endpoint');
    expect(result?.message).toContain(FIX_HOSTNAMES);
    expect(result?.message).not.toContain('--enable-dns-support');
  });

  it('names both attributes and gives both fixes, DNS support first, when both are off', () => {
    const result = run(preflightInput({ vpcDns: vpcDns(false, false) }));
    expect(result?.status).toBe('block');
    expect(result?.message).toContain('enableDnsSupport and enableDnsHostnames off');
    const message = result?.message ?? '';
    expect(message.indexOf(FIX_SUPPORT)).toBeGreaterThan(-1);
    expect(message.indexOf(FIX_SUPPORT)).toBeLessThan(message.indexOf(FIX_HOSTNAMES));
  });

  it('only warns when public access stays on: nodes fall back to the public endpoint', () => {
    const result = run(
      preflightInput({ after: allowlisted(['203.0.113.0/24']), vpcDns: vpcDns(false, true) }),
    );
    expect(result?.status).toBe('warn');
    expect(result?.message).toContain('enableDnsSupport off');
    expect(result?.message).toContain('nodes keep using the public endpoint');
    expect(result?.message).toContain('NAT gateway addresses');
    expect(result?.message).toContain(FIX_SUPPORT);
  });

  it('blocks going private when the DNS attributes could not be read', () => {
    const result = run(
      preflightInput({ vpcDns: failed('UnauthorizedOperation', 'not authorized to describe') }),
    );
    expect(result?.status).toBe('block');
    expect(result?.message).toContain('VPC vpc-0a1b2c3d');
    expect(result?.message).toContain('UnauthorizedOperation: not authorized to describe');
  });

  it('warns when the DNS attributes could not be read but public access stays on', () => {
    const result = run(
      preflightInput({
        after: allowlisted(['203.0.113.0/24']),
        vpcDns: failed('Throttling', 'Rate exceeded'),
      }),
    );
    expect(result?.status).toBe('warn');
    expect(result?.message).toContain('Throttling: Rate exceeded');
  });
});
