import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'private-only';
export const title = 'Who can still reach the API once public access is off';

/** Turning the public endpoint off is the change most likely to cut someone off, so it always warns. */
export function run(input: PreflightInput): PreflightResult | undefined {
  if (!input.before.endpointPublicAccess || input.after.endpointPublicAccess) return undefined;
  const name = input.cluster.name ?? '(unnamed)';
  const vpcId = input.cluster.resourcesVpcConfig?.vpcId;
  const vpc = vpcId === undefined ? 'its VPC' : `VPC ${vpcId}`;
  return {
    check: id,
    status: 'warn',
    message:
      `Public access goes off: the API of cluster ${name} will then answer only from inside ${vpc} and networks connected to it ` +
      '(bastion, VPN, Direct Connect, peered VPCs, Transit Gateway), so kubectl, CI runners and anything else outside will stop reaching the cluster. ' +
      'Make sure whoever needs the API has such a path before applying.',
  };
}

export const privateOnlyCheck: PreflightCheck = { id, title, run };
