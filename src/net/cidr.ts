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
  readonly prefixLength: number;
}

export type Cidr = Ipv4Cidr | Ipv6Cidr;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const IPV4_SPACE = 2 ** 32;

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

function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

export function parseCidr(text: string): ParseResult<Cidr> {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'missing "/prefix-length"' };
  const address = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: 'prefix length is not a number' };
  const prefixLength = Number(prefixText);
  if (address.includes(':')) {
    if (prefixLength > 128) return { ok: false, reason: 'IPv6 prefix length must be 0 to 128' };
    if (!/^[0-9a-fA-F:.]+$/.test(address)) return { ok: false, reason: 'not an IPv6 address' };
    return { ok: true, value: { family: 6, prefixLength } };
  }
  const ip = parseIpv4Address(address);
  if (ip === undefined) return { ok: false, reason: 'not an IPv4 address' };
  if (prefixLength > 32) return { ok: false, reason: 'IPv4 prefix length must be 0 to 32' };
  const size = blockSize(prefixLength);
  const network = Math.floor(ip / size) * size;
  return { ok: true, value: { family: 4, network, prefixLength, hostBitsSet: network !== ip } };
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4Address(cidr.network)}/${cidr.prefixLength}`;
}

/**
 * True when the CIDRs together admit every IPv4 address or every IPv6 address:
 * a /0 of either family, or IPv4 blocks whose union is the whole space
 * (0.0.0.0/1 + 128.0.0.0/1 is as open as 0.0.0.0/0). Unparseable entries are ignored here.
 */
export function coversWholeInternet(cidrs: readonly string[]): boolean {
  const parsed = cidrs.map(parseCidr).flatMap((r) => (r.ok ? [r.value] : []));
  if (parsed.some((c) => c.prefixLength === 0)) return true;
  const ranges = parsed
    .filter((c): c is Ipv4Cidr => c.family === 4)
    .map((c) => ({ start: c.network, end: c.network + blockSize(c.prefixLength) }))
    .sort((a, b) => a.start - b.start);
  let coveredTo = 0;
  for (const range of ranges) {
    if (range.start > coveredTo) return false;
    coveredTo = Math.max(coveredTo, range.end);
  }
  return coveredTo >= IPV4_SPACE;
}

function ipv4Range(cidr: string): { start: number; end: number } | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed.ok || parsed.value.family !== 4) return undefined;
  const start = parsed.value.network;
  return { start, end: start + blockSize(parsed.value.prefixLength) };
}

/**
 * True when the IPv4 address lies inside the IPv4 CIDR (host bits in the CIDR are ignored, as AWS
 * does). False for anything unparseable and for IPv6 on either side.
 */
export function ipv4CidrContains(cidr: string, address: string): boolean {
  const range = ipv4Range(cidr);
  const ip = parseIpv4Address(address.trim());
  return range !== undefined && ip !== undefined && ip >= range.start && ip < range.end;
}

/** True when every address of the IPv4 CIDR `inner` lies inside the IPv4 CIDR `outer`. */
export function ipv4CidrWithin(inner: string, outer: string): boolean {
  const a = ipv4Range(inner);
  const b = ipv4Range(outer);
  return a !== undefined && b !== undefined && a.start >= b.start && a.end <= b.end;
}
