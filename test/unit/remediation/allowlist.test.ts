import fc from 'fast-check';
import { parseCidr } from '../../../src/net/cidr.js';
import {
  parseAllowlist,
  readAllowlistFile,
  type AllowlistEntry,
} from '../../../src/remediation/allowlist.js';

const flag = (...values: string[]): AllowlistEntry[] =>
  values.map((value) => ({ value, source: '--allow-cidr' }));

function refusal(entries: AllowlistEntry[]): string {
  const result = parseAllowlist(entries);
  if (result.ok) throw new Error(`expected a refusal, got ${result.cidrs.join(', ')}`);
  return result.message;
}

/** A network CIDR with no host bits, prefix 1..32, as a user would type it. */
const networkCidr = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 32 }))
  .map(([ip, prefix]) => {
    const size = 2 ** (32 - prefix);
    const network = Math.floor(ip / size) * size;
    const octets = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256);
    return `${octets.join('.')}/${prefix}`;
  });

describe('parseAllowlist', () => {
  it('accepts IPv4 network CIDRs, trimmed, in the order given', () => {
    expect(parseAllowlist(flag(' 203.0.113.0/24', '198.51.100.7/32 '))).toEqual({
      ok: true,
      cidrs: ['203.0.113.0/24', '198.51.100.7/32'],
    });
  });

  it('refuses an empty list, saying how to give CIDRs', () => {
    expect(parseAllowlist([])).toEqual({
      ok: false,
      message:
        'allowlist mode needs at least one CIDR: --allow-cidr 203.0.113.0/24 or --allow-cidrs-file FILE',
    });
  });

  it('refuses a bare address, offering its /32', () => {
    expect(refusal(flag('203.0.113.7'))).toBe(
      '--allow-cidr: 203.0.113.7 is an address, not a CIDR: for that one address use 203.0.113.7/32',
    );
  });

  it('accepts IPv6 network CIDRs next to IPv4 ones, in RFC 5952 form', () => {
    expect(
      parseAllowlist(flag('203.0.113.0/24', '2001:DB8:0::/32', '2001:db8:0:0:1::/80')),
    ).toEqual({
      ok: true,
      cidrs: ['203.0.113.0/24', '2001:db8::/32', '2001:db8:0:0:1::/80'],
    });
  });

  it('refuses a bare IPv6 address, offering its /128', () => {
    expect(refusal(flag('2001:DB8:0::7'))).toBe(
      '--allow-cidr: 2001:DB8:0::7 is an address, not a CIDR: for that one address use 2001:db8::7/128',
    );
  });

  it('refuses IPv6 host bits, suggesting the network', () => {
    expect(refusal(flag('2001:db8::1/32'))).toBe(
      '--allow-cidr: 2001:db8::1/32 has host bits set; did you mean 2001:db8::/32?',
    );
  });

  it('refuses ::/0 and IPv6 blocks that together cover the IPv6 space', () => {
    expect(refusal(flag('203.0.113.0/24', '::/0'))).toBe(
      '--allow-cidr: ::/0 admits the whole internet, which is the finding being fixed: list only the networks that need the API',
    );
    expect(refusal(flag('203.0.113.0/24', '8000::/1', '::/2', '4000::/2'))).toBe(
      '::/2 (--allow-cidr) + 4000::/2 (--allow-cidr) + 8000::/1 (--allow-cidr) together admit the whole internet, ' +
        'which is the finding being fixed: list only the networks that need the API',
    );
  });

  it.each([
    ['10.0.0/8', 'not an IPv4 address'],
    ['10.0.0.0/33', 'IPv4 prefix length must be 0 to 32'],
    ['office-vpn', 'missing "/prefix-length"'],
    ['2001:db8:::/32', 'not an IPv6 address'],
    ['2001:db8::/129', 'IPv6 prefix length must be 0 to 128'],
  ])(
    'refuses %s with the reason (%s), saying what a CIDR looks like and correcting nothing',
    (value, reason) => {
      expect(refusal(flag(value))).toBe(
        `--allow-cidr: ${value} is not a CIDR (${reason}); ` +
          'a CIDR is a network address, "/" and a prefix length, as in 203.0.113.0/24 or 2001:db8::/32',
      );
    },
  );

  it('tells several CIDRs in one value apart from a malformed one', () => {
    expect(refusal(flag('10.0.0.0/8 192.168.0.0/16'))).toBe(
      '--allow-cidr: 10.0.0.0/8 192.168.0.0/16 is 2 CIDRs in one value: give each its own --allow-cidr (or line of the file)',
    );
  });

  it('refuses an empty value', () => {
    expect(refusal(flag(''))).toContain('an empty value is not a CIDR');
  });

  it('refuses host bits, suggesting the network', () => {
    expect(refusal(flag('10.1.2.3/24'))).toBe(
      '--allow-cidr: 10.1.2.3/24 has host bits set; did you mean 10.1.2.0/24?',
    );
  });

  it('refuses 0.0.0.0/0 and any /0: it is the finding being fixed', () => {
    expect(refusal(flag('203.0.113.0/24', '0.0.0.0/0'))).toContain(
      '0.0.0.0/0 admits the whole internet, which is the finding being fixed',
    );
    expect(refusal(flag('1.2.3.4/0'))).toContain('admits the whole internet');
  });

  it('refuses a list whose union is the whole internet, naming the blocks and where they came from', () => {
    const message = refusal([
      { value: '203.0.113.0/24', source: '--allow-cidr' },
      { value: '128.0.0.0/1', source: 'cidrs.txt line 2' },
      { value: '0.0.0.0/1', source: 'cidrs.txt line 5' },
    ]);
    expect(message).toBe(
      '0.0.0.0/1 (cidrs.txt line 5) + 128.0.0.0/1 (cidrs.txt line 2) together admit the whole internet, ' +
        'which is the finding being fixed: list only the networks that need the API',
    );
  });

  it('reports the first problem in input order, with its source', () => {
    expect(
      refusal([
        { value: '203.0.113.0/24', source: 'cidrs.txt line 1' },
        { value: '10.1.2.3/24', source: 'cidrs.txt line 3' },
        { value: '203.0.113.7', source: '--allow-cidr' },
      ]),
    ).toMatch(/^cidrs\.txt line 3: 10\.1\.2\.3\/24 has host bits set/);
  });

  it('drops repeats after normalising, keeping the first', () => {
    expect(parseAllowlist(flag('203.0.113.0/24', '198.51.100.0/24', '203.0.113.0/024'))).toEqual({
      ok: true,
      cidrs: ['203.0.113.0/24', '198.51.100.0/24'],
    });
  });

  it('accepts 40 distinct CIDRs and refuses 41, quoting the EKS quota', () => {
    const cidrs = Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`);
    expect(parseAllowlist(flag(...cidrs.slice(0, 40)))).toMatchObject({ ok: true });
    expect(parseAllowlist(flag(...cidrs.slice(0, 40), '198.51.0.0/24'))).toMatchObject({
      ok: true,
    });
    expect(refusal(flag(...cidrs))).toBe(
      '41 CIDRs given; EKS allows at most 40 per cluster (quota "Public endpoint access CIDR ranges per cluster", ' +
        'not adjustable): merge neighbouring ranges or drop some',
    );
  });

  it('round-trips any network CIDR', () => {
    fc.assert(
      fc.property(networkCidr, (cidr) => {
        const result = parseAllowlist(flag(cidr));
        return result.ok && result.cidrs.length === 1 && result.cidrs[0] === cidr;
      }),
    );
  });

  it('refuses any CIDR with host bits set, suggesting a valid network CIDR that contains it', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 31 }), (ip, prefix) => {
        const input = `${ip}/${prefix}`;
        const parsed = parseCidr(input);
        fc.pre(parsed.ok && parsed.value.family === 4 && parsed.value.hostBitsSet);
        const suggestion = /did you mean (\S+)\?$/.exec(refusal(flag(input)))?.[1] ?? '';
        const back = parseCidr(suggestion);
        return (
          back.ok &&
          back.value.family === 4 &&
          !back.value.hostBitsSet &&
          back.value.prefixLength === prefix &&
          parseAllowlist(flag(suggestion)).ok
        );
      }),
    );
  });

  it('never returns repeats or more than 40, and keeps first-appearance order', () => {
    fc.assert(
      fc.property(fc.array(networkCidr, { minLength: 1, maxLength: 60 }), (cidrs) => {
        const result = parseAllowlist(flag(...cidrs));
        const firstSeen = [...new Set(cidrs)];
        if (!result.ok) {
          return firstSeen.length > 40 || /together admit the whole internet/.test(result.message);
        }
        return (
          new Set(result.cidrs).size === result.cidrs.length &&
          result.cidrs.length <= 40 &&
          result.cidrs.join() === firstSeen.join()
        );
      }),
    );
  });
});

describe('readAllowlistFile', () => {
  it('reads one CIDR per line, skipping blanks and comments, with line numbers as sources', () => {
    const text = [
      '# office and VPN',
      '203.0.113.0/24   # office',
      '',
      '  198.51.100.7/32  ',
      '192.0.2.0/28, 192.0.2.64/28',
      '   # indented comment',
    ].join('\n');
    expect(readAllowlistFile(text, 'cidrs.txt')).toEqual([
      { value: '203.0.113.0/24', source: 'cidrs.txt line 2' },
      { value: '198.51.100.7/32', source: 'cidrs.txt line 4' },
      { value: '192.0.2.0/28', source: 'cidrs.txt line 5' },
      { value: '192.0.2.64/28', source: 'cidrs.txt line 5' },
    ]);
  });

  it('handles Windows line endings and a file of only comments', () => {
    expect(readAllowlistFile('10.0.0.0/8\r\n# x\r\n', 'a.txt')).toEqual([
      { value: '10.0.0.0/8', source: 'a.txt line 1' },
    ]);
    expect(readAllowlistFile('# nothing yet\n\n', 'a.txt')).toEqual([]);
  });

  it('feeds parseAllowlist so a bad line is reported by file and line', () => {
    const entries = readAllowlistFile('203.0.113.0/24\n\n203.0.113.7\n', 'cidrs.txt');
    expect(parseAllowlist(entries)).toEqual({
      ok: false,
      message:
        'cidrs.txt line 3: 203.0.113.7 is an address, not a CIDR: for that one address use 203.0.113.7/32',
    });
  });
});
