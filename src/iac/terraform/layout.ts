/**
 * Where a new attribute line goes and how it is spaced, so that `terraform fmt -check` still
 * passes and no other line changes. terraform fmt aligns the '=' of consecutive single-line
 * attributes (a blank line, a comment line, a block or a multi-line value ends a run), and the
 * trailing comments of consecutive lines that have one.
 */
import type { TextEdit } from '../types.js';
import type { HclAttribute, HclBlock, Span } from './hcl.js';

/** A file's text and its comments. */
export interface FileText {
  readonly path: string;
  readonly text: string;
  readonly comments: readonly Span[];
}

export interface NewLine {
  readonly name: string;
  readonly value: string;
}

export type Layout =
  { readonly ok: true; readonly edit: TextEdit } | { readonly ok: false; readonly reason: string };

export const lineStart = (text: string, index: number): number =>
  text.lastIndexOf('\n', index - 1) + 1;

/** The index just past the newline that ends index's line. */
export const lineEnd = (text: string, index: number): number => {
  const newline = text.indexOf('\n', index);
  return newline === -1 ? text.length : newline + 1;
};

/** The whitespace before index on its line; undefined when something else comes first. */
export const indentOf = (text: string, index: number): string | undefined => {
  const lead = text.slice(lineStart(text, index), index);
  return /^[ \t]*$/.test(lead) ? lead : undefined;
};

/** The line ending used by the line that holds index. */
export const eolAt = (text: string, index: number): string => {
  const end = lineEnd(text, index);
  return text[end - 2] === '\r' ? '\r\n' : '\n';
};

/** Nothing but blanks and a comment from index to the end of its line. */
const restIsBlank = (text: string, index: number): boolean =>
  /^[ \t]*(?:(?:#|\/\/).*|\/\*.*\*\/[ \t]*)?\r?$/.test(
    text.slice(index, lineEnd(text, index)).replace(/\n$/, ''),
  );

/** Columns up to the end of an attribute's name: what terraform fmt aligns '=' after. */
const nameColumns = (text: string, attribute: HclAttribute): number =>
  attribute.start - lineStart(text, attribute.start) + attribute.name.length;

/**
 * Lines for new attributes of block, after anchor (or first in the block when it has no
 * attribute), indented like their neighbours and aligned like terraform fmt. When a new name is
 * longer than those of the run it would join, fmt would move the '=' of every line of the run:
 * the new lines go after the run instead, behind a blank line, so no other line changes.
 */
export function insertLines(
  file: FileText,
  block: HclBlock,
  anchor: HclAttribute | undefined,
  lines: readonly NewLine[],
): Layout {
  const { text } = file;
  const where = `${file.path}:${block.startRow + 1}`;
  const indent =
    anchor === undefined ? `${indentOf(text, block.start) ?? ''}  ` : indentOf(text, anchor.start);
  const after = anchor?.end ?? block.open + 1;
  if (indent === undefined || !restIsBlank(text, after)) {
    return {
      ok: false,
      reason: `${where}: the block is not written one attribute per line, so eksposure cannot add a line to it`,
    };
  }
  const row = anchor?.endRow ?? block.startRow;
  const single = new Map(
    block.body.attributes
      .filter((attribute) => attribute.startRow === attribute.endRow)
      .map((attribute) => [attribute.startRow, attribute]),
  );
  const runFrom = (first: number, step: 1 | -1): HclAttribute[] => {
    const run: HclAttribute[] = [];
    for (let r = first; single.has(r); r += step) run.push(single.get(r) as HclAttribute);
    return run;
  };
  const above = anchor !== undefined && anchor.startRow === anchor.endRow ? runFrom(row, -1) : [];
  const below = runFrom(row + 1, 1);
  const runWidth = Math.max(0, ...[...above, ...below].map((a) => nameColumns(text, a)));
  const newWidth = indent.length + Math.max(...lines.map((line) => line.name.length));
  const eol = eolAt(text, after);
  const render = (width: number) =>
    lines
      .map(
        ({ name, value }) =>
          `${indent}${name}${' '.repeat(width - indent.length - name.length + 1)}= ${value}${eol}`,
      )
      .join('');
  const at = lineEnd(text, after);
  if (runWidth === 0 || newWidth <= runWidth) {
    return { ok: true, edit: { start: at, end: at, text: render(Math.max(runWidth, newWidth)) } };
  }
  if (below.length === 0)
    return { ok: true, edit: { start: at, end: at, text: eol + render(newWidth) } };
  if (above.length === 0)
    return { ok: true, edit: { start: at, end: at, text: render(newWidth) + eol } };
  const last = below[below.length - 1] as HclAttribute;
  const end = lineEnd(text, last.end);
  return { ok: true, edit: { start: end, end, text: eol + render(newWidth) } };
}

/** A value to write in place of an attribute's value. */
export interface Replacement {
  readonly attribute: HclAttribute;
  readonly value: string;
}

export interface Replaced {
  readonly edits: readonly TextEdit[];
  /** Where terraform fmt would now move the trailing comments of lines left as they are. */
  readonly notes: readonly string[];
}

/**
 * Replace attribute values. A trailing comment on a replaced line goes where terraform fmt puts
 * it: one space after the line, or the column of the run of trailing comments it is in, as the
 * run is after every replacement.
 */
export function replaceValues(file: FileText, replacements: readonly Replacement[]): Replaced {
  const trailing = trailingComments(file);
  const growth = new Map(
    replacements
      .filter(({ attribute }) => attribute.startRow === attribute.endRow)
      .map(({ attribute, value }) => [
        attribute.startRow,
        value.length - (attribute.value.end - attribute.value.start),
      ]),
  );
  const contentEnd = (row: number, grown: boolean) =>
    (trailing.get(row)?.contentEnd ?? 0) + (grown ? (growth.get(row) ?? 0) : 0);
  const widest = (run: readonly number[], grown: boolean) =>
    Math.max(...run.map((row) => contentEnd(row, grown)));
  const edits: TextEdit[] = [];
  const notes = new Set<string>();
  for (const { attribute, value } of replacements) {
    const { start, end } = attribute.value;
    const comment = trailing.get(attribute.startRow);
    if (attribute.startRow !== attribute.endRow || comment === undefined) {
      edits.push({ start, end, text: value });
      continue;
    }
    const run = [...runAround(trailing, attribute.startRow)];
    const width = widest(run, true);
    const spaces = width + 1 - contentEnd(attribute.startRow, true);
    edits.push({ start, end: comment.start, text: value + ' '.repeat(spaces) });
    if (width !== widest(run, false) && run.some((row) => !growth.has(row))) {
      const [first, last] = [Math.min(...run) + 1, Math.max(...run) + 1];
      notes.add(
        `terraform fmt will realign the trailing comments of ${file.path}:${first}-${last}`,
      );
    }
  }
  return { edits, notes: [...notes] };
}

interface TrailingComment {
  readonly start: number;
  /** The column where the line's content before the comment ends. */
  readonly contentEnd: number;
}

/** Rows that end with a comment after some content, as terraform fmt sees them. */
function trailingComments(file: FileText): ReadonlyMap<number, TrailingComment> {
  const rows = new Map<number, TrailingComment>();
  for (const comment of file.comments) {
    const from = lineStart(file.text, comment.start);
    const content = file.text.slice(from, comment.start).replace(/[ \t]+$/, '');
    if (content.trim() !== '' && !rows.has(comment.startRow)) {
      rows.set(comment.startRow, { start: comment.start, contentEnd: content.length });
    }
  }
  return rows;
}

function* runAround(rows: ReadonlyMap<number, unknown>, row: number): Generator<number> {
  let first = row;
  while (rows.has(first - 1)) first -= 1;
  for (let r = first; rows.has(r); r += 1) yield r;
}
