import { cidrFamily } from '../../net/cidr.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'allowlist-family';
export const title = 'The endpoint can take the allowlist';

const list = (items: readonly string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

/**
 * A dual-stack endpoint answers on IPv4 and IPv6 alike: an allowlist of IPv6 ranges only shuts out
 * every IPv4 client (most CI runners, VPNs and NAT gateways), which is rarely what was meant.
 */
function ipv6Only(input: PreflightInput, name: string): PreflightResult | undefined {
  const cidrs = input.after.publicAccessCidrs;
  if (cidrs.length === 0 || !cidrs.every((c) => cidrFamily(c) === 6)) return undefined;
  return {
    check: id,
    status: 'warn',
    message:
      `Every allowlist entry for cluster ${name} is IPv6, so no IPv4 client can reach its dual-stack endpoint ` +
      '(CI runners, VPNs and NAT gateways usually reach it over IPv4); add the IPv4 ranges that need the API.',
  };
}

/**
 * IPv6 ranges go only to dual-stack endpoints, so the planner leaves them out for the others. That
 * loses nothing (IPv6 clients cannot reach an IPv4-only endpoint), unless nothing is left: a
 * public endpoint with an empty allowlist is not what anyone asked for, so that blocks.
 */
export function run(input: PreflightInput): PreflightResult | undefined {
  if (!input.after.endpointPublicAccess) return undefined;
  const name = input.cluster.name ?? '(unnamed)';
  const leftOut = input.leftOutCidrs ?? [];
  if (leftOut.length === 0) return ipv6Only(input, name);
  const cidrs = list(leftOut.map((l) => l.cidr));
  const reason = leftOut[0]?.reason ?? '';
  if (input.after.publicAccessCidrs.length === 0) {
    return {
      check: id,
      status: 'block',
      message:
        `No allowlist entry is left for cluster ${name}: every entry (${cidrs}) is IPv6 and left out, as ${reason}. ` +
        'Add the IPv4 ranges that need the API (--allow-cidr), or use --mode private.',
    };
  }
  return {
    check: id,
    status: 'ok',
    message:
      `${cidrs} left out for cluster ${name}, whose endpoint takes IPv4 ranges only: ` +
      'IPv6 clients cannot reach it anyway, so the IPv4 entries are all it needs.',
  };
}

export const allowlistFamilyCheck: PreflightCheck = { id, title, run };
