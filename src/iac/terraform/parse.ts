/**
 * Terraform files parsed with the tree-sitter grammar of @tree-sitter-grammars/tree-sitter-hcl
 * (its terraform dialect) and turned into the plain values of ./hcl.ts. The grammar is loaded once,
 * on first use. The tree is freed as soon as it has been read: nothing here keeps wasm memory.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, type Node } from 'web-tree-sitter';
import {
  unescapeHcl,
  type HclAttribute,
  type HclBlock,
  type HclBody,
  type HclExpression,
  type HclValue,
  type Span,
} from './hcl.js';

export type ParsedHcl =
  | { readonly ok: true; readonly body: HclBody; readonly comments: readonly Span[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

export interface HclParser {
  /** What tree-sitter's offsets count; they are turned into string indices either way. */
  readonly indexUnit: IndexUnit;
  parse(text: string): ParsedHcl;
}

/**
 * The unit of tree-sitter's startIndex/endIndex for a JavaScript string. web-tree-sitter 0.27 parses
 * a string as UTF-16 and reports UTF-16 code unit offsets, i.e. JavaScript string indices; older
 * releases reported UTF-8 byte offsets. It is checked once, at load, so an upgrade cannot shift
 * every edit silently.
 */
export type IndexUnit = 'utf16' | 'utf8';

let loading: Promise<HclParser> | undefined;

/** The parser, loaded once; a failed load is retried by the next call. */
export function loadHclParser(): Promise<HclParser> {
  loading ??= createHclParser().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * A wasm file: the copy the build puts in dist/wasm/ (the bundle runs without node_modules, as in
 * the Docker image), else the package's own (the sources, under jest).
 */
function wasmFile(packagePath: string): string {
  const shipped = fileURLToPath(new URL(`../wasm/${basename(packagePath)}`, import.meta.url));
  return existsSync(shipped) ? shipped : createRequire(import.meta.url).resolve(packagePath);
}

async function createHclParser(): Promise<HclParser> {
  const runtime = wasmFile('web-tree-sitter/web-tree-sitter.wasm');
  const grammar = wasmFile('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
  await Parser.init({ locateFile: () => runtime });
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammar));
  const indexUnit = indexUnitOf(parser);
  return { indexUnit, parse: (text) => parseWith(parser, indexUnit, text) };
}

/** '# é\n' is 4 UTF-16 code units and 5 UTF-8 bytes: where the attribute after it starts says which. */
function indexUnitOf(parser: Parser): IndexUnit {
  const tree = parser.parse('# é\nx = 1\n');
  try {
    const start = tree?.rootNode.descendantsOfType('attribute')[0]?.startIndex;
    if (start === 4) return 'utf16';
    if (start === 5) return 'utf8';
    throw new Error(`web-tree-sitter reports offsets in an unknown unit (${String(start)})`);
  } finally {
    tree?.delete();
  }
}

function parseWith(parser: Parser, unit: IndexUnit, text: string): ParsedHcl {
  const tree = parser.parse(text);
  if (tree === null) return { ok: false, line: 1, message: 'the parser returned no tree' };
  try {
    const root = tree.rootNode;
    if (root.hasError) return syntaxError(root);
    const reader = new TreeReader(text, offsetsIn(text, unit));
    const body = root.namedChildren.find((child) => child.type === 'body');
    return {
      ok: true,
      body: body === undefined ? { attributes: [], blocks: [] } : reader.body(body),
      comments: root.descendantsOfType('comment').map((comment) => reader.span(comment)),
    };
  } finally {
    tree.delete();
  }
}

/** The first ERROR or MISSING node, in document order, as a 1-based line and a message. */
function syntaxError(root: Node): ParsedHcl {
  const first = firstErrorNode(root) ?? root;
  const line = first.startPosition.row + 1;
  if (first.isMissing) return { ok: false, line, message: `syntax error: missing ${first.type}` };
  const excerpt = first.text.split('\n')[0]?.trim().slice(0, 40) ?? '';
  return {
    ok: false,
    line,
    message: excerpt === '' ? 'syntax error' : `syntax error near "${excerpt}"`,
  };
}

function firstErrorNode(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    const found = firstErrorNode(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Tree-sitter offsets to JavaScript string indices. */
export function offsetsIn(text: string, unit: IndexUnit): (index: number) => number {
  if (unit === 'utf16') return (index) => index;
  const byteToIndex = new Map<number, number>();
  let bytes = 0;
  let index = 0;
  for (const character of text) {
    byteToIndex.set(bytes, index);
    bytes += Buffer.byteLength(character);
    index += character.length;
  }
  byteToIndex.set(bytes, index);
  return (offset) => byteToIndex.get(offset) ?? index;
}

class TreeReader {
  constructor(
    private readonly text: string,
    private readonly offset: (index: number) => number,
  ) {}

  body(node: Node): HclBody {
    const attributes: HclAttribute[] = [];
    const blocks: HclBlock[] = [];
    for (const child of node.namedChildren) {
      if (child.type === 'attribute') attributes.push(this.attribute(child));
      if (child.type === 'block') blocks.push(this.block(child));
    }
    return { attributes, blocks };
  }

  span(node: Node): Span {
    const start = this.offset(node.startIndex);
    const end = this.offset(node.endIndex);
    return { start, end, startRow: node.startPosition.row, endRow: node.endPosition.row };
  }

  private attribute(node: Node): HclAttribute {
    const name = node.namedChildren.find((child) => child.type === 'identifier');
    const value = node.namedChildren.find((child) => child.type === 'expression');
    return {
      ...this.span(node),
      name: name?.text ?? '',
      value: value === undefined ? this.other(node) : this.expression(value),
    };
  }

  private block(node: Node): HclBlock {
    const children = node.namedChildren;
    const type = children.find((child) => child.type === 'identifier')?.text ?? '';
    const labels = children
      .slice(1)
      .filter((child) => child.type === 'string_lit' || child.type === 'identifier')
      .map((label) => (label.type === 'string_lit' ? this.stringLit(label) : label.text));
    const open = children.find((child) => child.type === 'block_start');
    const close = children.find((child) => child.type === 'block_end');
    const body = children.find((child) => child.type === 'body');
    return {
      ...this.span(node),
      type,
      labels,
      open: this.offset(open?.startIndex ?? node.startIndex),
      close: this.offset(close?.startIndex ?? node.endIndex),
      body: body === undefined ? { attributes: [], blocks: [] } : this.body(body),
    };
  }

  private stringLit(node: Node): string {
    const literal = node.namedChildren.find((child) => child.type === 'template_literal');
    return literal === undefined ? '' : unescapeHcl(this.textOf(literal));
  }

  private textOf(node: Node): string {
    return this.text.slice(this.offset(node.startIndex), this.offset(node.endIndex));
  }

  private other(node: Node): HclExpression {
    return { ...this.span(node), text: this.textOf(node), kind: 'other' };
  }

  private expression(node: Node): HclExpression {
    return { ...this.span(node), text: this.textOf(node), ...this.valueOf(node) };
  }

  private valueOf(node: Node): HclValue {
    const children = node.namedChildren;
    const [first] = children;
    if (first === undefined) return { kind: 'other' };
    if (children.length === 1) {
      if (first.type === 'expression') return this.valueOf(first); // (parenthesised)
      if (first.type === 'literal_value') return this.literal(first);
      if (first.type === 'collection_value') return this.collection(first);
      if (first.type === 'function_call') return this.call(first);
      if (first.type === 'template_expr') return { kind: 'template' };
    }
    if (first.type === 'variable_expr' && children.slice(1).every((c) => c.type === 'get_attr')) {
      return {
        kind: 'reference',
        root: first.text,
        path: children.slice(1).map((attr) => attr.lastNamedChild?.text ?? ''),
      };
    }
    return { kind: 'other' };
  }

  private literal(node: Node): HclValue {
    const inner = node.firstNamedChild;
    switch (inner?.type) {
      case 'string_lit':
        return { kind: 'string', value: this.stringLit(inner) };
      case 'bool_lit':
        return { kind: 'bool', value: inner.text === 'true' };
      case 'numeric_lit':
        return { kind: 'number', value: inner.text };
      case 'null_lit':
        return { kind: 'null' };
      default:
        return { kind: 'other' };
    }
  }

  private collection(node: Node): HclValue {
    const tuple = node.firstNamedChild;
    if (tuple?.type !== 'tuple') return { kind: 'other' };
    const items = tuple.namedChildren.filter((child) => child.type === 'expression');
    return { kind: 'tuple', items: items.map((item) => this.expression(item)) };
  }

  private call(node: Node): HclValue {
    const name = node.namedChildren.find((child) => child.type === 'identifier')?.text ?? '';
    const args = node.namedChildren.find((child) => child.type === 'function_arguments');
    const expressions = args?.namedChildren.filter((child) => child.type === 'expression') ?? [];
    return { kind: 'call', name, args: expressions.map((arg) => this.expression(arg)) };
  }
}
