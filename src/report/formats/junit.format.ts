import {
  failedRegions,
  findingAccounts,
  regionAccount,
  statusOf,
  exemptionText,
  probeNote,
  managerNote,
} from './report-view.js';
import { escapeMarkup as x } from './markup.js';
import { type AuditReport, type Finding } from '../../model/findings.js';

interface TestCase {
  readonly suite: string;
  readonly name: string;
  readonly body: string;
  readonly outcome: 'pass' | 'failure' | 'error' | 'skipped';
}

/** With --baseline, what became of the finding since, as a test case property. */
function withChange(c: TestCase, f: Finding): TestCase {
  if (!f.change) return c;
  const property = `<properties><property name="change" value="${x(f.change)}"/></properties>`;
  return { ...c, body: c.body ? `${property}\n      ${c.body}` : property };
}

function caseFor(f: Finding, account: string): TestCase {
  const suite = `${account}/${f.region}`;
  const name = `${f.ruleId} ${f.clusterName}`;
  const detail = [
    f.message,
    f.arn ?? '',
    f.accessDescription ?? '',
    probeNote(f) ?? '',
    managerNote(f) ?? '',
  ]
    .filter(Boolean)
    .join('\n');
  switch (statusOf(f)) {
    case 'FAIL':
      return {
        suite,
        name,
        outcome: 'failure',
        body: `<failure message="${x(f.message)}" type="${x(f.ruleId)}">${x(detail)}</failure>`,
      };
    case 'ERROR':
      return {
        suite,
        name,
        outcome: 'error',
        body: `<error message="${x(f.error?.message ?? f.message)}" type="${x(f.error?.code ?? 'Error')}">${x(detail)}</error>`,
      };
    case 'SUPPRESSED': {
      const why = exemptionText(f) ?? 'suppressed';
      return { suite, name, outcome: 'skipped', body: `<skipped message="${x(why)}"/>` };
    }
    default:
      return { suite, name, outcome: 'pass', body: '' };
  }
}

/**
 * JUnit XML as CI servers read it: a test suite per account and region, a test case per cluster
 * and rule. FAIL is a <failure>, a cluster or region that could not be read an <error>, a finding
 * an exemption suppressed <skipped> with its reason.
 */
export function formatJunit(report: AuditReport): string {
  const findingAccount = findingAccounts(report);
  const cases = report.findings.map((f) => withChange(caseFor(f, findingAccount(f)), f));
  for (const region of failedRegions(report)) {
    for (const rule of report.rules) {
      const message = region.error
        ? `${region.error.code}: ${region.error.message}`
        : 'the region could not be listed';
      cases.push({
        suite: `${regionAccount(report, region)}/${region.region}`,
        name: `${rule.id} (every cluster of the region)`,
        outcome: 'error',
        body: `<error message="${x(message)}" type="${x(region.error?.code ?? 'Error')}">${x(
          'The region could not be listed: its clusters were not evaluated.',
        )}</error>`,
      });
    }
  }
  const suites = new Map<string, TestCase[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const count = (list: readonly TestCase[], outcome: TestCase['outcome']) =>
    list.filter((c) => c.outcome === outcome).length;
  const totals = (list: readonly TestCase[]) =>
    `tests="${list.length}" failures="${count(list, 'failure')}" errors="${count(list, 'error')}" skipped="${count(list, 'skipped')}"`;
  const seconds = Math.max(
    0,
    (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000,
  );
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eksposure" ${totals(cases)} time="${seconds}">`,
  ];
  for (const [suite, list] of [...suites].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      `  <testsuite name="${x(suite)}" ${totals(list)} timestamp="${x(report.startedAt)}">`,
    );
    for (const c of list) {
      const open = `    <testcase classname="eksposure.${x(suite.replace('/', '.'))}" name="${x(c.name)}"`;
      lines.push(c.body ? `${open}>\n      ${c.body}\n    </testcase>` : `${open}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
