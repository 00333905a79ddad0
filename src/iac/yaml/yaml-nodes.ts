/** Finding nodes in a parsed YAML document and reading their literal values. */
import {
  isMap,
  isScalar,
  isSeq,
  type Pair,
  type ParsedNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

export type MapNode = YAMLMap.Parsed;
export type SeqNode = YAMLSeq.Parsed;
export type ScalarNode = Scalar.Parsed;
export type MapPair = Pair<ParsedNode, ParsedNode | null>;

/** A mapping's pair whose key is the plain string `key`. */
export function pairOf(map: MapNode, key: string): MapPair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
}

/** The value node under `key` in a mapping (undefined when the key is absent or has no value). */
export function valueOf(map: MapNode, key: string): ParsedNode | undefined {
  return pairOf(map, key)?.value ?? undefined;
}

/** The node at a path of keys (strings) and sequence indices (numbers), or undefined. */
export function nodeAt(
  node: ParsedNode | null | undefined,
  path: readonly (string | number)[],
): ParsedNode | undefined {
  let current: ParsedNode | null | undefined = node;
  for (const step of path) {
    if (typeof step === 'number') current = isSeq(current) ? current.items[step] : undefined;
    else current = isMap(current) ? valueOf(current, step) : undefined;
    if (!current) return undefined;
  }
  return current ?? undefined;
}

/** The mapping at a path, or undefined when it is absent or not a mapping. */
export function mapAt(
  node: ParsedNode | null | undefined,
  path: readonly (string | number)[],
): MapNode | undefined {
  const found = nodeAt(node, path);
  return isMap(found) ? found : undefined;
}

/** Whether a node carries a local tag (!Ref, !Sub, ...): its value is not what it says literally. */
export function hasLocalTag(node: ParsedNode): boolean {
  return typeof node.tag === 'string' && node.tag.startsWith('!');
}

/** A string written literally (no local tag), else undefined. Numbers are not names. */
export function literalString(node: ParsedNode | null | undefined): string | undefined {
  if (!isScalar(node) || hasLocalTag(node as ParsedNode)) return undefined;
  return typeof node.value === 'string' ? node.value : undefined;
}

const YAML_11_TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON)$/;
const YAML_11_FALSE = /^(?:n|N|no|No|NO|off|Off|OFF)$/;

/**
 * A boolean written literally, else undefined: true/false, the quoted strings "true"/"false"
 * (CloudFormation takes them), and YAML 1.1's plain yes/no/on/off (Go's YAML reads them so).
 */
export function literalBoolean(node: ParsedNode | null | undefined): boolean | undefined {
  if (!isScalar(node) || hasLocalTag(node as ParsedNode)) return undefined;
  const value: unknown = node.value;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  if (node.type === 'PLAIN' && YAML_11_TRUE.test(value)) return true;
  if (node.type === 'PLAIN' && YAML_11_FALSE.test(value)) return false;
  return undefined;
}

/** A sequence of literal strings, else undefined. */
export function literalStrings(node: ParsedNode | null | undefined): string[] | undefined {
  if (!isSeq(node) || hasLocalTag(node as ParsedNode)) return undefined;
  const values: string[] = [];
  for (const item of node.items) {
    const value = literalString(item);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/**
 * The node as written, on one line and shortened, for reasons: `!Sub "${AWS::StackName}-eks"`,
 * `{"Fn::Sub": "${AWS::StackName}-cluster"}`. A node's range leaves out its tag, so the tag is put back.
 */
export function describeNode(text: string, node: ParsedNode, maxLength = 80): string {
  const written = text.slice(node.range[0], node.range[1]).replace(/\s+/g, ' ').trim();
  const tagged = hasLocalTag(node) ? `${String(node.tag)} ${written}`.trim() : written;
  return tagged.length > maxLength ? `${tagged.slice(0, maxLength - 3)}...` : tagged;
}

/** A value still to be filled in by envsubst (`${NAME}`) or a template engine (`{{ .Values.name }}`). */
export function isTemplatePlaceholder(value: string): boolean {
  return /\$\{[^}]*\}|\{\{[^}]*\}\}/.test(value);
}
