/**
 * The smallest TextEdits that give a YAML (or JSON) mapping the values a fix asks for: replace a
 * scalar in place (its quotes kept), replace a sequence in its own style, add missing keys with
 * their siblings' indentation (block mappings) or as `"Key": value,` lines (flow mappings, JSON).
 * Comments and formatting outside the edited values stay byte for byte.
 */
import { isMap, isScalar, isSeq, type ParsedNode } from 'yaml';
import type { EndpointChange } from '../../model/endpoint.js';
import type { TextEdit } from '../types.js';
import { normalizeEdits, type LineIndex } from './text-edits.js';
import {
  describeNode,
  hasLocalTag,
  literalBoolean,
  literalStrings,
  pairOf,
  type MapNode,
  type ScalarNode,
  type SeqNode,
} from './yaml-nodes.js';

/** What a key should hold, and what its absence means to the tool that reads the file. */
export type DesiredValue =
  | { readonly kind: 'boolean'; readonly value: boolean; readonly whenAbsent: boolean }
  | {
      readonly kind: 'strings';
      readonly value: readonly string[];
      /** What the tool uses when the key is absent; undefined: always write the key. */
      readonly whenAbsent?: readonly string[];
    }
  | { readonly kind: 'mapping'; readonly entries: readonly DesiredEntry[] };

export interface DesiredEntry {
  readonly key: string;
  readonly value: DesiredValue;
}

export interface EditContext {
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
  /** Spaces per nesting level, for mappings that have to be created (see indentStepOf). */
  readonly indentStep: number;
  /**
   * A reason when a value is a construct the format must not edit (a CloudFormation intrinsic
   * function), given its dotted path; undefined when the node is an ordinary value.
   */
  readonly opaque?: (node: ParsedNode, path: string) => string | undefined;
}

export interface PlannedEdits {
  readonly edits: readonly TextEdit[];
  /** One line per value set: "ResourcesVpcConfig.EndpointPublicAccess: false". */
  readonly changes: readonly string[];
  /** The dotted paths of the keys that were added (absent before). */
  readonly added: readonly string[];
}

export type PlanResult =
  ({ readonly ok: true } & PlannedEdits) | { readonly ok: false; readonly reason: string };

/**
 * The edits that make `map` (whose dotted path is `path`, '' for a document's root) hold every
 * desired entry. Keys already right are left alone; absent keys whose absence already means the
 * desired value are not added.
 */
export function planMappingEdits(
  context: EditContext,
  map: MapNode,
  path: string,
  entries: readonly DesiredEntry[],
): PlanResult {
  const edits: TextEdit[] = [];
  const changes: string[] = [];
  const added: string[] = [];
  const missing: DesiredEntry[] = [];
  for (const entry of entries) {
    const entryPath = join(path, entry.key);
    const pair = pairOf(map, entry.key);
    if (!pair) {
      const needed = prune(entry);
      if (needed) {
        missing.push(needed);
        changes.push(...describeEntry(path, needed));
        added.push(...addedPaths(path, needed));
      }
      continue;
    }
    const node = pair.value;
    if (!node || (isScalar(node) && node.value === null)) {
      return refuse(context, pair.key, `${entryPath} has no value`);
    }
    const opaque = context.opaque?.(node, entryPath);
    if (opaque) return { ok: false, reason: opaque };
    if (hasLocalTag(node)) {
      return refuse(context, node, `${entryPath} is ${describeNode(context.text, node)}`);
    }
    const outcome = planValue(context, node, entryPath, entry.value);
    if (!outcome.ok) return outcome;
    edits.push(...outcome.edits);
    changes.push(...outcome.changes);
    added.push(...outcome.added);
  }
  if (missing.length > 0) {
    const insertion = insertKeys(context, map, path, missing);
    if ('reason' in insertion) return { ok: false, reason: insertion.reason };
    edits.push(insertion);
  }
  // Sorted, and insertions at one offset joined: the patcher gets non-overlapping edits.
  const eol = lineEndingOf(context.text);
  const written = normalizeEdits(edits).map((edit) => ({
    ...edit,
    text: withLineEnding(edit.text, eol),
  }));
  return { ok: true, edits: written, changes, added };
}

function planValue(
  context: EditContext,
  node: ParsedNode,
  path: string,
  desired: DesiredValue,
): PlanResult {
  switch (desired.kind) {
    case 'boolean': {
      const current = literalBoolean(node);
      if (current === undefined) {
        return refuse(
          context,
          node,
          `${path} is ${describeNode(context.text, node)}, not a literal boolean`,
        );
      }
      if (current === desired.value) return { ok: true, edits: [], changes: [], added: [] };
      return {
        ok: true,
        edits: [replaceScalarEdit(node as ScalarNode, String(desired.value))],
        changes: [`${path}: ${String(desired.value)}`],
        added: [],
      };
    }
    case 'strings': {
      const current = literalStrings(node);
      if (current === undefined) {
        return refuse(
          context,
          node,
          `${path} is ${describeNode(context.text, node)}, not a list of literal strings`,
        );
      }
      if (sameStrings(current, desired.value))
        return { ok: true, edits: [], changes: [], added: [] };
      const edit = replaceSequenceEdit(context, node as SeqNode, desired.value);
      if ('reason' in edit) return refuse(context, node, `${path}: ${edit.reason}`);
      return {
        ok: true,
        edits: [edit],
        changes: [`${path}: ${showList(desired.value)}`],
        added: [],
      };
    }
    case 'mapping': {
      if (!isMap(node)) {
        return refuse(
          context,
          node,
          `${path} is ${describeNode(context.text, node)}, not a mapping`,
        );
      }
      return planMappingEdits(context, node, path, desired.entries);
    }
  }
}

/** Replaces a scalar's text, keeping its quotes: `true` → `false`, `"true"` → `"false"`. */
export function replaceScalarEdit(node: ScalarNode, plain: string): TextEdit {
  const text =
    node.type === 'QUOTE_DOUBLE'
      ? JSON.stringify(plain)
      : node.type === 'QUOTE_SINGLE'
        ? `'${plain.replaceAll("'", "''")}'`
        : plain;
  return { start: node.range[0], end: node.range[1], text };
}

/**
 * Replaces a sequence of scalars in its own style: a block sequence keeps its dash column, a
 * multi-line flow sequence keeps its brackets and item indentation, a one-line flow sequence
 * becomes `["a", "b"]`.
 */
export function replaceSequenceEdit(
  context: Pick<EditContext, 'text' | 'lines'>,
  seq: SeqNode,
  values: readonly string[],
): TextEdit | { readonly reason: string } {
  const { text, lines } = context;
  const eol = lineEndingOf(text);
  const first = seq.items[0];
  const last = seq.items.at(-1);
  if (!seq.flow) {
    if (!first || !last) return { reason: 'an empty block sequence' };
    if (values.length === 0) return { reason: 'cannot write an empty list as a block sequence' };
    const indent = ' '.repeat(lines.columnOf(seq.range[0]));
    return {
      start: seq.range[0],
      end: last.range[1],
      text: values.map((value) => `- ${blockScalar(value)}`).join(`${eol}${indent}`),
    };
  }
  const multiLine = lines.lineOf(seq.range[0]) !== lines.lineOf(seq.range[1]);
  if (multiLine && first && last && values.length > 0) {
    const lineStart = lines.lineStartOf(first.range[0]);
    const before = text.slice(lineStart, first.range[0]);
    const separator = /^[ \t]*$/.test(before) ? `,${eol}${before}` : ', ';
    return {
      start: first.range[0],
      end: last.range[1],
      text: values.map((value) => JSON.stringify(value)).join(separator),
    };
  }
  return { start: seq.range[0], end: seq.range[1], text: flowList(values) };
}

/** The edit that adds keys to a mapping: new lines after its last entry (block) or before its first (flow). */
function insertKeys(
  context: EditContext,
  map: MapNode,
  path: string,
  entries: readonly DesiredEntry[],
): TextEdit | { readonly reason: string } {
  const { text, lines } = context;
  const firstKey = map.items[0]?.key;
  const lastPair = map.items.at(-1);
  if (!firstKey || !lastPair) {
    return {
      reason: `${path || 'the document'} is an empty mapping at ${where(context, map)}; add the keys by hand`,
    };
  }
  const keyStyle = styleOf(firstKey);
  if (map.flow) {
    const lineStart = lines.lineStartOf(firstKey.range[0]);
    const before = text.slice(lineStart, firstKey.range[0]);
    const rendered = entries.map(
      (entry) => `${keyStyle(entry.key)}: ${flowValue(entry.value, keyStyle)}`,
    );
    if (/^[ \t]*$/.test(before)) {
      return {
        start: lineStart,
        end: lineStart,
        text: rendered.map((line) => `${before}${line},\n`).join(''),
      };
    }
    return {
      start: firstKey.range[0],
      end: firstKey.range[0],
      text: rendered.map((r) => `${r}, `).join(''),
    };
  }
  const column = lines.columnOf(firstKey.range[0]);
  const block = entries
    .map((entry) => blockEntry(entry, column, context.indentStep, keyStyle))
    .join('');
  const lastNode = lastPair.value ?? lastPair.key;
  const end = lastNode.range[1];
  if (end > 0 && text[end - 1] === '\n') return { start: end, end, text: block };
  const at = lines.nextLineStartOf(end);
  if (at > 0 && text[at - 1] === '\n') return { start: at, end: at, text: block };
  // The mapping ends the file, with no newline after it: keep it that way.
  return { start: at, end: at, text: `\n${block.replace(/\n$/, '')}` };
}

function blockEntry(
  entry: DesiredEntry,
  column: number,
  step: number,
  keyStyle: (key: string) => string,
): string {
  const indent = ' '.repeat(column);
  const key = keyStyle(entry.key);
  const value = entry.value;
  switch (value.kind) {
    case 'boolean':
      return `${indent}${key}: ${String(value.value)}\n`;
    case 'strings':
      if (value.value.length === 0) return `${indent}${key}: []\n`;
      return (
        `${indent}${key}:\n` +
        value.value.map((item) => `${' '.repeat(column + 2)}- ${blockScalar(item)}\n`).join('')
      );
    case 'mapping':
      return (
        `${indent}${key}:\n` +
        value.entries.map((child) => blockEntry(child, column + step, step, keyStyle)).join('')
      );
  }
}

function flowValue(value: DesiredValue, keyStyle: (key: string) => string): string {
  switch (value.kind) {
    case 'boolean':
      return String(value.value);
    case 'strings':
      return flowList(value.value);
    case 'mapping':
      return `{ ${value.entries.map((e) => `${keyStyle(e.key)}: ${flowValue(e.value, keyStyle)}`).join(', ')} }`;
  }
}

/** Keys are written the way the mapping's first key is: plain, "double" or 'single' quoted. */
function styleOf(sample: ParsedNode): (key: string) => string {
  const type = isScalar(sample) ? sample.type : undefined;
  if (type === 'QUOTE_DOUBLE') return (key) => JSON.stringify(key);
  if (type === 'QUOTE_SINGLE') return (key) => `'${key.replaceAll("'", "''")}'`;
  return (key) => key;
}

const flowList = (values: readonly string[]) =>
  `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;

const SAFE_PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const NOT_A_STRING_WHEN_PLAIN =
  /^(?:true|false|null|yes|no|on|off|y|n|~|[-+.0-9][-+.0-9_eE]*|\.inf|\.nan)$/i;

/** A string for a block context: plain when it reads back as the same string, else double-quoted. */
function blockScalar(value: string): string {
  return SAFE_PLAIN.test(value) && !NOT_A_STRING_WHEN_PLAIN.test(value)
    ? value
    : JSON.stringify(value);
}

/** Only the entries that absence does not already satisfy; undefined when none is needed. */
function prune(entry: DesiredEntry): DesiredEntry | undefined {
  const value = entry.value;
  switch (value.kind) {
    case 'boolean':
      return value.value === value.whenAbsent ? undefined : entry;
    case 'strings':
      return value.whenAbsent && sameStrings(value.value, value.whenAbsent) ? undefined : entry;
    case 'mapping': {
      const entries = value.entries.map(prune).filter((e): e is DesiredEntry => e !== undefined);
      return entries.length > 0
        ? { key: entry.key, value: { kind: 'mapping', entries } }
        : undefined;
    }
  }
}

function describeEntry(path: string, entry: DesiredEntry): string[] {
  const entryPath = join(path, entry.key);
  const value = entry.value;
  switch (value.kind) {
    case 'boolean':
      return [`${entryPath}: ${String(value.value)}`];
    case 'strings':
      return [`${entryPath}: ${showList(value.value)}`];
    case 'mapping':
      return value.entries.flatMap((child) => describeEntry(entryPath, child));
  }
}

function addedPaths(path: string, entry: DesiredEntry): string[] {
  const entryPath = join(path, entry.key);
  return entry.value.kind === 'mapping'
    ? [entryPath, ...entry.value.entries.flatMap((child) => addedPaths(entryPath, child))]
    : [entryPath];
}

/**
 * The document's indentation step: the first nested block mapping's indentation minus its
 * parent's (2 when the document has none).
 */
export function indentStepOf(lines: LineIndex, root: ParsedNode | null): number {
  const visit = (node: ParsedNode | null | undefined): number | undefined => {
    if (isMap(node) && !node.flow) {
      const parentKey = node.items[0]?.key;
      for (const pair of node.items) {
        const value = pair.value;
        const childKey = isMap(value) && !value.flow ? value.items[0]?.key : undefined;
        if (
          parentKey &&
          childKey &&
          lines.lineOf(childKey.range[0]) !== lines.lineOf(parentKey.range[0])
        ) {
          const step = lines.columnOf(childKey.range[0]) - lines.columnOf(parentKey.range[0]);
          if (step > 0) return step;
        }
        const found = visit(value);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const found = visit(item);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(root) ?? 2;
}

/** The file's line ending: new lines are written with it (CRLF files stay CRLF). */
const lineEndingOf = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

const withLineEnding = (text: string, eol: string) =>
  eol === '\n' ? text : text.replace(/\r?\n/g, eol);

const sameStrings = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

const showList = (values: readonly string[]) => `[${values.join(', ')}]`;

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** "file:line" of a node. */
export function where(context: Pick<EditContext, 'file' | 'lines'>, node: ParsedNode): string {
  return `${context.file}:${String(context.lines.lineOf(node.range[0]))}`;
}

function refuse(context: EditContext, node: ParsedNode, what: string): PlanResult {
  return {
    ok: false,
    reason: `${what} (${where(context, node)}); eksposure edits literal values only, so change it by hand`,
  };
}

/**
 * The endpoint settings a change sets, under each tool's own keys, with what an absent key means
 * (AWS's defaults: public on, private off, open to 0.0.0.0/0). The allowlist only when the change
 * sets one.
 */
export function endpointEntries(
  change: EndpointChange,
  keys: { readonly public: string; readonly private: string; readonly cidrs: string },
): DesiredEntry[] {
  const entries: DesiredEntry[] = [
    {
      key: keys.public,
      value: { kind: 'boolean', value: change.endpointPublicAccess, whenAbsent: true },
    },
    {
      key: keys.private,
      value: { kind: 'boolean', value: change.endpointPrivateAccess, whenAbsent: false },
    },
  ];
  if (change.publicAccessCidrs) {
    entries.push({
      key: keys.cidrs,
      value: { kind: 'strings', value: change.publicAccessCidrs, whenAbsent: ['0.0.0.0/0'] },
    });
  }
  return entries;
}

/** The context a document's edits are planned in: its file, and the indentation it uses. */
export function editContextOf(
  source: Pick<EditContext, 'file' | 'text' | 'lines'>,
  document: { readonly contents: ParsedNode | null },
): EditContext {
  return {
    file: source.file,
    text: source.text,
    lines: source.lines,
    indentStep: indentStepOf(source.lines, document.contents),
  };
}
