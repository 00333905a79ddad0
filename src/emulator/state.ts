import { createHash } from 'node:crypto';
import type { UpdateRecord } from './eks/update-record.js';
import { newSecurityHub, type SecurityHubState } from './securityhub/findings.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_ROOT_ID,
  type Fixture,
  type FixtureCluster,
  FixtureError,
  type FixtureInstance,
  type FixturePrefixList,
  type FixtureSecurityGroup,
  type FixtureRegion,
  type FixtureRole,
  type OptInStatus,
  type OrganizationAccountState,
} from './fixture.js';

export { DEFAULT_ACCOUNT_ID } from './fixture.js';

/** A cluster as EKS stores it; serialised as DescribeCluster's `cluster`. */
export interface ClusterRecord {
  name: string;
  arn: string;
  createdAt: Date;
  version: string;
  endpoint: string;
  roleArn: string;
  resourcesVpcConfig: {
    subnetIds: string[];
    securityGroupIds: string[];
    clusterSecurityGroupId: string;
    vpcId: string;
    endpointPublicAccess: boolean;
    endpointPrivateAccess: boolean;
    publicAccessCidrs: string[];
  };
  kubernetesNetworkConfig: {
    /** IPv4 clusters only. */
    serviceIpv4Cidr?: string;
    /** IPv6 clusters only. */
    serviceIpv6Cidr?: string;
    ipFamily: 'ipv4' | 'ipv6';
    elasticLoadBalancing: { enabled: boolean };
  };
  logging: { clusterLogging: { types: string[]; enabled: boolean }[] };
  identity: { oidc: { issuer: string } };
  status: string;
  certificateAuthority: { data: string };
  platformVersion: string;
  tags: Record<string, string>;
  health: { issues: never[] };
  accessConfig: { authenticationMode: string };
  upgradePolicy: { supportType: string };
}

export interface VpcRecord {
  vpcId: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
}

export interface RegionState {
  readonly name: string;
  readonly optInStatus: OptInStatus;
  /** Insertion order is ListClusters order. */
  readonly clusters: Map<string, ClusterRecord>;
  readonly vpcs: Map<string, VpcRecord>;
  /** EC2 instances in fixture order (DescribeInstances order). */
  readonly instances: readonly FixtureInstance[];
  readonly securityGroups: ReadonlyMap<string, FixtureSecurityGroup>;
  readonly prefixLists: ReadonlyMap<string, FixturePrefixList>;
  /** Cluster updates by cluster name, oldest first; kept apart so DescribeCluster does not show them. */
  readonly updates: Map<string, UpdateRecord[]>;
  /** Security Hub in this region: enabled unless the fixture says otherwise, and its findings. */
  readonly securityHub: SecurityHubState;
}

export interface RoleRecord {
  readonly name: string;
  readonly arn: string;
  /** AROA..., the first part of AssumedRoleId. */
  readonly roleId: string;
  readonly externalId?: string;
  readonly maxSessionDuration: number;
  /** Undefined: any account may assume it. */
  readonly trustedAccounts?: readonly string[];
}

export interface AccountState {
  readonly accountId: string;
  readonly name: string;
  readonly email: string;
  readonly state: OrganizationAccountState;
  readonly inOrganization: boolean;
  /** Root or OU id. */
  readonly parentId: string;
  readonly joinedTimestamp: Date;
  readonly regions: Map<string, RegionState>;
  readonly roles: Map<string, RoleRecord>;
}

export interface OrganizationState {
  readonly id: string;
  readonly managementAccountId: string;
  readonly delegatedAdministrators: ReadonlySet<string>;
  readonly rootId: string;
  /** Insertion order is listing order. */
  readonly organizationalUnits: Map<string, { id: string; name: string; parentId: string }>;
  readonly pageSize: number;
  readonly emptyFirstPages: number;
}

/** Who a call comes from: the principal its access key belongs to. */
export interface Caller {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
  /** Set when the key came from AssumeRole. */
  readonly session?: {
    readonly role: RoleRecord;
    readonly sessionName: string;
    readonly sessionToken: string;
    readonly expiresAt: Date;
  };
}

/** The whole emulator; its own accountId and regions are the default account's. */
export interface EmulatorState {
  readonly accountId: string;
  readonly regions: Map<string, RegionState>;
  readonly accounts: Map<string, AccountState>;
  readonly organization?: OrganizationState;
  /** Access key id to its caller: the fixture's static keys and every key AssumeRole handed out. */
  readonly accessKeys: Map<string, Caller>;
}
const FIXED_CREATED_AT = '2025-06-02T09:30:00.000Z';

/** Deterministic hex from a seed, so fixtures give stable ids across runs. */
function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export function isRegionEnabled(region: RegionState | undefined): region is RegionState {
  return region !== undefined && region.optInStatus !== 'not-opted-in';
}

function defaultVpcId(region: string): string {
  return `vpc-${hex(`${region}/default-vpc`, 17)}`;
}

/**
 * The endpoint host tells a dual-stack endpoint apart. AWS's word (EKS User Guide, "Cluster API
 * server endpoint"): IPv6 clusters made since October 2024 get a dual-stack endpoint,
 * eks-cluster.REGION.api.aws (api.amazonwebservices.com.cn in China); the others keep
 * eks-cluster.REGION.eks.amazonaws.com. The id and "gr7." part of the host is our reading, by
 * analogy with the eks.amazonaws.com hosts EKS hands out.
 */
function endpointOf(id: string, region: string, dualStack: boolean): string {
  if (!dualStack) return `https://${id}.gr7.${region}.eks.amazonaws.com`;
  const domain = region.startsWith('cn-') ? 'api.amazonwebservices.com.cn' : 'api.aws';
  return `https://${id}.gr7.${region}.${domain}`;
}

const DUAL_STACK_DOMAINS = ['.api.aws', '.api.amazonwebservices.com.cn'];

/** Whether EKS takes IPv6 ranges in this cluster's publicAccessCidrs: only on a dual-stack endpoint. */
export function hasDualStackEndpoint(cluster: ClusterRecord): boolean {
  const host = new URL(cluster.endpoint).hostname;
  return (
    cluster.kubernetesNetworkConfig.ipFamily === 'ipv6' &&
    DUAL_STACK_DOMAINS.some((domain) => host.endsWith(domain))
  );
}

/**
 * AWS's defaults for what the fixture leaves out: a new cluster is IPv4, public, open to
 * 0.0.0.0/0, private off; a dual-stack one is open to 0.0.0.0/0 and ::/0 (AWS's word: API
 * reference, VpcConfigRequest.publicAccessCidrs).
 */
function buildCluster(accountId: string, region: string, spec: FixtureCluster): ClusterRecord {
  const id = hex(`${region}/${spec.name}`, 32).toUpperCase();
  const ipFamily = spec.ipFamily ?? 'ipv4';
  const dualStack = ipFamily === 'ipv6' && (spec.dualStackEndpoint ?? true);
  const defaultCidrs = dualStack ? ['0.0.0.0/0', '::/0'] : ['0.0.0.0/0'];
  const vpcId = spec.vpcId ?? defaultVpcId(region);
  const sg = (kind: string) => `sg-${hex(`${region}/${spec.name}/${kind}`, 17)}`;
  return {
    name: spec.name,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${spec.name}`,
    createdAt: new Date(spec.createdAt ?? FIXED_CREATED_AT),
    version: spec.version ?? '1.32',
    endpoint: spec.endpoint ?? endpointOf(id, region, dualStack),
    roleArn: `arn:aws:iam::${accountId}:role/${spec.name}-cluster-role`,
    resourcesVpcConfig: {
      subnetIds: [1, 2, 3].map((n) => `subnet-${hex(`${vpcId}/${n}`, 17)}`),
      securityGroupIds: [sg('additional')],
      clusterSecurityGroupId: sg('cluster'),
      vpcId,
      endpointPublicAccess: spec.endpointPublicAccess ?? true,
      endpointPrivateAccess: spec.endpointPrivateAccess ?? false,
      publicAccessCidrs: [...(spec.publicAccessCidrs ?? defaultCidrs)],
    },
    kubernetesNetworkConfig: {
      ...(ipFamily === 'ipv6'
        ? {
            serviceIpv6Cidr: `fd${hex(`${region}/${spec.name}/svc`, 2)}:${hex(`${region}/${spec.name}/svc6`, 4)}::/108`,
          }
        : { serviceIpv4Cidr: '10.100.0.0/16' }),
      ipFamily,
      elasticLoadBalancing: { enabled: false },
    },
    logging: {
      clusterLogging: [
        {
          types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
          enabled: false,
        },
      ],
    },
    identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` } },
    status: spec.status ?? 'ACTIVE',
    certificateAuthority: {
      data:
        spec.certificateAuthority ??
        Buffer.from(`-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----\n`).toString(
          'base64',
        ),
    },
    platformVersion: 'eks.9',
    tags: { ...(spec.tags ?? {}) },
    health: { issues: [] },
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    upgradePolicy: { supportType: 'STANDARD' },
  };
}

function buildRegions(accountId: string, fixtureRegions: Readonly<Record<string, FixtureRegion>>) {
  const regions = new Map<string, RegionState>();
  for (const [name, spec] of Object.entries(fixtureRegions)) {
    const vpcs = new Map<string, VpcRecord>();
    const addVpc = (vpcId: string, dnsSupport = true, dnsHostnames = true) => {
      if (!vpcs.has(vpcId))
        vpcs.set(vpcId, { vpcId, enableDnsSupport: dnsSupport, enableDnsHostnames: dnsHostnames });
    };
    for (const [vpcId, vpc] of Object.entries(spec.vpcs ?? {}))
      addVpc(vpcId, vpc.enableDnsSupport, vpc.enableDnsHostnames);
    const specs: FixtureCluster[] = [
      ...(spec.clusters ?? []),
      ...(spec.generate ?? []).flatMap((g) =>
        Array.from({ length: g.count }, (_, i) => ({
          ...g.cluster,
          name: `${g.namePrefix}${i + 1}`,
        })),
      ),
    ];
    const clusters = new Map<string, ClusterRecord>();
    for (const clusterSpec of specs) {
      if (clusters.has(clusterSpec.name)) {
        throw new FixtureError(`regions.${name}: cluster ${clusterSpec.name} is defined twice`);
      }
      const cluster = buildCluster(accountId, name, clusterSpec);
      addVpc(cluster.resourcesVpcConfig.vpcId);
      clusters.set(cluster.name, cluster);
    }
    regions.set(name, {
      name,
      optInStatus: spec.optInStatus ?? 'opt-in-not-required',
      clusters,
      vpcs,
      instances: [...(spec.instances ?? [])],
      securityGroups: new Map(Object.entries(spec.securityGroups ?? {})),
      prefixLists: new Map(Object.entries(spec.prefixLists ?? {})),
      updates: new Map(),
      securityHub: newSecurityHub(spec.securityHub?.enabled ?? true),
    });
  }
  return regions;
}

function buildRoles(
  accountId: string,
  specs: Readonly<Record<string, FixtureRole>>,
): Map<string, RoleRecord> {
  return new Map(
    Object.entries(specs).map(([name, spec]) => [
      name,
      {
        name,
        arn: `arn:aws:iam::${accountId}:role/${name}`,
        roleId: `AROA${hex(`${accountId}/role/${name}`, 17).toUpperCase()}`,
        externalId: spec.externalId,
        maxSessionDuration: spec.maxSessionDuration ?? 3600,
        trustedAccounts: spec.trustedAccounts,
      },
    ]),
  );
}

/** The caller a static access key (or no known key) stands for: an IAM user in its account. */
export function staticCaller(accountId: string): Caller {
  return {
    accountId,
    arn: `arn:aws:iam::${accountId}:user/eksposure`,
    userId: `AIDA${hex(`${accountId}/user/eksposure`, 17).toUpperCase()}`,
  };
}

/** As moto does: a key the emulator knows acts in its account, any other key in the default one. */
export function callerOf(state: EmulatorState, accessKeyId: string | undefined): Caller {
  return (accessKeyId && state.accessKeys.get(accessKeyId)) || staticCaller(state.accountId);
}

export function buildState(fixture: Fixture): EmulatorState {
  const accountSpecs = fixture.accounts ?? {
    [fixture.accountId ?? DEFAULT_ACCOUNT_ID]: { regions: fixture.regions ?? {} },
  };
  const defaultAccountId = fixture.accountId ?? Object.keys(accountSpecs)[0] ?? DEFAULT_ACCOUNT_ID;
  const org = fixture.organization;
  const rootId = org?.rootId ?? DEFAULT_ROOT_ID;
  const accounts = new Map<string, AccountState>();
  for (const [accountId, spec] of Object.entries(accountSpecs)) {
    accounts.set(accountId, {
      accountId,
      name: spec.name ?? `account-${accountId}`,
      email: spec.email ?? `aws+${accountId}@example.com`,
      state: spec.state ?? 'ACTIVE',
      inOrganization: org !== undefined && spec.inOrganization !== false,
      parentId: spec.parent ?? rootId,
      joinedTimestamp: new Date(spec.joinedTimestamp ?? FIXED_CREATED_AT),
      regions: buildRegions(accountId, spec.regions ?? {}),
      roles: buildRoles(accountId, { ...(fixture.roles ?? {}), ...(spec.roles ?? {}) }),
    });
  }
  const accessKeys = new Map<string, Caller>(
    Object.entries(fixture.accessKeys ?? {}).map(([key, accountId]) => [
      key,
      staticCaller(accountId),
    ]),
  );
  const organization: OrganizationState | undefined = org && {
    id: org.id ?? DEFAULT_ORGANIZATION_ID,
    managementAccountId: org.managementAccountId,
    delegatedAdministrators: new Set(org.delegatedAdministrators ?? []),
    rootId,
    organizationalUnits: new Map(
      Object.entries(org.organizationalUnits ?? {}).map(([id, ou]) => [
        id,
        { id, name: ou.name, parentId: ou.parent ?? rootId },
      ]),
    ),
    pageSize: org.pageSize ?? 20,
    emptyFirstPages: org.emptyFirstPages ?? 0,
  };
  const regions = accounts.get(defaultAccountId)?.regions ?? new Map<string, RegionState>();
  return {
    accountId: defaultAccountId,
    regions,
    accounts,
    accessKeys,
    ...(organization ? { organization } : {}),
  };
}
