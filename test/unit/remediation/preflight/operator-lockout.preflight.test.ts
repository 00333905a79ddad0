import { run } from '../../../../src/remediation/preflight/operator-lockout.preflight.js';
import { allowlisted, preflightInput, privateOnly } from '../../../support/preflight.js';

describe('operator-lockout pre-flight check', () => {
  it('does not apply without --my-ip, or when public access goes off', () => {
    expect(run(preflightInput({ after: allowlisted(['203.0.113.0/24']) }))).toBeUndefined();
    expect(run(preflightInput({ after: privateOnly, operatorIp: '203.0.113.7' }))).toBeUndefined();
  });

  it('passes when the address is inside an allowed CIDR, naming which', () => {
    const result = run(
      preflightInput({
        after: allowlisted(['198.51.100.0/24', '203.0.113.0/24']),
        operatorIp: '203.0.113.7',
      }),
    );
    expect(result).toEqual({
      check: 'operator-lockout',
      status: 'ok',
      message:
        'Your address 203.0.113.7 is inside 203.0.113.0/24, so kubectl from here keeps working.',
    });
  });

  it('warns when the address is in none of the CIDRs, with the /32 to add', () => {
    const result = run(
      preflightInput({ after: allowlisted(['198.51.100.0/24']), operatorIp: '203.0.113.7' }),
    );
    expect(result?.status).toBe('warn');
    expect(result?.message).toBe(
      'Your address 203.0.113.7 is in none of the allowed CIDRs: once applied, kubectl from here stops working; ' +
        'add 203.0.113.7/32 or run from inside the VPC.',
    );
  });

  it('treats the edges of a block as inside and the next address as outside', () => {
    const after = allowlisted(['203.0.113.0/24']);
    expect(run(preflightInput({ after, operatorIp: '203.0.113.0' }))?.status).toBe('ok');
    expect(run(preflightInput({ after, operatorIp: '203.0.113.255' }))?.status).toBe('ok');
    expect(run(preflightInput({ after, operatorIp: '203.0.114.0' }))?.status).toBe('warn');
  });

  it('warns rather than guessing when the address is not IPv4', () => {
    const result = run(
      preflightInput({ after: allowlisted(['203.0.113.0/24']), operatorIp: '2001:db8::1' }),
    );
    expect(result?.status).toBe('warn');
    expect(result?.message).toContain('not an IPv4 address');
  });
});
