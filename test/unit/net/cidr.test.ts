import fc from 'fast-check';
import {
  addressInCidrs,
  cidrWithin,
  coversWholeInternet,
  formatCidr,
  formatIpv4Address,
  formatIpv6Address,
  ipv4CidrContains,
  isNonInternetAddress,
  ipv4CidrWithin,
  parseCidr,
  parseIpv4Address,
  parseIpv6Address,
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
    ['2001:db8:::/32', 'not an IPv6 address'],
    ['2001:db8::1::/64', 'not an IPv6 address'],
    ['1:2:3:4:5:6:7:8:9/64', 'not an IPv6 address'],
    ['1:2:3:4:5:6:7/64', 'not an IPv6 address'],
    ['1:2:3:4:5:6:7:8::/64', 'not an IPv6 address'],
    ['2001:db8::g/64', 'not an IPv6 address'],
    ['12345::/16', 'not an IPv6 address'],
    ['fe80::1%eth0/64', 'not an IPv6 address'],
    ['::ffff:300.0.0.1/128', 'not an IPv6 address'],
  ])('refuses %s: %s', (text, reason) => {
    expect(parseCidr(text)).toEqual({ ok: false, reason });
  });

  it('round-trips every IPv4 address', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => formatIpv4Address(parseIpv4Address(ip) ?? -1) === ip));
  });
});

describe('IPv6', () => {
  it('reads an IPv6 network and flags host bits', () => {
    expect(parseCidr('2001:db8::/32')).toEqual({
      ok: true,
      value: { family: 6, network: 0x20010db8n << 96n, prefixLength: 32, hostBitsSet: false },
    });
    expect(parseCidr('2001:db8::1/32')).toMatchObject({
      ok: true,
      value: { hostBitsSet: true, network: 0x20010db8n << 96n },
    });
  });

  it('reads every way of writing an address: full, compressed, upper case, IPv4 tail', () => {
    const expected = parseIpv6Address('2001:db8::ff00:42:8329');
    for (const text of [
      '2001:0db8:0000:0000:0000:ff00:0042:8329',
      '2001:DB8:0:0:0:FF00:42:8329',
      '2001:db8:0::ff00:42:8329',
    ])
      expect(parseIpv6Address(text)).toBe(expected);
    expect(parseIpv6Address('::ffff:192.0.2.1')).toBe((0xffffn << 32n) | 0xc0000201n);
    expect(parseIpv6Address('::')).toBe(0n);
  });

  it('writes RFC 5952 form: lower case, the longest zero run compressed, the first of equals', () => {
    expect(formatIpv6Address(parseIpv6Address('2001:DB8:0:0:1:0:0:1') ?? -1n)).toBe(
      '2001:db8::1:0:0:1',
    );
    expect(formatIpv6Address(parseIpv6Address('2001:db8:0:1:0:0:0:1') ?? -1n)).toBe(
      '2001:db8:0:1::1',
    );
    expect(formatIpv6Address(parseIpv6Address('2001:db8:0:1:1:1:1:1') ?? -1n)).toBe(
      '2001:db8:0:1:1:1:1:1',
    );
    expect(formatIpv6Address(0n)).toBe('::');
    expect(formatCidr({ family: 6, network: 0n, prefixLength: 0, hostBitsSet: false })).toBe(
      '::/0',
    );
  });

  const ipv6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });

  it('round-trips every IPv6 address through its written form', () => {
    fc.assert(fc.property(ipv6, (ip) => parseIpv6Address(formatIpv6Address(ip)) === ip));
    fc.assert(fc.property(fc.ipV6(), (text) => parseIpv6Address(text) !== undefined));
  });

  it('finds the network of any address and prefix, and the network is inside itself', () => {
    fc.assert(
      fc.property(ipv6, fc.integer({ min: 0, max: 128 }), (ip, prefix) => {
        const parsed = parseCidr(`${formatIpv6Address(ip)}/${prefix}`);
        if (!parsed.ok || parsed.value.family !== 6) return false;
        const network = formatCidr(parsed.value);
        const again = parseCidr(network);
        return again.ok && !again.value.hostBitsSet && cidrWithin(network, network);
      }),
    );
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

  it('is true when blocks together cover the IPv6 space, and not when one is missing', () => {
    expect(coversWholeInternet(['8000::/1', '::/2', '4000::/2', '203.0.113.0/24'])).toBe(true);
    expect(coversWholeInternet(['8000::/1', '::/2', '203.0.113.0/24'])).toBe(false);
  });

  it('does not add the two families together', () => {
    expect(coversWholeInternet(['0.0.0.0/1', '8000::/1'])).toBe(false);
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

describe('cidrWithin', () => {
  it('compares IPv6 blocks, and never one family with the other', () => {
    expect(cidrWithin('fd12:3456::/32', 'fc00::/7')).toBe(true);
    expect(cidrWithin('fe00::/7', 'fc00::/7')).toBe(false);
    expect(cidrWithin('::/0', '0.0.0.0/0')).toBe(false);
    expect(cidrWithin('10.0.0.0/8', '::/0')).toBe(false);
  });
});

describe('addresses in CIDRs', () => {
  it('finds an IPv4 or IPv6 address in a list of either family', () => {
    const allowlist = ['203.0.113.0/24', '2001:db8::/32'];
    expect(addressInCidrs('203.0.113.9', allowlist)).toBe(true);
    expect(addressInCidrs('2001:db8::7', allowlist)).toBe(true);
    expect(addressInCidrs('198.51.100.7', allowlist)).toBe(false);
    expect(addressInCidrs('2001:db9::7', allowlist)).toBe(false);
    expect(addressInCidrs('not-an-ip', allowlist)).toBe(false);
  });

  it('tells addresses that are never the internet from those that may be', () => {
    for (const inside of ['10.0.1.5', '172.31.255.1', '192.168.0.1', '100.64.0.9', 'fd00::1']) {
      expect(isNonInternetAddress(inside)).toBe(true);
    }
    for (const outside of ['203.0.113.10', '172.32.0.1', '127.0.0.1', '2001:db8::1']) {
      expect(isNonInternetAddress(outside)).toBe(false);
    }
  });
});
