import type { Cluster } from '@aws-sdk/client-eks';

import type { PreflightInput } from '../../src/remediation/preflight/types.js';
import { type EndpointConfig } from '../../src/model/endpoint.js';
import { type Fact, type VpcDns } from '../../src/model/facts.js';

export const REGION = 'eu-west-1';
export const CLUSTER = 'payments';
export const VPC = 'vpc-0a1b2c3d';
/** The account cluster() is in, reached with the caller's own credentials. */
export const ACCOUNT = { accountId: '123456789012', roleArn: null } as const;

/** The AWS default the finding is about: public, open to the internet, private off. */
export const publicOpen: EndpointConfig = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};

/** Private mode: public off, private on (EKS keeps reporting the old list). */
export const privateOnly: EndpointConfig = {
  endpointPublicAccess: false,
  endpointPrivateAccess: true,
  publicAccessCidrs: ['0.0.0.0/0'],
};

/** Allowlist mode: public restricted to the given CIDRs, private on unless told otherwise. */
export function allowlisted(cidrs: readonly string[], privateAccess = true): EndpointConfig {
  return {
    endpointPublicAccess: true,
    endpointPrivateAccess: privateAccess,
    publicAccessCidrs: cidrs,
  };
}

export function ok<T>(value: T): Fact<T> {
  return { ok: true, value };
}

export function failed<T>(code: string, message: string): Fact<T> {
  return { ok: false, error: { code, message } };
}

export function vpcDns(enableDnsSupport: boolean, enableDnsHostnames: boolean): Fact<VpcDns> {
  return ok({ vpcId: VPC, enableDnsSupport, enableDnsHostnames });
}

export function cluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    name: CLUSTER,
    arn: `arn:aws:eks:${REGION}:123456789012:cluster/${CLUSTER}`,
    status: 'ACTIVE',
    resourcesVpcConfig: { vpcId: VPC, ...publicOpen, publicAccessCidrs: ['0.0.0.0/0'] },
    tags: {},
    ...overrides,
  };
}

/**
 * A change every check is happy with unless told otherwise: an ACTIVE, untagged cluster with no
 * update running, going from public-open to private-only in a VPC whose DNS is fine.
 */
export function preflightInput(overrides: Partial<PreflightInput> = {}): PreflightInput {
  return {
    region: REGION,
    cluster: cluster(),
    before: publicOpen,
    after: privateOnly,
    updatesInProgress: ok([]),
    vpcDns: vpcDns(true, true),
    operatorIp: undefined,
    ...overrides,
  };
}
