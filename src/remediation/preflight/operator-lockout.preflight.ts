import { ipv4CidrContains, parseIpv4Address } from '../../net/cidr.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'operator-lockout';
export const title = 'Your address stays on the allowlist';

/** With --my-ip, tell the operator whether the allowlist they are about to apply still admits them. */
export function run(input: PreflightInput): PreflightResult | undefined {
  const ip = input.operatorIp?.trim();
  if (ip === undefined || !input.after.endpointPublicAccess) return undefined;
  if (parseIpv4Address(ip) === undefined) {
    return {
      check: id,
      status: 'warn',
      message: `--my-ip ${ip} is not an IPv4 address, so whether kubectl from here keeps working was not checked.`,
    };
  }
  const admitting = input.after.publicAccessCidrs.filter((cidr) => ipv4CidrContains(cidr, ip));
  if (admitting.length > 0) {
    return {
      check: id,
      status: 'ok',
      message: `Your address ${ip} is inside ${admitting.join(', ')}, so kubectl from here keeps working.`,
    };
  }
  return {
    check: id,
    status: 'warn',
    message:
      `Your address ${ip} is in none of the allowed CIDRs: once applied, kubectl from here stops working; ` +
      `add ${ip}/32 or run from inside the VPC.`,
  };
}

export const operatorLockoutCheck: PreflightCheck = { id, title, run };
