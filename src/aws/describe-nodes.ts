import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import { type ErrorInfo, toErrorInfo } from '../model/errors.js';
import {
  EKS_CLUSTER_NAME_TAGS,
  KUBERNETES_CLUSTER_TAG_PREFIX,
  type NodeInstance,
  type NodeSecurityGroup,
  type PrefixListEntries,
  type RegionNodes,
} from '../model/nodes.js';

/**
 * EC2 takes at most 200 filter values in one call, all filters together ("FilterLimitExceeded ...
 * on a single call is 200"): the two instance states leave 198 for the tag keys.
 */
const FILTER_VALUES = 198;
const INSTANCE_PAGE_SIZE = 1000;
const GROUP_BATCH = 100;
const PREFIX_LIST_PAGE_SIZE = 100;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

/** Pure: the tag keys whose instances may be nodes of these clusters (values are checked by the rule). */
export function nodeTagKeys(clusterNames: readonly string[]): string[] {
  return [
    ...EKS_CLUSTER_NAME_TAGS,
    ...[...new Set(clusterNames)].map((n) => `${KUBERNETES_CLUSTER_TAG_PREFIX}${n}`),
  ];
}

const isClusterTag = (key: string) =>
  key.startsWith(KUBERNETES_CLUSTER_TAG_PREFIX) ||
  (EKS_CLUSTER_NAME_TAGS as readonly string[]).includes(key);

/** Pure: the node record kept of a DescribeInstances instance. */
export function slimInstance(instance: Instance): NodeInstance | undefined {
  if (!instance.InstanceId) return undefined;
  const interfaces = instance.NetworkInterfaces ?? [];
  const groups = new Set<string>();
  for (const ni of interfaces)
    for (const g of ni.Groups ?? []) if (g.GroupId) groups.add(g.GroupId);
  if (interfaces.length === 0)
    for (const g of instance.SecurityGroups ?? []) if (g.GroupId) groups.add(g.GroupId);
  const ipv6 = new Set<string>();
  for (const ni of interfaces)
    for (const a of ni.Ipv6Addresses ?? []) if (a.Ipv6Address) ipv6.add(a.Ipv6Address);
  if (instance.Ipv6Address) ipv6.add(instance.Ipv6Address);
  const publicIpv4 =
    instance.PublicIpAddress ??
    interfaces.find((ni) => ni.Association?.PublicIp)?.Association?.PublicIp;
  const perInterface = interfaces.map((ni) => ({
    publicIpv4s: [
      ...new Set(
        [
          ni.Association?.PublicIp,
          ...(ni.PrivateIpAddresses ?? []).map((p) => p.Association?.PublicIp),
        ].filter((ip): ip is string => typeof ip === 'string'),
      ),
    ],
    ipv6Addresses: (ni.Ipv6Addresses ?? []).flatMap((a) => (a.Ipv6Address ? [a.Ipv6Address] : [])),
    securityGroupIds: (ni.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
  }));
  return {
    instanceId: instance.InstanceId,
    state: instance.State?.Name ?? 'unknown',
    ...(perInterface.length > 1 ? { interfaces: perInterface } : {}),
    tags: Object.fromEntries(
      (instance.Tags ?? []).flatMap((t) =>
        t.Key && isClusterTag(t.Key) ? [[t.Key, t.Value ?? '']] : [],
      ),
    ),
    publicIpv4: publicIpv4 ?? null,
    privateIpv4: instance.PrivateIpAddress ?? null,
    ipv6Addresses: [...ipv6],
    securityGroupIds: [...groups],
  };
}

const loopError = (operation: string): ErrorInfo => ({
  code: 'PaginationLoop',
  message: `${operation} gave a page token twice; stopped reading`,
});

class Stop extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/**
 * A region's nodes for the clusters named: one DescribeInstances listing (paginated, tag-key
 * filter, running and pending), then their security groups in batches, then the prefix lists those
 * groups name (a list that cannot be read, e.g. AccessDenied, is reported, not fatal). Never throws.
 */
export async function describeRegionNodes(
  ec2: EC2Client,
  clusterNames: readonly string[],
  signal: AbortSignal | undefined,
): Promise<RegionNodes> {
  const {
    DescribeInstancesCommand,
    DescribeSecurityGroupsCommand,
    GetManagedPrefixListEntriesCommand,
  } = await import('./sdk/ec2-nodes.js');
  let calls = 0;
  const options = { abortSignal: signal };
  try {
    const instances = new Map<string, NodeInstance>();
    for (const keys of chunks(nodeTagKeys(clusterNames), FILTER_VALUES)) {
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        calls += 1;
        const page = await ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: 'tag-key', Values: keys },
              { Name: 'instance-state-name', Values: ['running', 'pending'] },
            ],
            MaxResults: INSTANCE_PAGE_SIZE,
            NextToken: token,
          }),
          options,
        );
        for (const r of page.Reservations ?? [])
          for (const i of r.Instances ?? []) {
            const node = slimInstance(i);
            if (node) instances.set(node.instanceId, node);
          }
        token = page.NextToken || undefined;
        if (token && seen.has(token)) throw new Stop(loopError('DescribeInstances'));
        if (token) seen.add(token);
      } while (token);
    }
    const groupIds = [...new Set([...instances.values()].flatMap((i) => i.securityGroupIds))];
    const securityGroups = new Map<string, NodeSecurityGroup>();
    for (const batch of chunks(groupIds, GROUP_BATCH)) {
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        calls += 1;
        const page = await ec2.send(
          new DescribeSecurityGroupsCommand({ GroupIds: batch, NextToken: token }),
          options,
        );
        for (const g of page.SecurityGroups ?? [])
          if (g.GroupId)
            securityGroups.set(g.GroupId, {
              GroupId: g.GroupId,
              GroupName: g.GroupName,
              IpPermissions: g.IpPermissions ?? [],
            });
        token = page.NextToken || undefined;
        if (token && seen.has(token)) throw new Stop(loopError('DescribeSecurityGroups'));
        if (token) seen.add(token);
      } while (token);
    }
    const listIds = new Set<string>();
    for (const g of securityGroups.values())
      for (const p of g.IpPermissions)
        for (const pl of p.PrefixListIds ?? []) if (pl.PrefixListId) listIds.add(pl.PrefixListId);
    const prefixLists = new Map<string, PrefixListEntries>();
    for (const id of listIds) {
      const cidrs: string[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      try {
        do {
          calls += 1;
          const page = await ec2.send(
            new GetManagedPrefixListEntriesCommand({
              PrefixListId: id,
              MaxResults: PREFIX_LIST_PAGE_SIZE,
              NextToken: token,
            }),
            options,
          );
          for (const e of page.Entries ?? []) if (e.Cidr) cidrs.push(e.Cidr);
          token = page.NextToken || undefined;
          if (token && seen.has(token)) throw new Stop(loopError('GetManagedPrefixListEntries'));
          if (token) seen.add(token);
        } while (token);
        prefixLists.set(id, { ok: true, cidrs });
      } catch (error) {
        if (signal?.aborted) throw error;
        prefixLists.set(id, {
          ok: false,
          error: error instanceof Stop ? error.info : toErrorInfo(error),
        });
      }
    }
    return { ok: true, instances: [...instances.values()], securityGroups, prefixLists, calls };
  } catch (error) {
    return { ok: false, error: error instanceof Stop ? error.info : toErrorInfo(error) };
  }
}
