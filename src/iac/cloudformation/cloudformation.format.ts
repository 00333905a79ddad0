/**
 * CloudFormation templates, YAML or JSON: every `AWS::EKS::Cluster` resource is a definition, and
 * its fix sets `Properties.ResourcesVpcConfig.EndpointPublicAccess`, `EndpointPrivateAccess` and
 * (allowlist mode) `PublicAccessCidrs`. Values written as intrinsic functions are left to a person.
 */
import { isMap, type ParsedNode } from 'yaml';
import type {
  Definition,
  FormatReading,
  IacFormat,
  IacTarget,
  Location,
  PatchOutcome,
  SourceFile,
} from '../types.js';
import { CLOUDFORMATION_TAGS, intrinsicFunctionOf } from './intrinsic-functions.js';
import {
  endpointEntries,
  indentStepOf,
  planMappingEdits,
  where,
  type EditContext,
} from '../yaml/yaml-edits.js';
import {
  describeNode,
  literalString,
  mapAt,
  pairOf,
  valueOf,
  type MapNode,
} from '../yaml/yaml-nodes.js';
import { hasExtension, readYamlFiles, type YamlSource } from '../yaml/yaml-source.js';

const EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];
const CLUSTER_TYPE = 'AWS::EKS::Cluster';

/** The note a reviewer needs when the patch adds a property that was not in the template. */
export const KEEP_PROPERTIES_NOTE =
  'AWS requires these properties to stay in the template once they were there';

function accepts(file: SourceFile): boolean {
  if (!hasExtension(file.path, EXTENSIONS)) return false;
  if (file.text.includes('AWSTemplateFormatVersion')) return true;
  return (
    /(^|[\s{,])"?Resources"?\s*:/m.test(file.text) && /"?Type"?\s*:\s*["']?AWS::/.test(file.text)
  );
}

function read(files: readonly SourceFile[]): Promise<FormatReading> {
  return readYamlFiles(files, accepts, definitionsIn, { customTags: [...CLOUDFORMATION_TAGS] });
}

function definitionsIn(source: YamlSource): Definition[] {
  const definitions: Definition[] = [];
  for (const document of source.documents) {
    const resources = mapAt(document.contents, ['Resources']);
    if (!resources) continue;
    const indentStep = indentStepOf(source.lines, document.contents);
    for (const pair of resources.items) {
      const logicalId = literalString(pair.key);
      const resource = pair.value;
      if (logicalId === undefined || !isMap(resource)) continue;
      if (literalString(valueOf(resource, 'Type')) !== CLUSTER_TYPE) continue;
      definitions.push(clusterDefinition(source, indentStep, logicalId, pair.key, resource));
    }
  }
  return definitions;
}

function clusterDefinition(
  source: YamlSource,
  indentStep: number,
  logicalId: string,
  keyNode: ParsedNode,
  resource: MapNode,
): Definition {
  const address = `Resources.${logicalId}`;
  const location: Location = {
    tool: 'cloudformation',
    file: source.file,
    line: source.lines.lineOf(keyNode.range[0]),
    address,
  };
  const context: EditContext = {
    file: source.file,
    text: source.text,
    lines: source.lines,
    indentStep,
    opaque: (node, path) => {
      const fn = intrinsicFunctionOf(node);
      if (!fn) return undefined;
      return (
        `${path} is the intrinsic function ${describeNode(source.text, node)} ` +
        `(${where(source, node)}); eksposure edits literal values only, so change it by hand`
      );
    },
  };
  return {
    location,
    logicalId,
    name: nameOf(source, address, resource),
    patch: (target) => patchCluster(context, address, resource, target),
  };
}

function nameOf(source: YamlSource, address: string, resource: MapNode): Definition['name'] {
  const properties = mapAt(resource, ['Properties']);
  const pair = properties ? pairOf(properties, 'Name') : undefined;
  const node = pair?.value;
  if (!pair || !node) {
    return {
      resolved: false,
      reason:
        'Properties.Name is not set (CloudFormation generates one); matched by logical id only',
    };
  }
  const value = literalString(node);
  if (value === undefined || intrinsicFunctionOf(node)) {
    return {
      resolved: false,
      reason: `Name is ${describeNode(source.text, node)}; matched by logical id only`,
    };
  }
  return {
    resolved: true,
    value,
    from: {
      tool: 'cloudformation',
      file: source.file,
      line: source.lines.lineOf(node.range[0]),
      address: `${address}.Properties.Name`,
    },
  };
}

function patchCluster(
  context: EditContext,
  address: string,
  resource: MapNode,
  target: IacTarget,
): PatchOutcome {
  const properties = valueOf(resource, 'Properties');
  const opaqueProperties = properties && context.opaque?.(properties, 'Properties');
  if (opaqueProperties) return { ok: false, reason: opaqueProperties };
  if (!properties || !isMap(properties)) {
    return {
      ok: false,
      reason: `${address} has no Properties mapping (${where(context, resource)})`,
    };
  }
  const vpcPair = pairOf(properties, 'ResourcesVpcConfig');
  const vpcConfig = vpcPair?.value;
  if (!vpcPair || !vpcConfig) {
    return {
      ok: false,
      reason: `${address}.Properties has no ResourcesVpcConfig (${where(context, properties)})`,
    };
  }
  const opaque = context.opaque?.(vpcConfig, 'ResourcesVpcConfig');
  if (opaque) return { ok: false, reason: opaque };
  if (!isMap(vpcConfig)) {
    return {
      ok: false,
      reason: `ResourcesVpcConfig is ${describeNode(context.text, vpcConfig)}, not a mapping (${where(context, vpcConfig)})`,
    };
  }
  const entries = endpointEntries(target.change, {
    public: 'EndpointPublicAccess',
    private: 'EndpointPrivateAccess',
    cidrs: 'PublicAccessCidrs',
  });
  const planned = planMappingEdits(context, vpcConfig, 'ResourcesVpcConfig', entries);
  if (!planned.ok) return planned;
  const notes: string[] = [];
  if (planned.added.length > 0) {
    const added = planned.added.map((path) => path.replace(/^ResourcesVpcConfig\./, ''));
    notes.push(`${KEEP_PROPERTIES_NOTE} (added: ${added.join(', ')}).`);
  }
  if (planned.edits.length === 0) notes.push('The template already has these endpoint settings.');
  return { ok: true, edits: planned.edits, changes: planned.changes, notes };
}

/** CloudFormation templates (YAML with short-form tags, or JSON). */
export const cloudFormationFormat: IacFormat = { tool: 'cloudformation', accepts, read };
