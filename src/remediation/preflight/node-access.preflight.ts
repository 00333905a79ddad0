import { coversWholeInternet } from '../../net/cidr.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'node-access';
export const title = 'Nodes keep reaching the API';

/**
 * With private access off, nodes and Fargate pods reach the API through the public endpoint, from
 * their NAT gateway addresses; an allowlist that leaves those out cuts them off.
 */
export function run(input: PreflightInput): PreflightResult | undefined {
  const { after } = input;
  if (!after.endpointPublicAccess || coversWholeInternet(after.publicAccessCidrs)) return undefined;
  if (after.endpointPrivateAccess) {
    return {
      check: id,
      status: 'ok',
      message:
        'Private access stays on, so nodes and Fargate pods keep reaching the API inside the VPC.',
    };
  }
  const vpcId = input.cluster.resourcesVpcConfig?.vpcId;
  const list = vpcId
    ? ` (aws ec2 describe-nat-gateways --region ${input.region} --filter Name=vpc-id,Values=${vpcId} ` +
      `--query 'NatGateways[].NatGatewayAddresses[].PublicIp')`
    : '';
  return {
    check: id,
    status: 'warn',
    message:
      'Private access is off, so nodes and Fargate pods reach the API through the public endpoint, and an allowlist ' +
      'without their NAT gateway addresses cuts them off (AWS containers-roadmap #108). ' +
      `Turn private access on, or add those addresses${list} as /32s.`,
  };
}

export const nodeAccessCheck: PreflightCheck = { id, title, run };
