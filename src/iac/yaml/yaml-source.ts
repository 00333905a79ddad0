/**
 * YAML (and JSON, which is YAML 1.2) parsed with positions: every node keeps its offsets into the
 * text, so formats read values and compute edits without ever re-stringifying a document.
 */
import { parseAllDocuments, type Document, type Tags } from 'yaml';
import type { Definition, FormatReading, ParseFailure, SourceFile } from '../types.js';
import { LineIndex } from './text-edits.js';

/** One file's documents, with the line index that turns their offsets into lines. */
export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly documents: readonly Document.Parsed[];
}

export interface YamlParseOptions {
  /** Local tags (CloudFormation's !Ref, !Sub, ...) to accept without a warning. */
  readonly customTags?: Tags;
}

/**
 * Every document of a file, or the first error as a ParseFailure (1-based line). A file with an
 * error in any document is not read at all: document boundaries after an error are not reliable.
 */
export function parseYamlSource(
  file: SourceFile,
  options: YamlParseOptions = {},
):
  | { readonly ok: true; readonly source: YamlSource }
  | { readonly ok: false; readonly failure: ParseFailure } {
  const lines = new LineIndex(file.text);
  const documents = parseAllDocuments(file.text, {
    ...(options.customTags ? { customTags: options.customTags } : {}),
    keepSourceTokens: true,
  });
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      return {
        ok: false,
        failure: {
          file: file.path,
          line: lines.lineOf(error.pos[0]),
          message: firstLineOf(error.message),
        },
      };
    }
  }
  return { ok: true, source: { file: file.path, text: file.text, lines, documents } };
}

/** yaml's messages carry a source excerpt after the first line ("...column 1:"); the report wants one line. */
const firstLineOf = (message: string) =>
  (message.split('\n')[0] ?? message).trim().replace(/:$/, '');

/** Whether a path ends with one of the extensions (compared case-insensitively). */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const lower = path.toLowerCase();
  return extensions.some((extension) => lower.endsWith(extension));
}

/**
 * A YAML format's read(): each file it accepts parsed (documents and all), its definitions
 * collected; a file that does not parse is one failure, and the others are still read.
 */
export function readYamlFiles(
  files: readonly SourceFile[],
  accepts: (file: SourceFile) => boolean,
  definitionsIn: (source: YamlSource) => Definition[],
  options?: YamlParseOptions,
): Promise<FormatReading> {
  const definitions: Definition[] = [];
  const failures: ParseFailure[] = [];
  for (const file of files.filter(accepts)) {
    const parsed = parseYamlSource(file, options);
    if (!parsed.ok) failures.push(parsed.failure);
    else definitions.push(...definitionsIn(parsed.source));
  }
  return Promise.resolve({ definitions, failures });
}
