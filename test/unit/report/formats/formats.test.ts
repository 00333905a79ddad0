import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { CSV_COLUMNS, formatCsv } from '../../../../src/report/formats/csv.format.js';
import { formatAsff } from '../../../../src/report/formats/asff.format.js';
import { formatHtml } from '../../../../src/report/formats/html.format.js';
import { formatJunit } from '../../../../src/report/formats/junit.format.js';
import {
  formatMarkdown,
  MARKDOWN_MAX_ROWS,
} from '../../../../src/report/formats/markdown.format.js';
import { REPORT_FORMAT_NAMES } from '../../../../src/report/formats/names.js';
import { formatOcsf } from '../../../../src/report/formats/ocsf.format.js';
import { REPORT_WRITERS } from '../../../../src/report/formats/registry.js';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  HOSTILE_TEXT,
  SAMPLE_RULES,
  sampleFinding,
  sampleFindings,
  sampleReport,
} from '../../../support/sample-report.js';
import { schemaErrors } from '../../../support/schema.js';

const context = { rules: SAMPLE_RULES };
const report = sampleReport();

type Row = Record<(typeof CSV_COLUMNS)[number], string>;
const csvRows = (text: string) => parseCsv<Row>(text, { columns: true });

describe('the registry of formats', () => {
  it('lists every format --output accepts, each with a writer that writes something', () => {
    expect(REPORT_FORMAT_NAMES).toEqual([
      'table',
      'json',
      'csv',
      'junit',
      'markdown',
      'asff',
      'ocsf',
      'html',
    ]);
    for (const name of REPORT_FORMAT_NAMES) {
      let written = '';
      REPORT_WRITERS[name](report, { write: (t) => (written += t) }, context);
      expect(written.length).toBeGreaterThan(100);
    }
  });
});

describe('csv', () => {
  const rows = csvRows(formatCsv(report));

  it('has one row per account, cluster and rule, and one per rule for a region that could not be read', () => {
    expect(rows).toHaveLength(report.findings.length + 1);
    expect(rows.map((r) => `${r.accountId} ${r.clusterName} ${r.status}`)).toEqual(
      expect.arrayContaining([
        `${ACCOUNT_A} payments-prod FAIL`,
        `${ACCOUNT_B} eu-open FAIL`,
        `${ACCOUNT_A} broken ERROR`,
        `${ACCOUNT_A}  ERROR`,
      ]),
    );
    expect(rows.find((r) => r.region === 'ap-south-1')).toMatchObject({
      errorCode: 'AccessDeniedException',
      ruleId: 'EKS-001',
    });
  });

  it('quotes what needs quoting, so a parser reads the message back whole', () => {
    expect(rows.find((r) => r.clusterName === 'payments-prod')?.message).toBe(HOSTILE_TEXT);
  });

  it('defuses a text a spreadsheet would run as a formula with a leading quote (OWASP)', () => {
    const formulas = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx'];
    const hostile = sampleReport(
      formulas.map((message, i) =>
        sampleFinding({
          clusterName: `c${i}`,
          status: 'FAIL',
          message,
          exemption: { reason: message, expires: '2026-01-15', expired: true },
        }),
      ),
    );
    const parsed = csvRows(formatCsv(hostile)).filter((r) => r.clusterName.startsWith('c'));
    expect(parsed.map((r) => r.message)).toEqual(formulas.map((f) => `'${f}`));
    expect(parsed.map((r) => r.exemptionReason)).toEqual(formulas.map((f) => `'${f}`));
    expect(parsed[0]).toMatchObject({ accountId: ACCOUNT_A, endpointPublicAccess: 'true' });
  });

  it('ends lines with CRLF and keeps the suppression reason', () => {
    expect(formatCsv(report).split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows.find((r) => r.clusterName === 'sandbox-demo')).toMatchObject({
      status: 'SUPPRESSED',
      exemptionReason: 'vendor demo, ticket SEC-142',
      exemptionExpires: '2027-03-31',
      exemptionExpired: 'false',
    });
  });

  it('says which exemption expired, and when, on a finding it no longer suppresses', () => {
    expect(rows.find((r) => r.clusterName === 'legacy')).toMatchObject({
      status: 'FAIL',
      exemptionReason: 'migration, ticket SEC-99',
      exemptionExpires: '2026-01-15',
      exemptionExpired: 'true',
    });
  });

  it('takes a finding’s account from its ARN when the report has no accountId (reports before 2.0.0)', () => {
    const old = sampleReport([
      sampleFinding({ clusterName: 'a', status: 'FAIL', accountId: null }),
      sampleFinding({ clusterName: 'b', status: 'ERROR', accountId: null, arn: null }),
    ]);
    expect(csvRows(formatCsv(old)).map((r) => r.accountId)).toEqual([
      ACCOUNT_A,
      ACCOUNT_A,
      ACCOUNT_A,
    ]);
  });
});

interface TestCase {
  readonly name: string;
  readonly failure?: { readonly message: string };
  readonly error?: { readonly message: string };
  readonly skipped?: { readonly message: string };
}

describe('junit', () => {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    formatJunit(report),
  ) as {
    testsuites: {
      tests: string;
      failures: string;
      errors: string;
      skipped: string;
      testsuite: { name: string; testcase: TestCase | TestCase[] }[];
    };
  };
  const cases = xml.testsuites.testsuite.flatMap((s) => [s.testcase].flat());
  const named = (name: string) => cases.find((c) => c.name === name);

  it('counts test cases, failures, errors and skipped in the totals', () => {
    expect(xml.testsuites).toMatchObject({ tests: '8', failures: '3', errors: '2', skipped: '1' });
    expect(xml.testsuites.testsuite.map((s) => s.name)).toEqual([
      `${ACCOUNT_A}/ap-south-1`,
      `${ACCOUNT_A}/us-east-1`,
      `${ACCOUNT_B}/eu-west-1`,
    ]);
  });

  it('gives a failure its message, escaped and read back whole', () => {
    expect(named('EKS-001 payments-prod')?.failure?.message).toBe(HOSTILE_TEXT);
  });

  it('reports unreadable clusters and regions as <error> and suppressed findings as <skipped>', () => {
    expect(named('EKS-001 broken')?.error?.message).toBe('Rate exceeded');
    expect(named('EKS-001 (every cluster of the region)')?.error?.message).toContain(
      'AccessDeniedException',
    );
    expect(named('EKS-001 sandbox-demo')?.skipped?.message).toContain(
      'vendor demo, ticket SEC-142',
    );
  });
});

describe('markdown', () => {
  const text = formatMarkdown(report);

  it('counts, then lists failing clusters and what could not be read', () => {
    expect(text).toMatch(/\| 3 \| 1 \| 1 \| 2 \| 1 \| 0 \|/);
    expect(text).toContain('### Failing clusters (3)');
    expect(text).toContain(`| ${ACCOUNT_B} | eu-west-1 | eu-open | EKS-001 | medium |`);
    expect(text).toContain('### Could not be read (2)');
    expect(text).toContain('AccessDeniedException');
    expect(text).not.toContain('billing');
  });

  it('keeps every failing row a table row: pipes, markup and line breaks escaped', () => {
    // The endpoint cell shows the access description, falling back on the message.
    const hostile = formatMarkdown(
      sampleReport([
        sampleFinding({
          clusterName: 'payments-prod',
          status: 'FAIL',
          accessDescription: null,
          message: HOSTILE_TEXT,
        }),
      ]),
    );
    const row = hostile.split('\n').find((l) => l.includes('payments-prod')) ?? '';
    const header = hostile.split('\n').find((l) => l.startsWith('| Account')) ?? '';
    const unescapedPipes = (line: string) => line.replace(/\\\|/g, '').split('|').length - 1;
    // The same number of cells as the header: the pipe in the text did not open a new cell.
    expect(unescapedPipes(row)).toBe(unescapedPipes(header));
    expect(row).toContain('"a\\|b"');
    // The line break is flattened: what followed it stays in the same row.
    expect(row).toContain('next');
    // Markup is shown, never run: no raw tag in the whole summary.
    expect(row).toContain('\\<script\\>');
    expect(hostile).not.toContain('<script>');
  });

  it('caps each list so it fits a pull-request comment', () => {
    const many = Array.from({ length: MARKDOWN_MAX_ROWS + 7 }, (_, i) =>
      sampleFinding({ clusterName: `open-${i}`, status: 'FAIL' }),
    );
    const capped = formatMarkdown(sampleReport(many));
    expect(capped).toContain('…and 7 more');
    expect(capped.split('\n').filter((l) => l.includes('| open-'))).toHaveLength(MARKDOWN_MAX_ROWS);
  });
});

interface AsffFinding {
  readonly Id: string;
  readonly UpdatedAt: string;
  readonly ProductFields: Record<string, string>;
  readonly Resources: readonly {
    readonly Details: { readonly AwsEksCluster: { readonly Name: string } };
  }[];
}

interface OcsfEvent {
  readonly status_code: string;
  readonly remediation: { readonly desc: string };
  readonly resources: readonly { readonly name: string }[];
}

describe('asff', () => {
  const findings = JSON.parse(formatAsff(report, context)) as AsffFinding[];
  const byCluster = (name: string) =>
    findings.find((f) => f.Resources[0]?.Details.AwsEksCluster.Name === name);

  it('validates against the schema built from AWS’s required fields', () => {
    expect(schemaErrors('asff-findings.schema.json', findings)).toEqual([]);
  });

  it('uses each account’s default product in the finding’s region, and its own account', () => {
    expect(byCluster('eu-open')).toMatchObject({
      AwsAccountId: ACCOUNT_B,
      ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT_B}:product/${ACCOUNT_B}/default`,
      Compliance: { Status: 'FAILED' },
      Severity: { Label: 'MEDIUM' },
    });
    expect(byCluster('billing')).toMatchObject({
      Compliance: { Status: 'PASSED' },
      Severity: { Label: 'INFORMATIONAL' },
    });
    expect(byCluster('broken')).toMatchObject({ Compliance: { Status: 'NOT_AVAILABLE' } });
  });

  it('puts the allowed CIDRs in ProductFields', () => {
    expect(byCluster('billing')?.ProductFields['eksposure/PublicAccessCidrs']).toBe(
      '203.0.113.0/24',
    );
    expect(byCluster('sandbox-demo')?.ProductFields['eksposure/ExemptionReason']).toBe(
      'vendor demo, ticket SEC-142',
    );
  });

  it('keeps the same Id on a later scan, so Security Hub updates the finding', () => {
    const later = JSON.parse(
      formatAsff({ ...report, finishedAt: '2026-12-01T00:00:00.000Z' }, context),
    ) as AsffFinding[];
    expect(later.map((f) => f.Id)).toEqual(findings.map((f) => f.Id));
    expect(later[0]?.UpdatedAt).not.toBe(findings[0]?.UpdatedAt);
  });

  it('cuts Title and Description to Security Hub’s limits', () => {
    const long = sampleReport([
      sampleFinding({ clusterName: 'x'.repeat(100), status: 'FAIL', message: 'm'.repeat(5000) }),
    ]);
    const [finding] = JSON.parse(formatAsff(long, context)) as { Description: string }[];
    expect(finding?.Description).toHaveLength(1024);
    expect(schemaErrors('asff-findings.schema.json', [finding])).toEqual([]);
  });
});

describe('ocsf', () => {
  const events = JSON.parse(formatOcsf(report, context)) as OcsfEvent[];
  const byCluster = (name: string) => events.find((e) => e.resources[0]?.name === name);

  it('validates as OCSF 1.5.0 Detection Findings', () => {
    expect(schemaErrors('ocsf-detection-findings.schema.json', events)).toEqual([]);
  });

  it('says PASS or FAIL, the account and region, the cluster and how to fix it', () => {
    expect(byCluster('eu-open')).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      status_code: 'FAIL',
      severity: 'Medium',
      cloud: { provider: 'aws', region: 'eu-west-1', account: { uid: ACCOUNT_B } },
      resources: [
        { uid: `arn:aws:eks:eu-west-1:${ACCOUNT_B}:cluster/eu-open`, type: 'AwsEksCluster' },
      ],
    });
    expect(byCluster('eu-open')?.remediation.desc).toContain('aws eks update-cluster-config');
    expect(byCluster('billing')?.status_code).toBe('PASS');
    expect(byCluster('sandbox-demo')).toMatchObject({
      status_code: 'FAIL',
      status_id: 3,
      status: 'Suppressed',
    });
  });
});

describe('html', () => {
  const page = formatHtml(report);

  it('loads nothing: no script, external stylesheet, font, image or link target', () => {
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
    expect(page).toContain("default-src 'none'");
  });

  it('escapes every value from AWS', () => {
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;');
  });

  it('says an exemption expired beside the failing cluster it no longer covers', () => {
    expect(page).toContain('exemption expired on 2026-01-15: migration, ticket SEC-99');
  });

  it('puts failing clusters before passing ones in each account and region', () => {
    expect(page.indexOf('payments-prod')).toBeLessThan(page.indexOf('billing'));
    expect(page.indexOf('eu-open')).toBeLessThan(page.indexOf('eu-private'));
  });
});

it('every sample finding is used by some test above', () => {
  expect(sampleFindings().map((f) => f.clusterName)).toEqual([
    'payments-prod',
    'billing',
    'legacy',
    'sandbox-demo',
    'broken',
    'eu-open',
    'eu-private',
  ]);
});

describe('who manages a cluster, in every format', () => {
  const managed = sampleReport([
    {
      ...sampleFinding({ clusterName: 'tf-prod', status: 'FAIL' }),
      managedBy: { tool: 'terraform', evidence: [{ tag: 'terraform-aws-modules', value: 'eks' }] },
    },
    {
      ...sampleFinding({ clusterName: 'console-made', status: 'FAIL' }),
      managedBy: { tool: 'unknown', evidence: [] },
    },
  ]);

  it('gives the tool and its tags as CSV columns, unknown included', () => {
    // (The sample report's region that could not be read has a row of its own, with no cluster.)
    const rows = csvRows(formatCsv(managed)).filter((r) => r.clusterName !== '');
    expect(rows.map((r) => [r.clusterName, r.managedBy, r.managedByEvidence])).toEqual([
      ['tf-prod', 'terraform', 'terraform-aws-modules=eks'],
      ['console-made', 'unknown', ''],
    ]);
  });

  it('names a known tool in the texts, and never calls the unknown one unmanaged', () => {
    for (const text of [formatMarkdown(managed), formatHtml(managed)]) {
      expect(text).toContain('managed by Terraform (terraform-aws-modules=eks)');
      expect(text).not.toMatch(/not managed|unmanaged/);
    }
  });

  it('carries it in the ASFF product fields and the OCSF metadata', () => {
    const asff = JSON.parse(formatAsff(managed, context)) as {
      ProductFields: Record<string, string>;
    }[];
    expect(asff[0]?.ProductFields['eksposure/ManagedBy']).toBe('terraform');
    expect(asff[1]?.ProductFields['eksposure/ManagedBy']).toBe('unknown');
    const ocsf = JSON.parse(formatOcsf(managed, context)) as {
      resources: { data: { metadata: { managedBy: unknown } } }[];
    }[];
    expect(ocsf[0]?.resources[0]?.data.metadata.managedBy).toEqual({
      tool: 'terraform',
      evidence: [{ tag: 'terraform-aws-modules', value: 'eks' }],
    });
  });
});
