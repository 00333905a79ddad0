import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { compareWithBaseline } from '../../../../src/audit/baseline.js';
import { formatAsff } from '../../../../src/report/formats/asff.format.js';
import { CSV_COLUMNS, formatCsv } from '../../../../src/report/formats/csv.format.js';
import { formatHtml } from '../../../../src/report/formats/html.format.js';
import { writeJson } from '../../../../src/report/formats/json.format.js';
import { formatJunit } from '../../../../src/report/formats/junit.format.js';
import { formatMarkdown } from '../../../../src/report/formats/markdown.format.js';
import { formatOcsf } from '../../../../src/report/formats/ocsf.format.js';
import { formatTable } from '../../../../src/report/formats/table.format.js';
import type { AuditReport } from '../../../../src/model/findings.js';
import {
  SAMPLE_RULES,
  sampleFinding,
  sampleFindings,
  sampleReport,
} from '../../../support/sample-report.js';
import { schemaErrors } from '../../../support/schema.js';

const context = { rules: SAMPLE_RULES };

/**
 * The sample report against a baseline of the day before: payments-prod passed then (new now),
 * billing failed then (resolved now), deleted-open is gone from a region read completely
 * (resolved), and hidden-open is in ap-south-1, which could not be read now (not rescanned).
 */
function compared(): AuditReport {
  const now = sampleReport();
  const before = sampleReport([
    ...sampleFindings().map((f) =>
      f.clusterName === 'payments-prod'
        ? { ...f, status: 'PASS' as const }
        : f.clusterName === 'billing'
          ? { ...f, status: 'FAIL' as const }
          : f,
    ),
    sampleFinding({ clusterName: 'deleted-open', status: 'FAIL' }),
    sampleFinding({ clusterName: 'hidden-open', status: 'FAIL', region: 'ap-south-1' }),
  ]);
  return compareWithBaseline(
    now,
    { ...before, finishedAt: '2026-11-24T10:00:02.500Z' },
    'yesterday.json',
  );
}

const report = compared();

describe('the table with a baseline', () => {
  const text = formatTable(report);
  const lines = text.split('\n');
  const at = (needle: string) => lines.findIndex((l) => l.includes(needle));

  it('says the baseline’s date and counts, then the new findings and the resolved ones, first', () => {
    expect(text).toContain(
      'Since the baseline of 2026-11-24 10:00:02 UTC (yesterday.json): 1 new, 2 resolved, 0 changed, 5 unchanged, 1 not rescanned, 0 out of scope; the baseline itself was incomplete.',
    );
    expect(at('New since the baseline (1):')).toBeGreaterThan(0);
    expect(lines[at('New since the baseline') + 2]).toMatch(
      /^FAIL\s+111111111111\s+us-east-1\s+payments-prod/,
    );
    expect(at('Resolved since the baseline (2):')).toBeGreaterThan(at('New since the baseline'));
    expect(text).toMatch(/FAIL\s+111111111111\s+us-east-1\s+billing\s+PASS now/);
    expect(text).toMatch(/FAIL\s+111111111111\s+us-east-1\s+deleted-open\s+cluster gone/);
    expect(text).toMatch(
      /FAIL\s+111111111111\s+ap-south-1\s+hidden-open\s+the region could not be read/,
    );
    // What still needs action follows, each row with its change.
    expect(at('Account 111111111111')).toBeGreaterThan(at('Resolved since the baseline'));
    expect(text).toMatch(/^FAIL\s+us-east-1\s+legacy\s+unchanged/m);
  });

  it('lists a new finding once, above, not again among the others', () => {
    expect(lines.filter((l) => l.includes('payments-prod'))).toHaveLength(1);
  });

  it('says what --fail-on-new makes of the run', () => {
    const complete = { ...report, complete: true };
    expect(formatTable(complete, { failOnNew: true })).toContain(
      'Exit 1: clusters FAIL that did not FAIL in the baseline.',
    );
    const noneNew = {
      ...complete,
      findings: complete.findings.map((f) => ({ ...f, change: 'unchanged' as const })),
    };
    expect(formatTable(noneNew, { failOnNew: true })).toContain(
      'Exit 0: no new FAIL since the baseline (--fail-on-new).',
    );
  });
});

describe('the table by default: what needs action, the passing clusters summed up', () => {
  const plain = sampleReport();

  it('lists FAIL and ERROR, leaves PASS and SUPPRESSED rows out and sums them up per account and region', () => {
    const text = formatTable(plain);
    expect(text).not.toMatch(/^PASS\s/m);
    expect(text).not.toMatch(/^SUPPRESSED\s/m);
    expect(text).toMatch(/^FAIL\s+us-east-1\s+legacy/m);
    expect(text).toMatch(/^ERROR\s+us-east-1\s+broken/m);
    expect(text).toContain(
      'Not listed: 2 PASS and 1 SUPPRESSED (clusters), per account and region: 111111111111 us-east-1 (2), 222222222222 eu-west-1 (1). --show-passed lists them.',
    );
    // The suppressed finding stays in the exemptions table: who accepted what, until when.
    expect(text).toMatch(/us-east-1\s+sandbox-demo\s+EKS-001\s+exemptions\[/);
  });

  it('lists every cluster with showPassed, passing first as before', () => {
    const text = formatTable(plain, { showPassed: true });
    expect(text).toMatch(/^PASS\s+us-east-1\s+billing/m);
    expect(text).toMatch(/^SUPPRESSED\s+us-east-1\s+sandbox-demo/m);
    expect(text).not.toContain('Not listed');
  });

  it('says so when nothing needs action', () => {
    const clean = sampleReport([sampleFinding({ clusterName: 'fine' })]);
    expect(formatTable(clean)).toContain('No cluster FAILs or could not be read.');
  });
});

describe('the machine-readable formats carry the change', () => {
  it('json: on each finding, and the baseline section, valid against the schema', () => {
    let text = '';
    writeJson({ ...report, schemaVersion: '2.4.0' }, { write: (t) => void (text += t) });
    const json = JSON.parse(text) as AuditReport;
    expect(json.findings.find((f) => f.clusterName === 'payments-prod')?.change).toBe('new');
    expect(json.baseline?.summary.resolved).toBe(2);
    // The sample's exemptions lack their index (a report before 2.0.0): the rest is valid.
    const errors = schemaErrors('audit-report.schema.json', json);
    expect(errors.filter((e) => !/^\/findings\/\d+\/exemption /.test(e))).toEqual([]);
  });

  it('csv: a change column, last', () => {
    const rows = parseCsv<Record<(typeof CSV_COLUMNS)[number], string>>(formatCsv(report), {
      columns: true,
    });
    expect(CSV_COLUMNS.at(-1)).toBe('change');
    expect(rows.find((r) => r.clusterName === 'payments-prod')?.change).toBe('new');
    expect(rows.find((r) => r.clusterName === 'billing')?.change).toBe('resolved');
    expect(formatCsv(sampleReport()).split('\r\n')[1]?.endsWith(',')).toBe(true);
  });

  it('junit: a property of each test case', () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(formatJunit(report)) as {
      testsuites: { testsuite: { testcase: unknown }[] };
    };
    const cases = xml.testsuites.testsuite.flatMap((s) => [s.testcase].flat()) as {
      '@_name': string;
      properties?: { property: { '@_value': string } };
    }[];
    const change = (name: string) =>
      cases.find((c) => c['@_name'] === `EKS-001 ${name}`)?.properties?.property['@_value'];
    expect(change('payments-prod')).toBe('new');
    expect(change('legacy')).toBe('unchanged');
  });

  it('asff: a ProductFields entry, still valid', () => {
    const findings = JSON.parse(formatAsff(report, context)) as {
      ProductFields: Record<string, string>;
    }[];
    expect(findings.map((f) => f.ProductFields['eksposure/Change'])).toContain('new');
    expect(schemaErrors('asff-findings.schema.json', findings)).toEqual([]);
    const plain = JSON.parse(formatAsff(sampleReport(), context)) as typeof findings;
    expect(plain.every((f) => !('eksposure/Change' in f.ProductFields))).toBe(true);
  });

  it('ocsf: unmapped.eksposure_change, still valid', () => {
    const findings = JSON.parse(formatOcsf(report, context)) as {
      unmapped: Record<string, unknown>;
    }[];
    expect(findings.map((f) => f.unmapped['eksposure_change'])).toContain('resolved');
    expect(schemaErrors('ocsf-detection-findings.schema.json', findings)).toEqual([]);
  });
});

describe('the texts for people show new and resolved first', () => {
  it('markdown: the baseline’s date and counts, new failures and resolved before the failing list', () => {
    const text = formatMarkdown(report);
    const at = (needle: string) => text.indexOf(needle);
    expect(text).toContain('### Since the baseline of 2026-11-24 10:00:02 UTC (yesterday.json)');
    expect(at('#### New failures (1)')).toBeGreaterThan(0);
    expect(at('#### Resolved (2)')).toBeGreaterThan(at('#### New failures'));
    expect(at('### Failing clusters')).toBeGreaterThan(at('#### Resolved'));
    expect(text).toMatch(/\| deleted-open \| EKS-001 \| cluster gone/);
  });

  it('html: a "what changed" section above the clusters, and each row’s change', () => {
    const html = formatHtml(report);
    expect(html.indexOf('id="baseline"')).toBeLessThan(html.indexOf('<h2>Clusters</h2>'));
    expect(html).toContain('<h3>New failures (1)</h3>');
    expect(html).toContain('<h3>Resolved (2)</h3>');
    expect(html).toMatch(/data-change-count="new"><span class="n">1</);
    expect(html).toMatch(
      /data-status="FAIL" data-change="new"><td class="s s-FAIL">FAIL<\/td><td>payments-prod/,
    );
  });
});
