/**
 * Crossplane managed resources of kind Cluster: the Upbound provider's
 * `spec.forProvider.vpcConfig` (a one-item list in v1beta1, an object in v1beta2) and the classic
 * provider's `spec.forProvider.resourcesVpcConfig` (an object), each with `endpointPublicAccess`,
 * `endpointPrivateAccess` and `publicAccessCidrs`.
 */
import { isMap, isSeq, type Document, type ParsedNode } from 'yaml';
import type {
  Definition,
  DefinitionName,
  FormatReading,
  IacFormat,
  IacTarget,
  PatchOutcome,
  SourceFile,
} from '../types.js';
import {
  editContextOf,
  endpointEntries,
  planMappingEdits,
  where,
  type EditContext,
} from '../yaml/yaml-edits.js';
import {
  describeNode,
  isTemplatePlaceholder,
  literalString,
  literalStrings,
  mapAt,
  nodeAt,
  pairOf,
  type MapNode,
} from '../yaml/yaml-nodes.js';
import { hasExtension, readYamlFiles, type YamlSource } from '../yaml/yaml-source.js';

/** API groups of EKS Cluster managed resources, and the key that holds the endpoint settings. */
const GROUPS: readonly { readonly prefix: string; readonly vpcKey: string }[] = [
  { prefix: 'eks.aws.upbound.io/', vpcKey: 'vpcConfig' },
  // provider-upjet-aws v2's namespaced resources: same schema as the cluster-scoped ones.
  { prefix: 'eks.aws.m.upbound.io/', vpcKey: 'vpcConfig' },
  { prefix: 'eks.aws.crossplane.io/', vpcKey: 'resourcesVpcConfig' },
];

const EXTERNAL_NAME = 'crossplane.io/external-name';

function accepts(file: SourceFile): boolean {
  return (
    hasExtension(file.path, ['.yaml', '.yml']) &&
    /apiVersion:\s*["']?eks\.aws\.(?:m\.)?(?:upbound|crossplane)\.io\//.test(file.text) &&
    /kind:\s*["']?Cluster["']?\s*(?:#.*)?$/m.test(file.text)
  );
}

function read(files: readonly SourceFile[]): Promise<FormatReading> {
  return readYamlFiles(files, accepts, definitionsIn);
}

function definitionsIn(source: YamlSource): Definition[] {
  return source.documents.flatMap((document) => {
    const root = mapAt(document.contents, []);
    if (!root || literalString(pairOf(root, 'kind')?.value) !== 'Cluster') return [];
    const apiVersion = literalString(pairOf(root, 'apiVersion')?.value);
    const group = GROUPS.find((g) => apiVersion?.startsWith(g.prefix));
    if (!apiVersion || !group) return [];
    return [clusterDefinition(source, document, root, apiVersion, group.vpcKey)];
  });
}

function clusterDefinition(
  source: YamlSource,
  document: Document.Parsed,
  root: MapNode,
  apiVersion: string,
  vpcKey: string,
): Definition {
  const metadataName = literalString(nodeAt(root, ['metadata', 'name']));
  const address = `Cluster ${metadataName ?? '(no metadata.name)'} (${apiVersion})`;
  const anchor = pairOf(root, 'metadata')?.key ?? root;
  const region = literalString(nodeAt(root, ['spec', 'forProvider', 'region']));
  const context = editContextOf(source, document);
  return {
    location: {
      tool: 'crossplane',
      file: source.file,
      line: source.lines.lineOf(anchor.range[0]),
      address,
    },
    name: nameOf(source, root, address),
    ...(region !== undefined ? { region } : {}),
    patch: (target) => patchCluster(context, root, vpcKey, target),
  };
}

/** The AWS name: the external-name annotation when set, else metadata.name. */
function nameOf(source: YamlSource, root: MapNode, address: string): DefinitionName {
  const annotations = mapAt(root, ['metadata', 'annotations']);
  const external = annotations ? pairOf(annotations, EXTERNAL_NAME)?.value : undefined;
  const externalName = literalString(external);
  if (external && externalName && !isTemplatePlaceholder(externalName)) {
    return {
      resolved: true,
      value: externalName,
      from: {
        tool: 'crossplane',
        file: source.file,
        line: source.lines.lineOf(external.range[0]),
        address: `${address} metadata.annotations["${EXTERNAL_NAME}"]`,
      },
    };
  }
  const name = nodeAt(root, ['metadata', 'name']);
  const value = literalString(name);
  if (externalName && isTemplatePlaceholder(externalName)) {
    return {
      resolved: false,
      reason: `the ${EXTERNAL_NAME} annotation is ${externalName}, a placeholder filled in later`,
    };
  }
  if (!name || value === undefined || isTemplatePlaceholder(value)) {
    return {
      resolved: false,
      reason: !name
        ? 'the Cluster has neither metadata.name nor a crossplane.io/external-name annotation'
        : value !== undefined
          ? `metadata.name is ${value}, a placeholder filled in later`
          : `metadata.name is ${describeNode(source.text, name)}, not a literal string`,
    };
  }
  return {
    resolved: true,
    value,
    from: {
      tool: 'crossplane',
      file: source.file,
      line: source.lines.lineOf(name.range[0]),
      address: `${address} metadata.name`,
    },
  };
}

function patchCluster(
  context: EditContext,
  root: MapNode,
  vpcKey: string,
  target: IacTarget,
): PatchOutcome {
  const forProvider = mapAt(root, ['spec', 'forProvider']);
  if (!forProvider) {
    return { ok: false, reason: `the Cluster has no spec.forProvider (${where(context, root)})` };
  }
  const path = `spec.forProvider.${vpcKey}`;
  const vpcPair = pairOf(forProvider, vpcKey);
  const vpcNode = vpcPair?.value;
  if (!vpcPair || !vpcNode) {
    return { ok: false, reason: `${path} is not set (${where(context, forProvider)})` };
  }
  const found = vpcConfigMap(context, vpcNode, path);
  if ('reason' in found) return { ok: false, reason: found.reason };
  const entries = endpointEntries(target.change, {
    public: 'endpointPublicAccess',
    private: 'endpointPrivateAccess',
    cidrs: 'publicAccessCidrs',
  });
  const planned = planMappingEdits(context, found.map, found.path, entries);
  if (!planned.ok) return planned;
  const notes = [
    'Crossplane sends the change to AWS when it next reconciles the managed resource.',
  ];
  const policies = literalStrings(nodeAt(root, ['spec', 'managementPolicies']));
  if (policies && !policies.includes('*') && !policies.includes('Update')) {
    notes.push(
      `spec.managementPolicies is [${policies.join(', ')}], without Update: Crossplane will not update the cluster.`,
    );
  }
  return { ok: true, edits: planned.edits, changes: planned.changes, notes };
}

/** vpcConfig is a one-item list (Upbound v1beta1) or an object (v1beta2, classic). */
function vpcConfigMap(
  context: EditContext,
  node: ParsedNode,
  path: string,
): { readonly map: MapNode; readonly path: string } | { readonly reason: string } {
  if (isMap(node)) return { map: node, path };
  if (isSeq(node)) {
    const first = node.items[0];
    if (node.items.length === 1 && isMap(first)) return { map: first, path: `${path}[0]` };
    return {
      reason: `${path} is a list of ${String(node.items.length)} items where EKS takes one mapping (${where(context, node)})`,
    };
  }
  return {
    reason: `${path} is ${describeNode(context.text, node)}, not a mapping (${where(context, node)})`,
  };
}

/** Crossplane EKS Cluster managed resources (Upbound and classic providers). */
export const crossplaneFormat: IacFormat = { tool: 'crossplane', accepts, read };
