import { type AuditReport } from '../../model/findings.js';

export interface TextSink {
  write(text: string): void;
}

/** Findings are written in batches of about this many characters: few writes, no whole-report string. */
const BATCH_CHARS = 64 * 1024;
const FINDING_INDENT = '    ';

/**
 * The report as `JSON.stringify(report, null, 2)` and a newline, written in pieces: the findings, nearly all of a large report, are
 * serialised a batch at a time, so a 10,000-cluster report is never held as one string (and its
 * copies while it is built) beside the report itself.
 */
export function writeJson(report: AuditReport, out: TextSink): void {
  const { findings, ...head } = report;
  const skeleton = JSON.stringify({ ...head, findings: [] }, null, 2);
  if (findings.length === 0) {
    out.write(`${skeleton}\n`);
    return;
  }
  // The skeleton ends with `"findings": []\n}`: the findings go between the brackets.
  const tail = '[]\n}';
  let batch = `${skeleton.slice(0, -tail.length)}[\n`;
  findings.forEach((finding, i) => {
    const text = JSON.stringify(finding, null, 2).replaceAll('\n', `\n${FINDING_INDENT}`);
    batch += `${i === 0 ? '' : ',\n'}${FINDING_INDENT}${text}`;
    if (batch.length >= BATCH_CHARS) {
      out.write(batch);
      batch = '';
    }
  });
  out.write(`${batch}\n  ]\n}\n`);
}
