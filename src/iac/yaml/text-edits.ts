/**
 * Offsets, 1-based lines and TextEdits over a file's text. Pure: the formats compute edits with
 * these, and tests (and the patcher) apply them.
 */
import type { TextEdit } from '../types.js';

/** Maps string offsets to 1-based lines and back to the start of their line. */
export class LineIndex {
  private readonly starts: readonly number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /** The 1-based line of an offset (an offset past the end is on the last line). */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /** The offset where the line holding `offset` starts. */
  lineStartOf(offset: number): number {
    return this.starts[this.lineOf(offset) - 1] ?? 0;
  }

  /** The offset just after the newline that ends the line holding `offset`; the text's length on the last line. */
  nextLineStartOf(offset: number): number {
    return this.starts[this.lineOf(offset)] ?? this.text.length;
  }

  /** The 0-based column of an offset in its line. */
  columnOf(offset: number): number {
    return offset - this.lineStartOf(offset);
  }
}

/**
 * Sorts edits and joins insertions at the same offset (in the order given), so the result is a
 * list of non-overlapping edits. Throws on edits that overlap: that is a bug in a format.
 */
export function normalizeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => a.edit.start - b.edit.start || a.order - b.order)
    .map(({ edit }) => edit);
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const last = merged.at(-1);
    if (last && last.start === last.end && edit.start === edit.end && last.start === edit.start) {
      merged[merged.length - 1] = { ...last, text: last.text + edit.text };
    } else if (last && edit.start < last.end) {
      throw new Error(
        `overlapping edits at ${String(edit.start)} and [${String(last.start)}, ${String(last.end)})`,
      );
    } else {
      merged.push(edit);
    }
  }
  return merged;
}

/** The text with the edits applied (edits are offsets into the original text). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...normalizeEdits(edits)].reverse()) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}
