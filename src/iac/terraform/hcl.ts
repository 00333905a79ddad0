/**
 * The part of an HCL file that the Terraform format reads, as plain values: blocks, attributes and
 * the few kinds of expression eksposure understands. Offsets are JavaScript string indices into the
 * file's text; rows are 0-based. Nothing here holds on to a tree-sitter tree.
 */

/** Where a piece of syntax is: text[start, end), on rows startRow..endRow (0-based). */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly startRow: number;
  readonly endRow: number;
}

/** What an expression is, as far as eksposure reads it; anything else is 'other'. */
export type HclValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'tuple'; readonly items: readonly HclExpression[] }
  /** var.x, local.x, each.key, count.index, module.vpc.vpc_id: a name and its attribute path. */
  | { readonly kind: 'reference'; readonly root: string; readonly path: readonly string[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly HclExpression[] }
  /** A quoted string with interpolations or directives ("${local.prefix}-eks"). */
  | { readonly kind: 'template' }
  | { readonly kind: 'other' };

export type HclExpression = HclValue & Span & { readonly text: string };

export interface HclAttribute extends Span {
  readonly name: string;
  readonly value: HclExpression;
}

export interface HclBody {
  readonly attributes: readonly HclAttribute[];
  readonly blocks: readonly HclBlock[];
}

export interface HclBlock extends Span {
  readonly type: string;
  readonly labels: readonly string[];
  /** Offsets of the block's '{' and '}'. */
  readonly open: number;
  readonly close: number;
  readonly body: HclBody;
}

export const findAttribute = (body: HclBody, name: string): HclAttribute | undefined =>
  body.attributes.find((attribute) => attribute.name === name);

export const findBlocks = (body: HclBody, type: string): readonly HclBlock[] =>
  body.blocks.filter((block) => block.type === type);

/** The string an expression holds when it is a literal string, else undefined. */
export const literalString = (expression: HclExpression | undefined): string | undefined =>
  expression?.kind === 'string' ? expression.value : undefined;

/** A literal bool; "true" and "false" count too, since Terraform converts them. */
export function literalBool(expression: HclExpression): boolean | undefined {
  if (expression.kind === 'bool') return expression.value;
  if (
    expression.kind === 'string' &&
    (expression.value === 'true' || expression.value === 'false')
  ) {
    return expression.value === 'true';
  }
  return undefined;
}

/** A tuple of literal strings, else undefined. */
export function literalStrings(expression: HclExpression): readonly string[] | undefined {
  if (expression.kind !== 'tuple') return undefined;
  const values = expression.items.map(literalString);
  return values.every((value) => value !== undefined) ? values : undefined;
}

/** A JavaScript string as an HCL quoted string. */
export const quoteHcl = (value: string): string =>
  `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, '$${')
    .replace(/%\{/g, '%%{')}"`;

/** A list of strings on one line, as terraform fmt leaves it: ["10.0.0.0/8", "192.0.2.10/32"]. */
export const hclList = (values: readonly string[]): string =>
  `[${values.map(quoteHcl).join(', ')}]`;

/** Decode the escapes of a quoted string's literal text. */
export const unescapeHcl = (raw: string): string =>
  raw.replace(
    /\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{/gs,
    (match, u4?: string, u8?: string, single?: string) => {
      if (match === '$${') return '${';
      if (match === '%%{') return '%{';
      const hex = u4 ?? u8;
      if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      return single === undefined ? match : (simple[single] ?? match);
    },
  );

/** An expression on one line, for a sentence. */
export const oneLine = (text: string): string => {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
};
