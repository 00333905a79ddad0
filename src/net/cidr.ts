/** Pure IPv4/IPv6 CIDR helpers. No I/O, no exceptions: parse results are values. */

export interface Ipv4Cidr {
  readonly family: 4;
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
  /** True when bits below the prefix were set in the input (e.g. 10.0.0.1/24). */
  readonly hostBitsSet: boolean;
}

export interface Ipv6Cidr {
  readonly family: 6;
  /** Network address as an unsigned 128-bit integer. */
  readonly network: bigint;
  readonly prefixLength: number;
  /** True when bits below the prefix were set in the input (e.g. 2001:db8::1/32). */
  readonly hostBitsSet: boolean;
}

export type Cidr = Ipv4Cidr | Ipv6Cidr;
export type AddressFamily = Cidr['family'];

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const BITS: Record<AddressFamily, number> = { 4: 32, 6: 128 };

export function parseIpv4Address(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4Address(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Eight 16-bit groups from "a:b::c" (at most one "::"), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const pieces = part.split(':');
    const groups: number[] = [];
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        // An IPv4 address in the last 32 bits, as in ::ffff:192.0.2.1 (RFC 4291 section 2.2).
        const v4 = parseIpv4Address(piece);
        if (v4 === undefined) return undefined;
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  // "::" stands for at least one group of zeros.
  if (missing < 1) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

export function parseIpv6Address(text: string): bigint | undefined {
  const groups = ipv6Groups(text);
  return groups?.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** RFC 5952 form: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
export function formatIpv6Address(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((value >> BigInt(16 * (7 - i))) & 0xffffn),
  );
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (best.start < 0) return hex(groups);
  return `${hex(groups.slice(0, best.start))}::${hex(groups.slice(best.start + best.length))}`;
}

function parseIpv6Cidr(address: string, prefixLength: number): ParseResult<Ipv6Cidr> {
  if (prefixLength > 128) return { ok: false, reason: 'IPv6 prefix length must be 0 to 128' };
  const ip = parseIpv6Address(address);
  if (ip === undefined) return { ok: false, reason: 'not an IPv6 address' };
  const hostBits = BigInt(128 - prefixLength);
  const network = (ip >> hostBits) << hostBits;
  return { ok: true, value: { family: 6, network, prefixLength, hostBitsSet: network !== ip } };
}

export function parseCidr(text: string): ParseResult<Cidr> {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'missing "/prefix-length"' };
  const address = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: 'prefix length is not a number' };
  const prefixLength = Number(prefixText);
  if (address.includes(':')) return parseIpv6Cidr(address, prefixLength);
  const ip = parseIpv4Address(address);
  if (ip === undefined) return { ok: false, reason: 'not an IPv4 address' };
  if (prefixLength > 32) return { ok: false, reason: 'IPv4 prefix length must be 0 to 32' };
  const size = 2 ** (32 - prefixLength);
  const network = Math.floor(ip / size) * size;
  return { ok: true, value: { family: 4, network, prefixLength, hostBitsSet: network !== ip } };
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4Address(cidr.network)}/${cidr.prefixLength}`;
}

/** The network form, normalised: 10.1.0.0/16, 2001:db8::/32. */
export function formatCidr(cidr: Cidr): string {
  return cidr.family === 4
    ? formatIpv4Cidr(cidr)
    : `${formatIpv6Address(cidr.network)}/${cidr.prefixLength}`;
}

/** 4 or 6 for a parseable CIDR, undefined otherwise. */
export function cidrFamily(text: string): AddressFamily | undefined {
  const parsed = parseCidr(text);
  return parsed.ok ? parsed.value.family : undefined;
}

interface Range {
  readonly family: AddressFamily;
  readonly start: bigint;
  /** One past the last address. */
  readonly end: bigint;
}

function rangeOf(cidr: Cidr): Range {
  const start = BigInt(cidr.network);
  return {
    family: cidr.family,
    start,
    end: start + (1n << BigInt(BITS[cidr.family] - cidr.prefixLength)),
  };
}

function rangeOfText(text: string): Range | undefined {
  const parsed = parseCidr(text);
  return parsed.ok ? rangeOf(parsed.value) : undefined;
}

/** Whether the ranges of one family leave no address of that family out. */
function coverFamily(ranges: readonly Range[], family: AddressFamily): boolean {
  const sorted = ranges
    .filter((r) => r.family === family)
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  let coveredTo = 0n;
  for (const range of sorted) {
    if (range.start > coveredTo) return false;
    if (range.end > coveredTo) coveredTo = range.end;
  }
  return coveredTo >= 1n << BigInt(BITS[family]);
}

/**
 * True when the CIDRs together admit every IPv4 address or every IPv6 address: a /0 of either
 * family, or blocks of one family whose union is its whole space (0.0.0.0/1 + 128.0.0.0/1 is as
 * open as 0.0.0.0/0, ::/1 + 8000::/1 as ::/0). Unparseable entries are ignored here.
 */
export function coversWholeInternet(cidrs: readonly string[]): boolean {
  const ranges = cidrs.flatMap((c) => rangeOfText(c) ?? []);
  return coverFamily(ranges, 4) || coverFamily(ranges, 6);
}

/**
 * True when the IPv4 address lies inside the IPv4 CIDR (host bits in the CIDR are ignored, as AWS
 * does). False for anything unparseable and for IPv6 on either side.
 */
export function ipv4CidrContains(cidr: string, address: string): boolean {
  const range = rangeOfText(cidr);
  const ip = parseIpv4Address(address.trim());
  return (
    range?.family === 4 && ip !== undefined && BigInt(ip) >= range.start && BigInt(ip) < range.end
  );
}

/** True when every address of the CIDR `inner` lies inside the CIDR `outer`, both of one family. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = rangeOfText(inner);
  const b = rangeOfText(outer);
  return (
    a !== undefined &&
    b !== undefined &&
    a.family === b.family &&
    a.start >= b.start &&
    a.end <= b.end
  );
}

/** True when every address of the IPv4 CIDR `inner` lies inside the IPv4 CIDR `outer`. */
export function ipv4CidrWithin(inner: string, outer: string): boolean {
  return cidrFamily(inner) === 4 && cidrWithin(inner, outer);
}

/** Whether the ranges together cover every address of `target` (same family only). */
function coversRange(ranges: readonly Range[], target: Range): boolean {
  const sorted = ranges
    .filter((r) => r.family === target.family && r.end > target.start && r.start < target.end)
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  let coveredTo = target.start;
  for (const range of sorted) {
    if (range.start > coveredTo) return false;
    if (range.end > coveredTo) coveredTo = range.end;
  }
  return coveredTo >= target.end;
}

/**
 * The CIDRs of `cidrs` that are not wholly inside the union of `approved`: 10.0.0.0/24 is inside
 * 10.0.0.0/25 + 10.0.0.128/25. An entry that does not parse cannot be shown inside, so it is outside.
 */
export function cidrsOutside(cidrs: readonly string[], approved: readonly string[]): string[] {
  const allowed = approved.flatMap((c) => rangeOfText(c) ?? []);
  return cidrs.filter((cidr) => {
    const range = rangeOfText(cidr);
    return range === undefined || !coversRange(allowed, range);
  });
}

/** The single-address CIDR of an IPv4 or IPv6 address (/32 or /128); undefined when it is neither. */
export function hostCidrOf(address: string): string | undefined {
  const text = address.trim();
  if (parseIpv4Address(text) !== undefined) return `${text}/32`;
  return parseIpv6Address(text) !== undefined ? `${text}/128` : undefined;
}

/** True when the address lies inside one of the CIDRs (either family). */
export function addressInCidrs(address: string, cidrs: readonly string[]): boolean {
  const host = hostCidrOf(address);
  return host !== undefined && cidrs.some((cidr) => cidrWithin(host, cidr));
}

/**
 * Ranges that are never the internet: RFC 1918, carrier-grade NAT (RFC 6598), link-local, and IPv6
 * unique-local and link-local. An API server answering on one of them was reached from inside a
 * network, not from the internet.
 */
const NON_INTERNET_RANGES = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
];

export function isNonInternetAddress(address: string): boolean {
  return addressInCidrs(address, NON_INTERNET_RANGES);
}
