/**
 * eksctl ClusterConfig files: each `kind: ClusterConfig` document is a definition, and its fix sets
 * `vpc.clusterEndpoints.publicAccess`, `privateAccess` and (allowlist mode) `vpc.publicAccessCIDRs`,
 * creating `vpc:` and `clusterEndpoints:` when the file does not have them yet.
 */
import type { Document } from 'yaml';
import type { EndpointChange } from '../../model/endpoint.js';
import type {
  Definition,
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
  type DesiredEntry,
  type EditContext,
} from '../yaml/yaml-edits.js';
import {
  describeNode,
  isTemplatePlaceholder,
  literalString,
  mapAt,
  pairOf,
  type MapNode,
} from '../yaml/yaml-nodes.js';
import { hasExtension, readYamlFiles, type YamlSource } from '../yaml/yaml-source.js';

const API_VERSION = 'eksctl.io/v1alpha5';

/**
 * The command that gives a running cluster the endpoint settings: eksctl reads
 * vpc.clusterEndpoints and vpc.publicAccessCIDRs only when it creates a cluster.
 */
export function eksctlCommand(name: string, region: string, change: EndpointChange): string {
  const cidrs = change.publicAccessCidrs
    ? ` --public-access-cidrs=${change.publicAccessCidrs.join(',')}`
    : '';
  return (
    `eksctl utils update-cluster-vpc-config --cluster=${name} --region=${region}` +
    ` --private-access=${String(change.endpointPrivateAccess)}` +
    ` --public-access=${String(change.endpointPublicAccess)}${cidrs} --approve`
  );
}

function accepts(file: SourceFile): boolean {
  return (
    hasExtension(file.path, ['.yaml', '.yml']) &&
    /^kind:\s*["']?ClusterConfig\b/m.test(file.text) &&
    /^apiVersion:\s*["']?eksctl\.io\/v1alpha5\b/m.test(file.text)
  );
}

function read(files: readonly SourceFile[]): Promise<FormatReading> {
  return readYamlFiles(files, accepts, definitionsIn);
}

function definitionsIn(source: YamlSource): Definition[] {
  return source.documents.flatMap((document, index) => {
    const root = mapAt(document.contents, []);
    if (!root) return [];
    if (literalString(pairOf(root, 'apiVersion')?.value) !== API_VERSION) return [];
    if (literalString(pairOf(root, 'kind')?.value) !== 'ClusterConfig') return [];
    return [clusterConfigDefinition(source, document, index, root)];
  });
}

function clusterConfigDefinition(
  source: YamlSource,
  document: Document.Parsed,
  index: number,
  root: MapNode,
): Definition {
  const metadataPair = pairOf(root, 'metadata');
  const metadata = mapAt(root, ['metadata']);
  const namePair = metadata ? pairOf(metadata, 'name') : undefined;
  const name = literalString(namePair?.value);
  const region = metadata ? literalString(pairOf(metadata, 'region')?.value) : undefined;
  const address = `ClusterConfig ${name ?? `#${String(index + 1)}`}`;
  const anchor = metadataPair?.key ?? root;
  const context = editContextOf(source, document);
  return {
    location: {
      tool: 'eksctl',
      file: source.file,
      line: source.lines.lineOf(anchor.range[0]),
      address,
    },
    name:
      name !== undefined && namePair?.value && !isTemplatePlaceholder(name)
        ? {
            resolved: true,
            value: name,
            from: {
              tool: 'eksctl',
              file: source.file,
              line: source.lines.lineOf(namePair.value.range[0]),
              address: `${address} metadata.name`,
            },
          }
        : {
            resolved: false,
            reason: !namePair?.value
              ? 'the ClusterConfig has no metadata.name'
              : name !== undefined
                ? `metadata.name is ${name}, a placeholder filled in before eksctl runs`
                : `metadata.name is ${describeNode(source.text, namePair.value)}, not a literal string`,
          },
    ...(region !== undefined ? { region } : {}),
    patch: (target) => patchClusterConfig(context, root, target),
  };
}

function patchClusterConfig(context: EditContext, root: MapNode, target: IacTarget): PatchOutcome {
  const { change } = target;
  // eksctl keeps the two switches under clusterEndpoints, and the allowlist beside it in vpc.
  const [publicAccess, privateAccess, cidrs] = endpointEntries(change, {
    public: 'publicAccess',
    private: 'privateAccess',
    cidrs: 'publicAccessCIDRs',
  });
  const vpcEntries: DesiredEntry[] = [
    {
      key: 'clusterEndpoints',
      value: { kind: 'mapping', entries: [publicAccess!, privateAccess!] },
    },
    ...(cidrs ? [cidrs] : []),
  ];
  const planned = planMappingEdits(context, root, '', [
    { key: 'vpc', value: { kind: 'mapping', entries: vpcEntries } },
  ]);
  if (!planned.ok) return planned;
  const command = eksctlCommand(target.clusterName, target.region, change);
  const notes = [
    `eksctl create cluster applies vpc.clusterEndpoints to new clusters only; bring the running cluster in line with: ${command}`,
  ];
  return { ok: true, edits: planned.edits, changes: planned.changes, notes };
}

/** eksctl's ClusterConfig (eksctl.io/v1alpha5), one definition per document. */
export const eksctlFormat: IacFormat = { tool: 'eksctl', accepts, read };
