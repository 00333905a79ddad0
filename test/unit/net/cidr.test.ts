import fc from 'fast-check';
import {
  coversWholeInternet,
  formatIpv4Address,
  ipv4CidrContains,
  ipv4CidrWithin,
  parseCidr,
  parseIpv4Address,
} from '../../../src/net/cidr.js';

describe('parseCidr', () => {
  it('reads an IPv4 network and flags host bits', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({
      ok: true,
      value: { family: 4, network: 10 * 2 ** 24, prefixLength: 8, hostBitsSet: false },
    });
    expect(parseCidr('10.1.2.3/8')).toMatchObject({
      ok: true,
      value: { hostBitsSet: true, network: 10 * 2 ** 24 },
    });
  });

  it.each([
    ['10.0.0.0', 'missing "/prefix-length"'],
    ['10.0.0/8', 'not an IPv4 address'],
    ['256.0.0.0/8', 'not an IPv4 address'],
    ['01.0.0.0/8', 'not an IPv4 address'],
    ['10.0.0.0/33', 'IPv4 prefix length must be 0 to 32'],
    ['10.0.0.0/x', 'prefix length is not a number'],
    ['::/129', 'IPv6 prefix length must be 0 to 128'],
  ])('refuses %s: %s', (text, reason) => {
    expect(parseCidr(text)).toEqual({ ok: false, reason });
  });

  it('round-trips every IPv4 address', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => formatIpv4Address(parseIpv4Address(ip) ?? -1) === ip));
  });
});

describe('coversWholeInternet', () => {
  it('is true for /0 of either family', () => {
    expect(coversWholeInternet(['0.0.0.0/0'])).toBe(true);
    expect(coversWholeInternet(['::/0'])).toBe(true);
  });

  it('is true when blocks together cover the IPv4 space, in any order', () => {
    expect(coversWholeInternet(['128.0.0.0/1', '0.0.0.0/2', '64.0.0.0/2'])).toBe(true);
  });

  it('is false when any address is left out', () => {
    expect(coversWholeInternet(['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3'])).toBe(false);
    expect(coversWholeInternet([])).toBe(false);
  });

  it('is false for any single prefix longer than /0', () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.integer({ min: 1, max: 32 }),
        (ip, prefix) => !coversWholeInternet([`${ip}/${prefix}`]),
      ),
    );
  });
});

describe('ipv4CidrContains', () => {
  it('is true for the first and last address of the block and false just outside', () => {
    expect(ipv4CidrContains('203.0.113.0/24', '203.0.113.0')).toBe(true);
    expect(ipv4CidrContains('203.0.113.0/24', '203.0.113.255')).toBe(true);
    expect(ipv4CidrContains('203.0.113.0/24', '203.0.112.255')).toBe(false);
    expect(ipv4CidrContains('203.0.113.0/24', '203.0.114.0')).toBe(false);
  });

  it('handles /0 and /32', () => {
    expect(ipv4CidrContains('0.0.0.0/0', '255.255.255.255')).toBe(true);
    expect(ipv4CidrContains('198.51.100.7/32', '198.51.100.7')).toBe(true);
    expect(ipv4CidrContains('198.51.100.7/32', '198.51.100.8')).toBe(false);
  });

  it('is false for anything unparseable or IPv6', () => {
    expect(ipv4CidrContains('::/0', '203.0.113.7')).toBe(false);
    expect(ipv4CidrContains('not-a-cidr', '203.0.113.7')).toBe(false);
    expect(ipv4CidrContains('0.0.0.0/0', '2001:db8::1')).toBe(false);
  });

  it('holds for every address in its own /32 and every wider block around it', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) =>
        ipv4CidrContains(`${ip}/${prefix}`, ip),
      ),
    );
  });
});

describe('ipv4CidrWithin', () => {
  it('is true for a block inside another, including the block itself', () => {
    expect(ipv4CidrWithin('10.20.0.0/16', '10.0.0.0/8')).toBe(true);
    expect(ipv4CidrWithin('10.0.0.0/8', '10.0.0.0/8')).toBe(true);
  });

  it('is false for a block that only overlaps, borders, or contains the other', () => {
    expect(ipv4CidrWithin('10.0.0.0/7', '10.0.0.0/8')).toBe(false);
    expect(ipv4CidrWithin('172.32.0.0/16', '172.16.0.0/12')).toBe(false);
    expect(ipv4CidrWithin('::/0', '10.0.0.0/8')).toBe(false);
  });
});
