import {
  couldOpenSensitivePort,
  closeRuleCommands,
  isNodeOf,
  judgeNode,
  type NotJudged,
  worstSeverity,
} from './node-exposure.js';
import {
  type CheckResult,
  NO_RULE_CONTEXT,
  type Rule,
  type RuleContext,
  type RuleMetadata,
} from './types.js';
import { type ClusterRecord } from '../model/scan.js';
import { SEVERITY_RANK } from '../model/findings.js';
import type { ExposedNode, ExposingRule, RegionNodes } from '../model/nodes.js';
import { kubeletSeverityBump } from '../model/node-probe.js';
import { probeKey } from './eks-probe-001-api-reachable.js';

export const metadata: RuleMetadata = {
  id: 'EKS-003',
  aliases: ['node-exposure'],
  title: 'EKS nodes open to the internet on kubelet, etcd, NodePort or SSH ports',
  // A FAIL's severity is its worst port's: high for the kubelet (10250, 10255), etcd (2379-2380)
  // and the insecure API port (8080); medium for kube-proxy's health port (10256) and SSH (22);
  // low for the NodePort range (30000-32767), often meant for services.
  severity: 'high',
  rationale:
    "The API server is not the only door. On EKS the nodes are the user's own EC2 instances, and their " +
    "security groups are the user's to get wrong: a kubelet (10250/TCP) answers anonymous requests unless " +
    'the distribution turns that off, the read-only kubelet (10255/TCP) has no authentication at all, and ' +
    'etcd (2379-2380/TCP), kube-proxy (10256) and the old insecure API port (8080) are worth an attack too. ' +
    'A node with a public IPv4 or IPv6 address whose security group admits the whole internet on such a ' +
    'port is reachable from anywhere. Runs only when selected (--rules EKS-003 or --rules all).',
  remediation: {
    summary:
      'Revoke the ingress rule that opens the port to 0.0.0.0/0 or ::/0 (or authorize only the networks ' +
      'that need it, then revoke); give nodes private addresses only. Other workloads may use the same ' +
      'rule: check before revoking. eksposure plans these commands and never runs them.',
    cli:
      'aws ec2 revoke-security-group-ingress --region <region> --group-id <group> ' +
      '--ip-permissions \'[{"IpProtocol":"tcp","FromPort":10250,"ToPort":10250,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]\'',
    terraform:
      'resource "aws_vpc_security_group_ingress_rule" "kubelet" {\n' +
      '  security_group_id = aws_security_group.nodes.id\n' +
      '  ip_protocol       = "tcp"\n  from_port         = 10250\n  to_port           = 10250\n' +
      '  referenced_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id\n}',
  },
  references: [
    'https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html',
    'https://kubernetes.io/docs/reference/networking/ports-and-protocols/',
    'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/',
  ],
};

/** Exposed nodes a finding lists; the rest are counted. */
export const EXPOSED_NODES_SHOWN = 20;

export const IPV6_NOTE =
  "An IPv6 address is reachable from the internet only when the subnet's route table sends ::/0 to an " +
  'internet gateway (not an egress-only one); routes were not read.';

const describePorts = (node: ExposedNode) =>
  node.ports
    .map(
      (p) =>
        (p.fromPort === p.toPort ? `${p.fromPort}` : `${p.fromPort}-${p.toPort}`) + ` ${p.service}`,
    )
    .join(', ');

/**
 * FAIL when a node of the cluster (tagged kubernetes.io/cluster/NAME, eks:cluster-name or
 * eks:eks-cluster-name) has a public IPv4 or IPv6 address and its security groups admit the whole
 * internet (0.0.0.0/0, ::/0, or blocks adding up to all) over TCP or all traffic on a sensitive
 * port, with the worst port's severity; PASS otherwise. A cluster with no EC2 node (Fargate only,
 * or none yet) PASSes as not applicable (evidence `applicable: false`). ERROR when the nodes could
 * not be read.
 */
export function check(cluster: ClusterRecord, context: RuleContext = NO_RULE_CONTEXT): CheckResult {
  const name = cluster.name ?? '';
  const read = context.nodes;
  if (!read)
    return {
      status: 'ERROR',
      message: 'The nodes were not read (the scan reads them only when EKS-003 is selected).',
      evidence: { nodesRead: false },
      error: { code: 'NodesNotRead', message: 'the scan did not read EC2 nodes' },
    };
  if (!read.facts.ok)
    return {
      status: 'ERROR',
      message: `Could not read the region's nodes: ${read.facts.error.code}: ${read.facts.error.message}`,
      evidence: { nodesRead: false },
      error: read.facts.error,
    };
  const { nodes, judged, exposed, notJudged } = judgeNodes(name, read.region, read.facts);
  if (nodes.length === 0)
    return {
      status: 'PASS',
      message: 'Not applicable: the cluster has no EC2 nodes (Fargate only, or none yet).',
      evidence: { nodesRead: true, applicable: false, nodes: 0 },
    };
  const anyIpv6 = nodes.some((n) => n.ipv6Addresses.length > 0);
  const kubelets = context.kubeletProbes?.get(probeKey(cluster)) ?? [];
  const evidence = {
    nodesRead: true,
    applicable: true,
    nodes: nodes.length,
    nodesWithPublicAddress: judged.filter((j) => j.hasPublicAddress).length,
    exposedNodeCount: exposed.length,
    exposedNodes: exposed.slice(0, EXPOSED_NODES_SHOWN),
    exposedNodesNotShown: Math.max(0, exposed.length - EXPOSED_NODES_SHOWN),
    // Every rule that opens a node, uncapped (a few per cluster): what remediation closes.
    exposingRules: distinctRules(exposed.flatMap((n) => n.rules)),
    notJudged,
    ...(anyIpv6 ? { ipv6Note: IPV6_NOTE } : {}),
    // With --probe: what each exposed kubelet answered an anonymous request from here.
    ...(context.kubeletProbes ? { kubeletProbes: kubelets.slice(0, EXPOSED_NODES_SHOWN) } : {}),
  };
  const unjudged = notJudged.length
    ? ` ${notJudged.length} prefix-list rule${notJudged.length === 1 ? ' was' : 's were'} not judged (entries unreadable).`
    : '';
  const undecided = notJudged.filter(couldOpenSensitivePort);
  if (exposed.length === 0 && undecided.length > 0) {
    const lists = [...new Set(undecided.map((n) => n.prefixListId))].join(', ');
    return {
      status: 'ERROR',
      message:
        `Could not tell whether the nodes are open to the internet: ${undecided.length} security ` +
        `group rule${undecided.length === 1 ? '' : 's'} on a sensitive port admit${undecided.length === 1 ? 's' : ''} ` +
        `prefix list ${lists}, whose entries could not be read. Allow ec2:GetManagedPrefixListEntries ` +
        `(docs/iam-policies.md), or exempt the cluster from EKS-003.`,
      evidence,
      error: {
        code: 'PrefixListNotRead',
        message: undecided.map((n) => `${n.groupId} ${n.prefixListId}: ${n.reason}`).join('; '),
      },
    };
  }
  if (exposed.length === 0)
    return {
      status: 'PASS',
      message: `No node is open to the internet on a sensitive port (${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${evidence.nodesWithPublicAddress} with a public address).${unjudged}`,
      evidence,
    };
  const listed = exposed
    .slice(0, 3)
    .map((n) => `${n.instanceId} (${describePorts(n)})`)
    .join('; ');
  const more = exposed.length > 3 ? `; and ${exposed.length - 3} more` : '';
  const answered = kubelets.filter((k) => kubeletSeverityBump(k) !== null);
  const probed = answered.length
    ? ` The probe saw anonymous access on ${answered.length} kubelet${answered.length === 1 ? '' : 's'}: ${answered
        .slice(0, 3)
        .map((k) => `${k.instanceId ?? k.address}:${k.port} ${k.verdict}`)
        .join('; ')}.`
    : '';
  return {
    status: 'FAIL',
    severity: worstSeverity([
      ...exposed.map((n) => n.severity),
      ...answered.flatMap((k) => kubeletSeverityBump(k) ?? []),
    ]),
    message: `${exposed.length} of ${nodes.length} node${nodes.length === 1 ? '' : 's'} open to the internet: ${listed}${more}.${unjudged}${probed}`,
    evidence,
  };
}

/**
 * Pure: a cluster's nodes in its region's facts, each judged, and the exposed ones worst first
 * (uncapped): what the check reports, and what --probe knocks on.
 */
export function judgeNodes(
  clusterName: string,
  region: string,
  facts: Extract<RegionNodes, { ok: true }>,
) {
  const { instances, securityGroups, prefixLists } = facts;
  const nodes = instances.filter((i) => isNodeOf(i, clusterName));
  const notJudged: NotJudged[] = [];
  const judged = nodes.map((n) =>
    judgeNode(n, { clusterName, region }, securityGroups, prefixLists, notJudged),
  );
  const exposed = judged
    .flatMap((j) => (j.exposed ? [j.exposed] : []))
    .sort((a, b) => severityRank(b) - severityRank(a) || a.instanceId.localeCompare(b.instanceId));
  return { nodes, judged, exposed, notJudged };
}

const severityRank = (n: ExposedNode) => SEVERITY_RANK[n.severity];

function distinctRules(rules: readonly ExposingRule[]): ExposingRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = JSON.stringify(r);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * Pure: the commands that close every exposing rule of an EKS-003 finding, each rule once; with
 * allowed CIDRs, each revoke follows the authorize of those CIDRs. eksposure never runs them.
 */
export function remediationCommands(
  region: string,
  rules: readonly ExposingRule[],
  allowCidrs: readonly string[] | null,
): string[] {
  return distinctRules(rules).flatMap((r) => closeRuleCommands(region, r, allowCidrs));
}

export const eks003NodeExposure: Rule = { metadata, check, needs: ['nodes'] };
