import { isIPv6 } from 'node:net';

/**
 * The emulator's own checks of what callers send, written apart from eksposure's (src/net,
 * src/aws) on purpose: a test double that shared the product's parser would share its bugs and
 * agree with them.
 */

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** EKS CreateCluster's name constraint: 1 to 100 characters, a letter or digit first, then letters, digits, - and _. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export interface PublicAccessCidr {
  readonly family: 'ipv4' | 'ipv6';
  /** Bits below the prefix are set, e.g. 10.0.0.1/24: EKS calls such a CIDR invalid. */
  readonly hostBitsSet: boolean;
}

const bitsOfIpv4 = (address: string): string | undefined => {
  const octets = address.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && +o <= 255))
    return undefined;
  return octets.map((o) => (+o).toString(2).padStart(8, '0')).join('');
};

/** Node's own IPv6 parser says whether it is an address; the bits are read here, group by group. */
const bitsOfIpv6 = (address: string): string | undefined => {
  if (address.includes('%') || !isIPv6(address)) return undefined;
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted !== undefined) {
    const v4 = bitsOfIpv4(dotted);
    if (v4 === undefined) return undefined;
    const hex = [v4.slice(0, 16), v4.slice(16)].map((b) => parseInt(b, 2).toString(16));
    text = `${text.slice(0, -dotted.length)}${hex.join(':')}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const written = [...groups(head), ...(tail === undefined ? [] : groups(tail))];
  const zeros = Array<string>(8 - written.length).fill('0');
  const all = tail === undefined ? written : [...groups(head), ...zeros, ...groups(tail)];
  return all.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
};

/** A publicAccessCidrs entry as EKS would read it, or undefined when it is not a CIDR at all. */
export function readPublicAccessCidr(text: string): PublicAccessCidr | undefined {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const [, address = '', prefixText = ''] = match;
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  const bits = family === 'ipv6' ? bitsOfIpv6(address) : bitsOfIpv4(address);
  const prefix = Number(prefixText);
  if (bits === undefined || prefix > bits.length) return undefined;
  return { family, hostBitsSet: bits.slice(prefix).includes('1') };
}
