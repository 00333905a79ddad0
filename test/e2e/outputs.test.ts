import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { chromium } from 'playwright-core';
import type { FaultRule } from '../../src/emulator/faults.js';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';

import { type CliRun, REPO_ROOT, runCli } from '../support/cli.js';
import { tempDir } from '../support/remediation.js';
import { schemaErrors } from '../support/schema.js';
import { type AuditReport } from '../../src/model/findings.js';

const ACCOUNT = '111122223333';

/** Open, allowlisted and private clusters in two regions; a third region denies EKS. */
const account: Fixture = {
  accountId: ACCOUNT,
  regions: {
    'us-east-1': {
      clusters: [
        { name: 'payments-prod' },
        { name: 'allowlisted', endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
        { name: 'private-only', endpointPublicAccess: false, endpointPrivateAccess: true },
      ],
    },
    'eu-west-1': {
      clusters: [
        { name: 'ml-sandbox', endpointPrivateAccess: true },
        { name: 'quiet', endpointPublicAccess: false, endpointPrivateAccess: true },
      ],
    },
    'ap-south-1': { clusters: [{ name: 'mumbai' }] },
  },
};
const denyMumbai: FaultRule[] = [{ region: 'ap-south-1', service: 'eks', fail: 'access-denied' }];
const FAILING = ['ml-sandbox', 'payments-prod'];

/** Where each format goes in the one run that writes them all. */
const FILES = {
  json: 'report.json',
  csv: 'report.csv',
  junit: 'report.xml',
  markdown: 'summary.md',
  asff: 'report.asff.json',
  ocsf: 'report.ocsf.json',
  html: 'report.html',
} as const;

const totalCalls = (emulator: RunningEmulator) =>
  [...emulator.stats.calls.values()].reduce((a, b) => a + b, 0);
const nonEmpty = (text: string) => text.split('\n').filter((l) => l.trim().length > 0);

let emulator: RunningEmulator;
let dir: string;
let run: CliRun;
const read = (format: keyof typeof FILES) => readFileSync(join(dir, FILES[format]), 'utf8');
const report = () => JSON.parse(read('json')) as AuditReport;

beforeAll(async () => {
  emulator = await startEmulator({ fixture: account, faults: denyMumbai });
  dir = tempDir();
  const outputs = Object.entries(FILES).flatMap(([format, file]) => [
    '--output',
    format,
    '--output-file',
    join(dir, file),
  ]);
  run = await runCli(['audit', '--endpoint-url', emulator.url, ...outputs]);
}, 15_000);
afterAll(() => emulator.close());

describe('one audit, every format in its own file', () => {
  it('writes nothing on stdout, and exits 3 because a region could not be read', () => {
    expect(run.stdout).toBe('');
    expect(run.code).toBe(3);
    expect(report().summary).toMatchObject({ fail: 2, pass: 3, regionsFailed: 1 });
  });

  it('json: the versioned report, valid against its schema', () => {
    expect(schemaErrors('audit-report.schema.json', report())).toEqual([]);
  });

  it('csv: a row per cluster and rule, and one for the region in error', () => {
    const rows = parseCsv<Record<string, string>>(read('csv'), { columns: true });
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.status === 'FAIL').map((r) => r.clusterName)).toEqual(
      FAILING.toReversed().sort(),
    );
    expect(rows.find((r) => r.region === 'ap-south-1')).toMatchObject({
      accountId: ACCOUNT,
      status: 'ERROR',
      errorCode: 'AccessDeniedException',
    });
    expect(rows.find((r) => r.clusterName === 'allowlisted')?.publicAccessCidrs).toBe(
      '203.0.113.0/24',
    );
  });

  it('junit: failures for the open clusters, an error for the region', () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      read('junit'),
    ) as {
      testsuites: { tests: string; failures: string; errors: string };
    };
    expect(xml.testsuites).toMatchObject({ tests: '6', failures: '2', errors: '1' });
  });

  it('markdown: the counts, the failing clusters and the region in error', () => {
    const text = read('markdown');
    expect(text).toContain('the scan is incomplete');
    for (const name of FAILING) expect(text).toContain(`| ${name} |`);
    expect(text).toMatch(/ap-south-1 .*AccessDeniedException/);
  });

  it('asff: valid against the ASFF schema, each finding in its account’s default product', () => {
    const findings = JSON.parse(read('asff')) as {
      ProductArn: string;
      Compliance: { Status: string };
    }[];
    expect(schemaErrors('asff-findings.schema.json', findings)).toEqual([]);
    expect(findings).toHaveLength(5);
    expect(findings.filter((f) => f.Compliance.Status === 'FAILED')).toHaveLength(2);
    expect(findings[0]?.ProductArn).toMatch(new RegExp(`:${ACCOUNT}:product/${ACCOUNT}/default$`));
  });

  it('ocsf: valid OCSF 1.5.0 Detection Findings', () => {
    const events = JSON.parse(read('ocsf')) as { status_code: string }[];
    expect(schemaErrors('ocsf-detection-findings.schema.json', events)).toEqual([]);
    expect(events.map((e) => e.status_code).sort()).toEqual([
      'FAIL',
      'FAIL',
      'PASS',
      'PASS',
      'PASS',
    ]);
  });
});

describe('refused before any AWS call: one line, exit 2', () => {
  const refused = async (...args: string[]) => {
    const before = totalCalls(emulator);
    const result = await runCli(['audit', '--endpoint-url', emulator.url, ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(totalCalls(emulator)).toBe(before);
    return nonEmpty(result.stderr);
  };

  it('two formats and no file for each', async () => {
    expect(
      await refused('--output', 'json', '--output', 'csv', '--output-file', join(dir, 'x.json')),
    ).toEqual([expect.stringContaining('give one --output-file per --output')]);
  });

  it('a file in a folder that does not exist', async () => {
    const path = join(dir, 'missing', 'report.csv');
    expect(await refused('--output', 'csv', '--output-file', path)).toEqual([
      expect.stringMatching(/--output-file .*missing\/report\.csv: the folder .* does not exist/),
    ]);
  });

  it('a format it does not know, naming the ones it does', async () => {
    const lines = await refused('--output', 'pdf');
    expect(lines).toEqual([expect.stringMatching(/Given: "pdf", Choices: .*"junit"/)]);
  });
});

it('prints a single format on stdout', async () => {
  const result = await runCli([
    'audit',
    '--endpoint-url',
    emulator.url,
    '--regions',
    'eu-west-1',
    '--output',
    'csv',
  ]);
  expect(result.code).toBe(1);
  expect(parseCsv(result.stdout, { columns: true })).toHaveLength(2);
});

// The html page in a real browser: Debian's chromium (apt-get install -y chromium), as CI installs it.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium)
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPED: the html report's browser test needs chromium at ${chromiumPath} (apt-get install -y chromium).`,
  );

(haveChromium ? describe : describe.skip)('html: what a reader sees in chromium', () => {
  it('shows the counts, the failing clusters and the region in error, loading nothing from the network', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath });
    try {
      const page = await browser.newPage();
      const pageUrl = pathToFileURL(join(dir, FILES.html)).href;
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pageUrl);

      await expect(page.locator('#verdict').innerText()).resolves.toContain('incomplete');
      const count = (key: string) => page.locator(`[data-count="${key}"] .n`).innerText();
      await expect(count('FAIL')).resolves.toBe('2');
      await expect(count('PASS')).resolves.toBe('3');
      await expect(count('regions-failed')).resolves.toBe('1');
      await expect(page.locator('svg[aria-label="Findings by status"]').isVisible()).resolves.toBe(
        true,
      );

      const failingRows = page.locator('tr[data-status="FAIL"] td:nth-child(2)');
      await expect(failingRows.allInnerTexts()).resolves.toEqual(expect.arrayContaining(FAILING));
      const regionErrors = await page.locator('#region-errors').innerText();
      expect(regionErrors).toContain('ap-south-1');
      expect(regionErrors).toContain('AccessDeniedException');
      // Failing first: the first cluster row of the page is a failing one.
      await expect(
        page.locator('section.clusters tr[data-status]').first().getAttribute('data-status'),
      ).resolves.toBe('FAIL');

      expect(requests).toEqual([pageUrl]);
      const artifacts = join(REPO_ROOT, 'test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'html-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 20_000);
});
