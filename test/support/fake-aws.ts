import type { Cluster, Update } from '@aws-sdk/client-eks';
import { pino } from 'pino';
import type { AccountAws, CallerAws } from '../../src/app/ports.js';
import type { AccountTarget } from '../../src/model/accounts.js';
import type { EndpointChange } from '../../src/model/endpoint.js';
import type { AsffFinding } from '../../src/model/security-hub.js';

/** A cluster as the fake account keeps it: its endpoint fields, and the rest AWS would answer. */
export interface FakeCluster {
  readonly region: string;
  readonly name: string;
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
  readonly tags?: Record<string, string>;
}

export const silentLogger = pino({ level: 'silent' });

export const openCluster = (region: string, name: string): FakeCluster => ({
  region,
  name,
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
});

export const privateCluster = (region: string, name: string): FakeCluster => ({
  region,
  name,
  endpointPublicAccess: false,
  endpointPrivateAccess: true,
  publicAccessCidrs: ['0.0.0.0/0'],
});

/**
 * One account's AWS, as the use cases see it (AccountAws), kept in memory: regions, clusters and
 * their updates. A submitted update changes the cluster and ends Successful at once. Every call is
 * counted by name, and the account remembers whether it was closed.
 */
export function fakeAccount(accountId: string, clusters: FakeCluster[]) {
  const calls = new Map<string, number>();
  const updates = new Map<string, Update[]>();
  const securityHub = new Map<string, Map<string, AsffFinding>>();
  let destroyed = 0;
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const arnOf = (c: FakeCluster) => `arn:aws:eks:${c.region}:${accountId}:cluster/${c.name}`;
  const find = (region: string, name: string) => {
    const found = clusters.find((c) => c.region === region && c.name === name);
    if (!found)
      throw Object.assign(new Error(`No cluster found for name: ${name}.`), {
        name: 'ResourceNotFoundException',
      });
    return found;
  };
  const describe = (c: FakeCluster): Cluster => ({
    name: c.name,
    arn: arnOf(c),
    status: 'ACTIVE',
    endpoint: `https://${c.name}.${c.region}.eks.example`,
    tags: c.tags ?? {},
    resourcesVpcConfig: {
      vpcId: 'vpc-1',
      endpointPublicAccess: c.endpointPublicAccess,
      endpointPrivateAccess: c.endpointPrivateAccess,
      publicAccessCidrs: [...c.publicAccessCidrs],
    },
  });
  const regions = [...new Set(clusters.map((c) => c.region))].sort();
  const aws: AccountAws = {
    describeNodes: () => {
      count('DescribeInstances');
      return Promise.resolve({
        ok: true,
        instances: [],
        securityGroups: new Map(),
        prefixLists: new Map(),
        calls: 1,
      });
    },
    listRegions: () => {
      count('DescribeRegions');
      return Promise.resolve({
        ok: true,
        regions: regions.map((name) => ({ name, optInStatus: 'opt-in-not-required' })),
      });
    },
    scanRegion: (region, _options, progress) => {
      count('ListClusters');
      const found = clusters.filter((c) => c.region === region);
      progress.clusterListed(region, found.length);
      found.forEach(() => progress.clusterDescribed(region));
      return Promise.resolve({
        region,
        error: undefined,
        clusters: found.map((c) => ({ name: c.name, ok: true as const, cluster: describe(c) })),
      });
    },
    callerAccount: () => {
      count('GetCallerIdentity');
      return Promise.resolve({ ok: true, accountId });
    },
    describeCluster: (region, name) => {
      count('DescribeCluster');
      return Promise.resolve(describe(find(region, name)));
    },
    describeUpdate: (region, name, id) => {
      count('DescribeUpdate');
      const update = updates.get(`${region}/${name}`)?.find((u) => u.id === id);
      return update ? Promise.resolve(update) : Promise.reject(new Error(`no update ${id}`));
    },
    listUpdateIds: (region, name) => {
      count('ListUpdates');
      return Promise.resolve((updates.get(`${region}/${name}`) ?? []).map((u) => u.id ?? ''));
    },
    listUpdatesInProgress: () => {
      count('ListUpdates');
      return Promise.resolve([]);
    },
    describeVpcDns: (_region, vpcId) => {
      count('DescribeVpcAttribute');
      return Promise.resolve({ vpcId, enableDnsSupport: true, enableDnsHostnames: true });
    },
    submitEndpointUpdate: (region, name, change: EndpointChange) => {
      count('UpdateClusterConfig');
      const cluster = find(region, name);
      cluster.endpointPublicAccess = change.endpointPublicAccess;
      cluster.endpointPrivateAccess = change.endpointPrivateAccess;
      if (change.publicAccessCidrs) cluster.publicAccessCidrs = [...change.publicAccessCidrs];
      const key = `${region}/${name}`;
      const list = updates.get(key) ?? [];
      const update: Update = {
        id: `${accountId}-u${list.length + 1}`,
        type: 'EndpointAccessUpdate',
        status: 'Successful',
        createdAt: new Date(),
      };
      updates.set(key, [...list, update]);
      return Promise.resolve({ ...update, status: 'InProgress' });
    },
    getSecurityHubFindings: (query) => {
      count('GetFindings');
      const held = [...(securityHub.get(query.region)?.values() ?? [])];
      return Promise.resolve({
        ok: true,
        findings: held.filter(
          (f) =>
            f.RecordState === 'ACTIVE' &&
            f.AwsAccountId === query.accountId &&
            f.ProductArn === query.productArn &&
            query.generatorIds.includes(f.GeneratorId),
        ),
      });
    },
    importSecurityHubFindings: (region, findings) => {
      count('BatchImportFindings');
      let held = securityHub.get(region);
      if (!held) securityHub.set(region, (held = new Map<string, AsffFinding>()));
      for (const f of findings) held.set(f.Id, f);
      return Promise.resolve({ ok: true, failed: [] });
    },
    destroy: () => {
      destroyed += 1;
    },
  };
  return {
    accountId,
    aws,
    /** Security Hub's findings per region, by Id, as imported. */
    securityHub,
    clusters,
    calls: (name: string) => calls.get(name) ?? 0,
    destroyed: () => destroyed,
  };
}

export type FakeAccount = ReturnType<typeof fakeAccount>;

/**
 * The caller's AWS: its own account, and the others through their roles; an account named in
 * `denied` refuses its role (AccessDenied), one not in `accounts` is not reachable at all.
 */
export function fakeCaller(
  own: FakeAccount,
  accounts: readonly FakeAccount[] = [],
  denied: readonly string[] = [],
) {
  const opened: AccountTarget[] = [];
  const caller: CallerAws = {
    own: own.aws,
    listOrganizationAccounts: () =>
      Promise.resolve({
        ok: true,
        accounts: accounts.map((a) => ({ Id: a.accountId, Name: a.accountId, State: 'ACTIVE' })),
      }),
    openAccount: (target) => {
      opened.push(target);
      const account = accounts.find((a) => a.accountId === target.accountId);
      if (!account || denied.includes(target.accountId))
        return Promise.resolve({
          ok: false,
          error: { code: 'AccessDenied', message: `not authorized to assume ${target.roleArn}` },
        });
      return Promise.resolve({ ok: true, aws: account.aws });
    },
  };
  return { caller, opened };
}
