/**
 * CloudFormation's intrinsic functions: the YAML short tags (registered so templates parse without
 * warnings; nodes keep the tag as written) and the recognition of both forms, `!If [...]` and
 * `{"Fn::If": [...]}`, in values eksposure would otherwise edit.
 */
import { isMap, isScalar, type CollectionTag, type ParsedNode, type ScalarTag } from 'yaml';
import { hasLocalTag } from '../yaml/yaml-nodes.js';

/** The short forms CloudFormation's YAML accepts (`!GetAtt`, `!Ref`, ...). */
export const SHORT_FORM_FUNCTIONS = [
  'And',
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Ref',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'ForEach',
  'Length',
  'ToJsonString',
] as const;

/**
 * One tag per function and node kind: a scalar (`!Ref Subnets`), a sequence (`!If [a, b, c]`) or a
 * mapping (`!Transform {Name: ...}`). The parsed node keeps its tag and its source text.
 */
export const CLOUDFORMATION_TAGS: readonly (ScalarTag | CollectionTag)[] =
  SHORT_FORM_FUNCTIONS.flatMap((name) => {
    const tag = `!${name}`;
    const scalar: ScalarTag = { tag, resolve: (value: string) => value };
    const seq: CollectionTag = { tag, collection: 'seq' };
    const map: CollectionTag = { tag, collection: 'map' };
    return [scalar, seq, map];
  });

/**
 * The intrinsic function a node is, as written (`!If`, `Fn::If`, `Ref`), or undefined for a
 * literal value.
 */
export function intrinsicFunctionOf(node: ParsedNode): string | undefined {
  if (hasLocalTag(node)) return String(node.tag);
  if (isMap(node) && node.items.length === 1) {
    const key = node.items[0]?.key;
    const name = isScalar(key) && typeof key.value === 'string' ? key.value : undefined;
    if (name === 'Ref' || name === 'Condition' || name?.startsWith('Fn::')) return name;
  }
  return undefined;
}
