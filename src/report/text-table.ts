/** How wide text may be: a terminal's columns, or undefined for no limit (a pipe, a file, a CI log). */
export interface TextWidth {
  readonly width?: number | undefined;
}

export interface TableOptions extends TextWidth {
  /** When a row cannot fit on one line, the leading columns kept on its first line (default 1). */
  readonly keyColumns?: number;
}

const GAP = '  ';
/** Narrower than this, a wrapped last column reads worse than a stacked row. */
const MIN_WRAPPED_COLUMN = 24;
/** A stacked row's other cells, on the line under it. */
const STACK_INDENT = '  ';
const STACK_SEPARATOR = ' · ';

/**
 * Pieces a line may break between: at spaces, and (unless `wordsWhole`) after the commas of a long
 * list, then anywhere in a word wider than the line.
 */
function breakable(
  text: string,
  width: number,
  wordsWhole: boolean,
): { text: string; glue: string }[] {
  const pieces: { text: string; glue: string }[] = [];
  for (const [i, word] of text.split(' ').entries()) {
    const glue = i === 0 ? '' : ' ';
    if (wordsWhole || word.length <= width) {
      pieces.push({ text: word, glue });
      continue;
    }
    const segments = word.split(/(?<=,)/);
    segments.forEach((segment, j) => {
      // Only a single token wider than the whole line is cut mid-word.
      for (let k = 0; k < segment.length; k += width) {
        pieces.push({ text: segment.slice(k, k + width), glue: j === 0 && k === 0 ? glue : '' });
      }
    });
  }
  return pieces;
}

/**
 * Greedy word wrap: the first line to `firstWidth` columns, the others to `width` (each at least
 * 1); never splits a word that fits on a line, nor any word with `wordsWhole` (a shell command).
 */
export function wrapText(
  text: string,
  width: number,
  firstWidth = width,
  wordsWhole = false,
): string[] {
  const limits = [Math.max(1, firstWidth), Math.max(1, width)] as const;
  if (text.length <= limits[0]) return [text];
  const lines: string[] = [];
  let line = '';
  for (const piece of breakable(text, Math.min(...limits), wordsWhole)) {
    const limit = lines.length === 0 ? limits[0] : limits[1];
    if (line.length > 0 && line.length + piece.glue.length + piece.text.length > limit) {
      lines.push(line);
      line = piece.text;
    } else {
      line += line.length > 0 ? piece.glue + piece.text : piece.text;
    }
  }
  lines.push(line);
  return lines;
}

/** A line wrapped to the width, keeping its own indent, later lines indented `hang` more. */
export function wrapParagraph(text: string, options: TextWidth, hang = ''): string {
  if (options.width === undefined) return text;
  const lead = /^ */.exec(text)?.[0] ?? '';
  const body = options.width - lead.length;
  return wrapText(text.slice(lead.length), body - hang.length, body)
    .map((line, i) => (i === 0 ? lead + line : lead + hang + line))
    .join('\n');
}

const columnWidths = (rows: readonly (readonly string[])[], count: number) =>
  Array.from({ length: count }, (_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));

function aligned(rows: readonly (readonly string[])[], widths: readonly number[]): string[] {
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join(GAP)
      .trimEnd(),
  );
}

/**
 * Pads rows of cells into aligned columns; the last column is not padded. Given a width it fits:
 * the last column wraps under itself when there is room for it, else each row's key columns stay
 * on one line and its other cells follow, indented, on the next. No cell is shortened.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const all = [header, ...rows];
  const widths = columnWidths(all, header.length);
  const natural = aligned(all, widths);
  const { width } = options;
  if (width === undefined || natural.every((line) => line.length <= width)) {
    return natural.join('\n');
  }

  const lead = widths.slice(0, -1).reduce((sum, w) => sum + w + GAP.length, 0);
  if (width - lead >= MIN_WRAPPED_COLUMN) {
    return all
      .flatMap((row) => {
        const [first = '', ...more] = wrapText(row.at(-1) ?? '', width - lead);
        return [
          aligned([[...row.slice(0, -1), first]], widths)[0] ?? '',
          ...more.map((l) => ' '.repeat(lead) + l),
        ];
      })
      .join('\n');
  }

  const keys = Math.max(1, Math.min(options.keyColumns ?? 1, header.length - 1));
  const keyWidths = widths.slice(0, keys);
  const stacked = (row: readonly string[]) => {
    const rest = row.slice(keys).join(STACK_SEPARATOR);
    const under = wrapText(rest, width - STACK_INDENT.length).map((l) => STACK_INDENT + l);
    return [aligned([row.slice(0, keys)], keyWidths)[0] ?? '', ...under];
  };
  return all.flatMap(stacked).join('\n');
}
