/** `--output` and `--output-file`: which formats go where, checked before any AWS call. */
import { closeSync, openSync, writeSync } from 'node:fs';

import type { FormatContext } from '../../report/formats/context.js';
import {
  REPORT_FORMAT_NAMES,
  type ReportFormatName,
  reportFormatsHelp,
} from '../../report/formats/names.js';
import { CliError } from '../cli-error.js';
import type { OutputStream } from '../deps.js';
import { checkWritableFile, systemErrorCause } from './file-checks.js';
import { type AuditReport } from '../../model/findings.js';

export interface ReportOutputArgs {
  readonly output?: ReportFormatName | readonly ReportFormatName[] | undefined;
  readonly 'output-file'?: string | readonly string[] | undefined;
  readonly 'show-passed'?: boolean;
}

/** The flags, shared by every command that prints an audit report. */
export const reportOutputOptions = {
  output: {
    choices: REPORT_FORMAT_NAMES,
    string: true,
    describe: `Report format, repeatable with one --output-file each (default table). ${reportFormatsHelp()}`,
  },
  'output-file': {
    string: true,
    requiresArg: true,
    describe:
      'Write the report to FILE instead of stdout (a table unless --output names the format); one per --output when several',
  },
  'show-passed': {
    type: 'boolean',
    describe:
      'The table lists passing and suppressed clusters too (by default it sums them up per account and region); other formats always hold every finding',
  },
} as const;

export interface OutputTarget {
  readonly format: ReportFormatName;
  /** null: stdout. */
  readonly file: string | null;
}

const listOf = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];

/**
 * Pairs each --output with its --output-file, in order. One format may go to stdout; several need
 * a file each. Pure: refuses with a CliError, touches no file.
 */
export function pairOutputTargets(args: ReportOutputArgs): OutputTarget[] {
  const formats = listOf(args.output);
  const files = listOf(args['output-file']);
  const chosen = formats.length > 0 ? formats : (['table'] as const);
  if (files.length === 0) {
    if (chosen.length > 1)
      throw new CliError(
        `${chosen.length} --output formats need one --output-file each (only one report can go to stdout); add --output-file FILE after each --output.`,
      );
    return [{ format: chosen[0]!, file: null }];
  }
  if (files.length !== chosen.length)
    throw new CliError(
      `${chosen.length} --output format${chosen.length === 1 ? '' : 's'} but ${files.length} --output-file: give one --output-file per --output, in the same order.`,
    );
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file))
      throw new CliError(`--output-file ${file} is named twice; give each format its own file.`);
    seen.add(file);
  }
  return chosen.map((format, i) => ({ format, file: files[i]! }));
}

/** The targets of the flags, each file checked writable: one line and exit 2 before any AWS call. */
export function resolveOutputTargets(args: ReportOutputArgs): OutputTarget[] {
  const targets = pairOutputTargets(args);
  for (const t of targets) checkWritableFile('--output-file', t.file ?? undefined);
  return targets;
}

/** Writes the report in each target's format: files first, then stdout. */
export async function writeReportOutputs(
  report: AuditReport,
  targets: readonly OutputTarget[],
  stdout: OutputStream,
  context: Omit<FormatContext, 'width'>,
): Promise<void> {
  const { REPORT_WRITERS } = await import('../../report/formats/registry.js');
  for (const target of targets) {
    const write = REPORT_WRITERS[target.format];
    if (target.file === null) {
      write(report, stdout, { ...context, width: stdout.columns });
      continue;
    }
    let fd: number | undefined;
    try {
      fd = openSync(target.file, 'w');
      const out = fd;
      write(report, { write: (text) => void writeSync(out, text) }, context);
    } catch (error) {
      throw new CliError(
        `--output-file ${target.file}: could not write the ${target.format} report: ${systemErrorCause(error)}.`,
      );
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
