/** Edits to files, as one unified diff that `git apply` (or `patch -p1`) applies. Pure. */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { SourceFile, TextEdit } from './types.js';

/** The text with the edits made; throws on edits that overlap (a bug in a format, never input). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at || edit.end < edit.start || edit.end > text.length) {
      throw new RangeError(`overlapping or out-of-range edit at ${edit.start}..${edit.end}`);
    }
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}

/**
 * One diff for every changed file, in path order. Paths are the files' own (relative to the
 * working directory), under git's a/ and b/ prefixes, so `git apply` run there applies it.
 */
export function unifiedDiff(changes: readonly { file: SourceFile; after: string }[]): string {
  return [...changes]
    .filter((c) => c.after !== c.file.text)
    .sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0))
    .map(({ file, after }) =>
      createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.text, after, '', '', {
        context: 3,
        headerOptions: FILE_HEADERS_ONLY,
      }),
    )
    .join('');
}
