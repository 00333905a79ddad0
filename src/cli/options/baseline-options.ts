/** `--baseline` and `--fail-on-new`: what changed since an earlier report, read before any AWS call. */
import { readFileSync } from 'node:fs';
import type { Options } from 'yargs';
import { readBaselineReport } from '../../audit/baseline.js';
import type { AuditReport } from '../../model/findings.js';
import { CliError } from '../cli-error.js';
import { systemErrorCause } from './file-checks.js';

export const baselineOptions = {
  baseline: {
    type: 'string',
    requiresArg: true,
    describe:
      'An earlier audit report (--output json, any 2.x; a merged one too): mark each finding new, changed or unchanged and list those resolved since',
  },
  'fail-on-new': {
    type: 'boolean',
    implies: 'baseline',
    describe:
      'Exit 1 only for a FAIL (at the --fail-on level) that is new since --baseline: not FAIL in it; incomplete still exits 3',
  },
} as const satisfies Record<string, Options>;

export interface BaselineArgs {
  readonly baseline?: string;
  readonly 'fail-on-new'?: boolean;
}

export interface LoadedBaseline {
  readonly file: string;
  readonly report: AuditReport;
}

/**
 * The --baseline report, read and checked: a file that cannot be read, does not parse, is not an
 * eksposure audit report or has another major version is one line naming it, exit 2.
 */
export function loadBaseline(args: BaselineArgs): LoadedBaseline | null {
  const file = args.baseline;
  if (file === undefined) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `--baseline ${file}: cannot read it: ${systemErrorCause(error)}; name the JSON report of an earlier run.`,
    );
  }
  const read = readBaselineReport(text);
  if (!read.ok)
    throw new CliError(
      `--baseline ${file} ${read.problem}; name the report an earlier eksposure audit --output json wrote.`,
    );
  return { file, report: read.report };
}
