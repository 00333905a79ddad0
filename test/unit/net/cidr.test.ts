import fc from 'fast-check';
import {
  coversWholeInternet,
  formatIpv4Address,
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
