import { cidrWithin } from '../../net/cidr.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'allowlist-scope';
export const title = 'Allowlist entries can match public sources';

/** Ranges no packet reaching a public endpoint ever comes from. */
const NON_PUBLIC_RANGES: readonly { readonly cidr: string; readonly kind: string }[] = [
  { cidr: '10.0.0.0/8', kind: 'private' },
  { cidr: '172.16.0.0/12', kind: 'private' },
  { cidr: '192.168.0.0/16', kind: 'private' },
  { cidr: '100.64.0.0/10', kind: 'carrier-grade NAT' },
  { cidr: '127.0.0.0/8', kind: 'loopback' },
  { cidr: '169.254.0.0/16', kind: 'link-local' },
  { cidr: 'fc00::/7', kind: 'unique local' },
  { cidr: 'fe80::/10', kind: 'link-local' },
  { cidr: '::1/128', kind: 'loopback' },
];

/** A private CIDR on the public allowlist admits nobody; people add them expecting VPC traffic to match. */
export function run(input: PreflightInput): PreflightResult | undefined {
  if (!input.after.endpointPublicAccess) return undefined;
  const misplaced = input.after.publicAccessCidrs.flatMap((cidr) => {
    const range = NON_PUBLIC_RANGES.find((r) => cidrWithin(cidr, r.cidr));
    return range ? [`${cidr} (inside ${range.kind} ${range.cidr})`] : [];
  });
  if (misplaced.length === 0) return undefined;
  const [subject, verb] =
    misplaced.length === 1
      ? [misplaced.join(''), 'admits']
      : [`${misplaced.slice(0, -1).join(', ')} and ${misplaced.at(-1) ?? ''}`, 'admit'];
  return {
    check: id,
    status: 'warn',
    message:
      `${subject} ${verb} nobody: the public endpoint only ever sees public source addresses, and traffic from inside the VPC uses the private endpoint. ` +
      'Allow the public (NAT) addresses those networks reach the internet from instead, or drop the entry.',
  };
}

export const allowlistScopeCheck: PreflightCheck = { id, title, run };
