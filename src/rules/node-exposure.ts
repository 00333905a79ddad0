import type { IpPermission } from '@aws-sdk/client-ec2';
import { cidrFamily, coversWholeInternet, isNonInternetAddress } from '../net/cidr.js';
import { type Severity, SEVERITY_RANK } from '../model/findings.js';
import {
  EKS_CLUSTER_NAME_TAGS,
  type ExposedNode,
  type ExposedPort,
  type ExposingRule,
  KUBERNETES_CLUSTER_TAG_PREFIX,
  type NodeInstance,
  type NodeSecurityGroup,
  type PrefixListEntries,
} from '../model/nodes.js';

/** A port attackers look at, before it is known on which address families a node exposes it. */
export type SensitivePort = Omit<ExposedPort, 'families'>;

/** The node ports attackers look at (seed 003), most severe first. */
export const SENSITIVE_PORTS: readonly SensitivePort[] = [
  { fromPort: 10250, toPort: 10250, service: 'kubelet', severity: 'high' },
  { fromPort: 10255, toPort: 10255, service: 'kubelet-read-only', severity: 'high' },
  { fromPort: 2379, toPort: 2380, service: 'etcd', severity: 'high' },
  { fromPort: 8080, toPort: 8080, service: 'insecure-api', severity: 'high' },
  { fromPort: 10256, toPort: 10256, service: 'kube-proxy-health', severity: 'medium' },
  { fromPort: 22, toPort: 22, service: 'ssh', severity: 'medium' },
  { fromPort: 30000, toPort: 32767, service: 'nodeport', severity: 'low' },
];

export const worstSeverity = (severities: readonly Severity[]): Severity =>
  severities.reduce<Severity>(
    (worst, s) => (SEVERITY_RANK[s] > SEVERITY_RANK[worst] ? s : worst),
    'low',
  );

/** Pure: whether an instance's tags tie it to the cluster named. */
export function isNodeOf(instance: Pick<NodeInstance, 'tags'>, clusterName: string): boolean {
  if (instance.tags[`${KUBERNETES_CLUSTER_TAG_PREFIX}${clusterName}`] !== undefined) return true;
  return EKS_CLUSTER_NAME_TAGS.some((key) => instance.tags[key] === clusterName);
}

/** A prefix list a group names that could not be read: its rule is not judged. */
export interface NotJudged {
  readonly groupId: string;
  readonly prefixListId: string;
  readonly reason: string;
  /** The ports the rule admits (0 to 65535 for all traffic). */
  readonly fromPort: number;
  readonly toPort: number;
}

/**
 * Pure: whether a rule that was not judged could be what opens a sensitive port, so that its
 * node cannot be called safe (it is not judged only for a node with a public address).
 */
export const couldOpenSensitivePort = (n: NotJudged): boolean =>
  SENSITIVE_PORTS.some((port) => n.fromPort <= port.toPort && n.toPort >= port.fromPort);

/** One open source of one ingress rule, ports resolved. */
interface OpenSource {
  readonly rule: ExposingRule;
  readonly cidrs: readonly string[];
  readonly fromPort: number;
  readonly toPort: number;
}

const TCP_OR_ALL = new Set(['tcp', '6', '-1']);

/** Pure: the sources of a group's ingress rules that carry TCP, each with its CIDRs; referenced groups are not the internet. */
function openSources(
  group: NodeSecurityGroup,
  prefixLists: ReadonlyMap<string, PrefixListEntries>,
  notJudged: NotJudged[],
): OpenSource[] {
  const sources: OpenSource[] = [];
  for (const p of group.IpPermissions) {
    const protocol = (p.IpProtocol ?? '').toLowerCase();
    if (!TCP_OR_ALL.has(protocol)) continue;
    const all = protocol === '-1' || p.FromPort === undefined || p.FromPort === -1;
    const fromPort = all ? 0 : (p.FromPort ?? 0);
    const toPort = all ? 65535 : (p.ToPort ?? fromPort);
    const rule = (source: string, prefixListCidrs?: readonly string[]): ExposingRule => ({
      groupId: group.GroupId,
      ipProtocol: protocol === '6' ? 'tcp' : protocol,
      fromPort: protocol === '-1' ? null : (p.FromPort ?? null),
      toPort: protocol === '-1' ? null : (p.ToPort ?? null),
      source,
      ...(prefixListCidrs ? { prefixListCidrs } : {}),
    });
    for (const r of p.IpRanges ?? [])
      if (r.CidrIp) sources.push({ rule: rule(r.CidrIp), cidrs: [r.CidrIp], fromPort, toPort });
    for (const r of p.Ipv6Ranges ?? [])
      if (r.CidrIpv6)
        sources.push({ rule: rule(r.CidrIpv6), cidrs: [r.CidrIpv6], fromPort, toPort });
    for (const pl of p.PrefixListIds ?? []) {
      const id = pl.PrefixListId;
      if (!id) continue;
      const entries = prefixLists.get(id);
      if (!entries || !entries.ok) {
        const reason = entries
          ? `not judged: its entries could not be read (${entries.error.code})`
          : 'not judged: its entries were not read';
        const seen = notJudged.some(
          (n) =>
            n.groupId === group.GroupId &&
            n.prefixListId === id &&
            n.fromPort === fromPort &&
            n.toPort === toPort,
        );
        if (!seen)
          notJudged.push({ groupId: group.GroupId, prefixListId: id, reason, fromPort, toPort });
        continue;
      }
      sources.push({ rule: rule(id, entries.cidrs), cidrs: entries.cidrs, fromPort, toPort });
    }
  }
  return sources;
}

/**
 * Pure: the sources that together open some port of `port` to the whole internet of `family`
 * (0.0.0.0/0, ::/0, or blocks adding up to all), and the ports they open; empty when none do.
 */
function exposureOf(
  port: SensitivePort,
  family: 4 | 6,
  sources: readonly OpenSource[],
): { readonly port: SensitivePort; readonly by: readonly OpenSource[] } | undefined {
  const inFamily = sources
    .map((s) => ({ ...s, cidrs: s.cidrs.filter((c) => cidrFamily(c) === family) }))
    .filter((s) => s.cidrs.length > 0 && s.fromPort <= port.toPort && s.toPort >= port.fromPort);
  // The union of rules changes only where a rule's range starts: those points are enough.
  const points = new Set([port.fromPort]);
  for (const s of inFamily) if (s.fromPort > port.fromPort) points.add(s.fromPort);
  for (const point of [...points].sort((a, b) => a - b)) {
    const covering = inFamily.filter((s) => s.fromPort <= point && s.toPort >= point);
    if (!coversWholeInternet(covering.flatMap((s) => s.cidrs))) continue;
    const fromPort = Math.max(port.fromPort, Math.max(...covering.map((s) => s.fromPort)));
    const toPort = Math.min(port.toPort, Math.min(...covering.map((s) => s.toPort)));
    return { port: { ...port, fromPort, toPort }, by: covering };
  }
  return undefined;
}

export interface NodeJudgement {
  readonly exposed: ExposedNode | undefined;
  readonly hasPublicAddress: boolean;
}

/**
 * Pure: whether one node is open to the internet on a sensitive port, and through which rules. A
 * node with several network interfaces is judged interface by interface (each address only
 * through its own interface's groups), the results joined.
 */
export function judgeNode(
  node: NodeInstance,
  where: { readonly clusterName: string; readonly region: string },
  groups: ReadonlyMap<string, NodeSecurityGroup>,
  prefixLists: ReadonlyMap<string, PrefixListEntries>,
  notJudged: NotJudged[],
): NodeJudgement {
  if (!node.interfaces || node.interfaces.length < 2)
    return judgeInterface(node, where, groups, prefixLists, notJudged);
  const judged = node.interfaces.map((ni) =>
    judgeInterface(
      {
        ...node,
        publicIpv4: null,
        ipv6Addresses: ni.ipv6Addresses,
        securityGroupIds: ni.securityGroupIds,
        interfaces: undefined,
      },
      where,
      groups,
      prefixLists,
      notJudged,
      ni.publicIpv4s,
    ),
  );
  const exposed = judged.flatMap((j) => (j.exposed ? [j.exposed] : []));
  const hasPublicAddress = judged.some((j) => j.hasPublicAddress);
  const [first] = exposed;
  if (first === undefined) return { exposed: undefined, hasPublicAddress };
  const ports: ExposedPort[] = [];
  for (const port of exposed.flatMap((e) => e.ports)) {
    const i = ports.findIndex((p) => p.service === port.service);
    const earlier = ports[i];
    if (earlier === undefined) ports.push(port);
    else ports[i] = { ...earlier, families: [...new Set([...earlier.families, ...port.families])] };
  }
  const rules = exposed
    .flatMap((e) => e.rules)
    .filter((r, i, all) => all.findIndex((o) => JSON.stringify(o) === JSON.stringify(r)) === i);
  return {
    hasPublicAddress,
    exposed: {
      ...first,
      addresses: exposed.flatMap((e) => e.addresses),
      ports,
      rules,
      severity: worstSeverity(ports.map((p) => p.severity)),
    },
  };
}

function judgeInterface(
  node: NodeInstance,
  where: { readonly clusterName: string; readonly region: string },
  groups: ReadonlyMap<string, NodeSecurityGroup>,
  prefixLists: ReadonlyMap<string, PrefixListEntries>,
  notJudged: NotJudged[],
  publicIpv4s: readonly string[] = node.publicIpv4 ? [node.publicIpv4] : [],
): NodeJudgement {
  const addresses = [
    ...publicIpv4s.map((address) => ({ address, family: 4 as const })),
    // A unique local address (fc00::/7) is as private as 10.0.0.0/8: the internet cannot reach it.
    ...node.ipv6Addresses
      .filter((address) => !isNonInternetAddress(address))
      .map((address) => ({ address, family: 6 as const })),
  ];
  if (addresses.length === 0) return { exposed: undefined, hasPublicAddress: false };
  const sources = node.securityGroupIds.flatMap((id) => {
    const group = groups.get(id);
    return group ? openSources(group, prefixLists, notJudged) : [];
  });
  const ports: ExposedPort[] = [];
  const rules: ExposingRule[] = [];
  const reached = new Set<4 | 6>();
  for (const port of SENSITIVE_PORTS)
    for (const family of [4, 6] as const) {
      if (!addresses.some((a) => a.family === family)) continue;
      const found = exposureOf(port, family, sources);
      if (!found) continue;
      reached.add(family);
      const known = ports.findIndex((p) => p.service === port.service);
      const earlier = ports[known];
      if (earlier === undefined) ports.push({ ...found.port, families: [family] });
      else ports[known] = { ...earlier, families: [...earlier.families, family] };
      for (const s of found.by)
        if (!rules.some((r) => JSON.stringify(r) === JSON.stringify(s.rule))) rules.push(s.rule);
    }
  if (ports.length === 0) return { exposed: undefined, hasPublicAddress: true };
  return {
    hasPublicAddress: true,
    exposed: {
      clusterName: where.clusterName,
      region: where.region,
      instanceId: node.instanceId,
      addresses: addresses.filter((a) => reached.has(a.family)),
      ports,
      rules,
      severity: worstSeverity(ports.map((p) => p.severity)),
    },
  };
}

/** Pure: the IpPermissions JSON of one exposing rule, as `aws ec2 revoke-security-group-ingress` takes it. */
export function ipPermissionsOf(rule: ExposingRule, cidrs?: readonly string[]): IpPermission[] {
  const ports =
    rule.ipProtocol === '-1'
      ? {}
      : { FromPort: rule.fromPort ?? undefined, ToPort: rule.toPort ?? undefined };
  const sources = cidrs ?? [rule.source];
  const v4 = sources.filter((c) => cidrFamily(c) === 4);
  const v6 = sources.filter((c) => cidrFamily(c) === 6);
  const isPrefixList = !cidrs && rule.source.startsWith('pl-');
  return [
    {
      IpProtocol: rule.ipProtocol,
      ...ports,
      ...(isPrefixList ? { PrefixListIds: [{ PrefixListId: rule.source }] } : {}),
      ...(v4.length ? { IpRanges: v4.map((CidrIp) => ({ CidrIp })) } : {}),
      ...(v6.length ? { Ipv6Ranges: v6.map((CidrIpv6) => ({ CidrIpv6 })) } : {}),
    },
  ];
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * Pure: the AWS CLI commands that close one exposing rule: revoke it; with approved CIDRs, first
 * authorize them on the same ports (allowlist mode). eksposure never runs them.
 */
export function closeRuleCommands(
  region: string,
  rule: ExposingRule,
  approvedCidrs: readonly string[] | null,
): string[] {
  const cmd = (verb: 'authorize' | 'revoke', cidrs?: readonly string[]) =>
    `aws ec2 ${verb}-security-group-ingress --region ${region} --group-id ${rule.groupId} ` +
    `--ip-permissions ${shellQuote(JSON.stringify(ipPermissionsOf(rule, cidrs)))}`;
  return [...(approvedCidrs?.length ? [cmd('authorize', approvedCidrs)] : []), cmd('revoke')];
}
