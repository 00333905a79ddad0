import { formatErrorInfo } from '../../model/errors.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'vpc-dns';
export const title = 'VPC DNS resolves the private endpoint';

/**
 * The private endpoint is a Route 53 private hosted zone: it resolves inside the VPC only when the
 * VPC has both enableDnsSupport and enableDnsHostnames on. With the public endpoint off that is the
 * only way in, so a gap blocks; with the public endpoint on, nodes fall back to it, so a gap warns.
 */
export function run(input: PreflightInput): PreflightResult | undefined {
  const { after, vpcDns, region } = input;
  if (!after.endpointPrivateAccess || vpcDns === undefined) return undefined;
  const publicOff = !after.endpointPublicAccess;
  const fallback =
    'so nodes keep using the public endpoint and an allowlist must admit their NAT gateway addresses';

  if (!vpcDns.ok) {
    const vpcId = input.cluster.resourcesVpcConfig?.vpcId ?? 'of this cluster';
    const failed = `Could not read the DNS attributes of VPC ${vpcId} (${formatErrorInfo(vpcDns.error)})`;
    return publicOff
      ? {
          check: id,
          status: 'block',
          message:
            `${failed}; with public access off the private endpoint must resolve inside the VPC, and nothing is changed on a guess. ` +
            'Fix that (ec2:DescribeVpcAttribute is needed) and plan again.',
        }
      : {
          check: id,
          status: 'warn',
          message: `${failed}. If DNS support or DNS hostnames is off there, the private endpoint will not resolve inside the VPC, ${fallback}.`,
        };
  }

  const { vpcId, enableDnsSupport, enableDnsHostnames } = vpcDns.value;
  // DNS hostnames can only be turned on once DNS support is on, so the fixes go in that order.
  const missing = [
    ...(enableDnsSupport ? [] : ['enableDnsSupport']),
    ...(enableDnsHostnames ? [] : ['enableDnsHostnames']),
  ];
  if (missing.length === 0) {
    return {
      check: id,
      status: 'ok',
      message: `VPC ${vpcId} has DNS support and DNS hostnames on, so the private endpoint resolves inside it.`,
    };
  }
  const fix = missing
    .map(
      (attribute) =>
        `aws ec2 modify-vpc-attribute --region ${region} --vpc-id ${vpcId} ` +
        `--${attribute === 'enableDnsSupport' ? 'enable-dns-support' : 'enable-dns-hostnames'} '{"Value":true}'`,
    )
    .join(' and then ');
  const gap = `VPC ${vpcId} has ${missing.join(' and ')} off`;
  return publicOff
    ? {
        check: id,
        status: 'block',
        message:
          `${gap}: with public access off, nothing could resolve the private endpoint and the cluster API would be unreachable. ` +
          `Fix the VPC first (${fix}), then plan again.`,
      }
    : {
        check: id,
        status: 'warn',
        message: `${gap}: the private endpoint will not resolve inside the VPC, ${fallback}. To fix: ${fix}.`,
      };
}

export const vpcDnsCheck: PreflightCheck = { id, title, run };
