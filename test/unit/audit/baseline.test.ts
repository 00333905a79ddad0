import { changeOf, compareWithBaseline, readBaselineReport } from '../../../src/audit/baseline.js';
import type { AuditReport, BaselineEntry, Finding } from '../../../src/model/findings.js';
import { auditVerdict } from '../../../src/report/fail-on.js';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  accountResult,
  regionResult,
  sampleFinding,
} from '../../support/sample-report.js';

const EKS001 = {
  id: 'EKS-001',
  title: 'public endpoint',
  severity: 'medium' as const,
  aliases: [],
};
const EKS002 = {
  id: 'EKS-002',
  title: 'no public endpoint',
  severity: 'low' as const,
  aliases: [],
};

const openEvidence = { openToInternet: true, publicAccessCidrs: ['0.0.0.0/0'] };
const restricted = (cidr: string) => ({ openToInternet: false, publicAccessCidrs: [cidr] });

const fail = (clusterName: string, extra: Parameters<typeof sampleFinding>[0] | object = {}) =>
  sampleFinding({ clusterName, status: 'FAIL', evidence: openEvidence, ...extra });
const pass = (clusterName: string, extra: Parameters<typeof sampleFinding>[0] | object = {}) =>
  sampleFinding({ clusterName, status: 'PASS', evidence: restricted('203.0.113.0/24'), ...extra });
const error = (clusterName: string, extra: object = {}) =>
  sampleFinding({
    clusterName,
    status: 'ERROR',
    evidence: null,
    error: { code: 'AccessDeniedException', message: 'denied' },
    ...extra,
  });

function report(
  findings: readonly Finding[],
  extra: Partial<AuditReport> = {},
  finishedAt = '2026-11-24T02:00:03.000Z',
): AuditReport {
  return {
    schemaVersion: '2.4.0',
    tool: { name: 'eksposure', version: '0.1.0' },
    startedAt: '2026-11-24T02:00:00.000Z',
    finishedAt,
    homeRegion: 'us-east-1',
    requestedRegions: null,
    shard: null,
    complete: true,
    summary: {
      accounts: 1,
      accountsScanned: 1,
      accountsFailed: 0,
      accountsSkipped: 0,
      regionsScanned: 2,
      regionsSkipped: 0,
      regionsFailed: 0,
      clusters: findings.length,
      pass: findings.filter((f) => f.status === 'PASS').length,
      fail: findings.filter((f) => f.status === 'FAIL').length,
      error: findings.filter((f) => f.status === 'ERROR').length,
      suppressed: 0,
    },
    rules: [EKS001],
    accounts: [accountResult(ACCOUNT_A)],
    regions: [regionResult(ACCOUNT_A, 'us-east-1'), regionResult(ACCOUNT_A, 'eu-west-1')],
    exemptions: [],
    findings,
    ...extra,
  };
}

const compare = (now: AuditReport, before: AuditReport) =>
  compareWithBaseline(now, before, 'yesterday.json');
const names = (entries: readonly BaselineEntry[] | undefined) =>
  (entries ?? []).map((e) => `${e.clusterName}:${e.reason}`);

describe('what became of each finding since the baseline', () => {
  it('marks new, unchanged, changed and resolved, and counts each kind', () => {
    const before = report([
      fail('still-open'),
      fail('other-allowlist', { evidence: restricted('198.51.100.0/24') }),
      pass('opened'),
      fail('closed'),
      pass('quiet'),
    ]);
    const now = report([
      fail('still-open'),
      fail('other-allowlist', { evidence: restricted('192.0.2.0/24') }),
      fail('opened'),
      pass('closed'),
      pass('quiet'),
      fail('brand-new'),
    ]);
    const compared = compare(now, before);
    expect(compared.findings.map((f) => [f.clusterName, f.change])).toEqual([
      ['still-open', 'unchanged'],
      ['other-allowlist', 'changed'],
      ['opened', 'new'],
      ['closed', 'resolved'],
      ['quiet', 'unchanged'],
      ['brand-new', 'new'],
    ]);
    expect(compared.baseline?.summary).toEqual({
      new: 2,
      changed: 1,
      unchanged: 2,
      resolved: 1,
      removed: 0,
      notRescanned: 0,
      outOfScope: 0,
    });
    expect(compared.baseline?.resolved).toEqual([
      {
        accountId: ACCOUNT_A,
        region: 'us-east-1',
        clusterName: 'closed',
        ruleId: 'EKS-001',
        severity: 'medium',
        arn: `arn:aws:eks:us-east-1:${ACCOUNT_A}:cluster/closed`,
        baselineStatus: 'FAIL',
        status: 'PASS',
        reason: 'passes',
      },
    ]);
    expect(compared.baseline).toMatchObject({
      file: 'yesterday.json',
      schemaVersion: '2.4.0',
      finishedAt: '2026-11-24T02:00:03.000Z',
      complete: true,
    });
  });

  it('resolves a failing cluster gone from a region read completely; a passing one is gone, not resolved', () => {
    const before = report([fail('deleted-open'), pass('deleted-private')]);
    const compared = compare(report([]), before);
    expect(names(compared.baseline?.resolved)).toEqual(['deleted-open:cluster-gone']);
    expect(compared.baseline?.resolved[0]?.status).toBeNull();
    expect(names(compared.baseline?.removed)).toEqual(['deleted-private:cluster-gone']);
  });

  it('never resolves a finding whose region could not be read now: not rescanned', () => {
    const before = report([fail('in-failed-region', { region: 'eu-west-1' }), fail('home')]);
    const now = report([fail('home')], {
      complete: false,
      regions: [
        regionResult(ACCOUNT_A, 'us-east-1'),
        regionResult(ACCOUNT_A, 'eu-west-1', {
          status: 'error',
          clusterCount: null,
          error: { code: 'ThrottlingException', message: 'Rate exceeded' },
        }),
      ],
    });
    const compared = compare(now, before);
    expect(compared.baseline?.resolved).toEqual([]);
    expect(names(compared.baseline?.notRescanned)).toEqual(['in-failed-region:region-unreadable']);
    expect(compared.baseline?.summary).toMatchObject({ unchanged: 1, notRescanned: 1 });
  });

  it('an ERROR now for a FAIL (or PASS) before is not rescanned; ERROR both times is unchanged', () => {
    const before = report([fail('was-open'), pass('was-fine'), error('always-broken')]);
    const now = report([error('was-open'), error('was-fine'), error('always-broken')]);
    const compared = compare(now, before);
    expect(compared.findings.map((f) => f.change)).toEqual([
      'not-rescanned',
      'not-rescanned',
      'unchanged',
    ]);
    expect(names(compared.baseline?.notRescanned)).toEqual([
      'was-open:cluster-unreadable',
      'was-fine:cluster-unreadable',
    ]);
    expect(compared.baseline?.notRescanned[0]).toMatchObject({
      baselineStatus: 'FAIL',
      status: 'ERROR',
    });
  });

  it('does not rescan the findings of an account that could not be scanned or was skipped', () => {
    const before = report([fail('a'), fail('b', { accountId: ACCOUNT_B })], {
      accounts: [accountResult(ACCOUNT_A), accountResult(ACCOUNT_B)],
    });
    const now = report([], {
      accounts: [
        accountResult(ACCOUNT_A, {
          status: 'error',
          error: { code: 'AccessDenied', message: 'no role' },
        }),
        accountResult(ACCOUNT_B, { status: 'skipped', reason: 'state SUSPENDED' }),
      ],
      regions: [],
    });
    expect(names(compare(now, before).baseline?.notRescanned)).toEqual([
      'a:account-unreadable',
      'b:account-skipped',
    ]);
  });

  it('puts what this run did not cover out of scope: another account, region or rule', () => {
    const before = report(
      [
        fail('other-account', { accountId: ACCOUNT_B }),
        fail('other-region', { region: 'ap-south-1' }),
        fail('other-rule', { ruleId: 'EKS-002' }),
        fail('skipped-region', { region: 'af-south-1' }),
      ],
      { rules: [EKS001, EKS002], accounts: [accountResult(ACCOUNT_A), accountResult(ACCOUNT_B)] },
    );
    const now = report([], {
      requestedRegions: ['us-east-1', 'af-south-1'],
      regions: [
        regionResult(ACCOUNT_A, 'us-east-1'),
        regionResult(ACCOUNT_A, 'af-south-1', { status: 'skipped', optInStatus: 'not-opted-in' }),
      ],
    });
    const compared = compare(now, before);
    expect(names(compared.baseline?.outOfScope)).toEqual([
      'other-account:account-not-in-run',
      'other-region:region-not-in-run',
      'other-rule:rule-not-run',
    ]);
    expect(names(compared.baseline?.notRescanned)).toEqual(['skipped-region:region-skipped']);
    expect(compared.baseline?.resolved).toEqual([]);
  });

  it('calls a FAIL new when it was PASS, SUPPRESSED or ERROR before (a regression), and a SUPPRESSED FAIL changed', () => {
    const exemption = { index: 0, reason: 'vendor demo', expires: '2027-01-01', expired: false };
    const before = report([
      pass('regressed'),
      sampleFinding({ clusterName: 'exempt-before', status: 'SUPPRESSED', exemption }),
      error('unread-before'),
      fail('exempt-now'),
    ]);
    const now = report([
      fail('regressed'),
      fail('exempt-before'),
      fail('unread-before'),
      sampleFinding({ clusterName: 'exempt-now', status: 'SUPPRESSED', exemption }),
    ]);
    const compared = compare(now, before);
    expect(compared.findings.map((f) => f.change)).toEqual(['new', 'new', 'new', 'changed']);
    expect(compared.baseline?.resolved).toEqual([]);
  });

  it('tells changed from unchanged by the facts, whatever their key order', () => {
    const base = fail('x', { evidence: { a: 1, b: [1, 2] } });
    expect(changeOf(base, fail('x', { evidence: { b: [1, 2], a: 1 } }))).toBe('unchanged');
    expect(changeOf(base, fail('x', { evidence: { a: 1, b: [2, 1] } }))).toBe('changed');
    expect(changeOf(base, fail('x', { evidence: { a: 1, b: [1, 2] }, severity: 'low' }))).toBe(
      'changed',
    );
    // A failure that got more severe is new at its new severity (it may cross --fail-on now).
    expect(changeOf(base, fail('x', { evidence: { a: 1, b: [1, 2] }, severity: 'high' }))).toBe(
      'new',
    );
    const expired = { index: 0, reason: 'r', expires: '2026-01-01', expired: true };
    expect(changeOf(base, fail('x', { evidence: { a: 1, b: [1, 2] }, exemption: expired }))).toBe(
      'changed',
    );
  });

  it('keys findings by account too: the same cluster name in two accounts is two findings', () => {
    const before = report([fail('shared', { accountId: ACCOUNT_A })], {
      accounts: [accountResult(ACCOUNT_A), accountResult(ACCOUNT_B)],
    });
    const now = report(
      [fail('shared', { accountId: ACCOUNT_A }), fail('shared', { accountId: ACCOUNT_B })],
      {
        accounts: [accountResult(ACCOUNT_A), accountResult(ACCOUNT_B)],
        regions: [regionResult(ACCOUNT_A, 'us-east-1'), regionResult(ACCOUNT_B, 'us-east-1')],
      },
    );
    expect(compare(now, before).findings.map((f) => f.change)).toEqual(['unchanged', 'new']);
  });

  it('reads a 2.0 report whose findings name their account only in the ARN (or not at all)', () => {
    const noAccount = (f: Finding) => ({ ...f, accountId: undefined }) as unknown as Finding;
    const before = report(
      [
        noAccount(fail('by-arn')),
        noAccount(error('no-arn', { arn: null })),
        noAccount(fail('gone')),
      ],
      { schemaVersion: '2.0.0', accounts: undefined as unknown as AuditReport['accounts'] },
    );
    const now = report([fail('by-arn'), error('no-arn', { arn: null })]);
    const compared = compare(now, before);
    expect(compared.findings.map((f) => f.change)).toEqual(['unchanged', 'unchanged']);
    expect(names(compared.baseline?.resolved)).toEqual(['gone:cluster-gone']);
    expect(compared.baseline?.resolved[0]?.accountId).toBe(ACCOUNT_A);
  });

  it('says when the baseline itself was incomplete', () => {
    expect(compare(report([]), report([], { complete: false })).baseline?.complete).toBe(false);
  });

  it('leaves the current report otherwise as it was', () => {
    const now = report([fail('x')]);
    const { baseline, findings, ...rest } = compare(now, report([]));
    expect(baseline).toBeDefined();
    expect(findings).toHaveLength(1);
    expect({ ...rest, findings }).toEqual({ ...now, findings });
  });
});

describe('--fail-on-new', () => {
  const before = report([fail('old-open'), pass('opened', { severity: 'low' })]);
  const now = report([fail('old-open'), fail('opened', { severity: 'low' })]);
  const compared = compare(now, before);

  it('fails only on a FAIL that is new, at the --fail-on level', () => {
    expect(auditVerdict(compared, 'any', true)).toBe('failing');
    expect(auditVerdict(compared, 'medium', true)).toBe('passing');
    expect(auditVerdict(compared, 'medium', false)).toBe('failing');
    expect(auditVerdict(compare(report([fail('old-open')]), before), 'any', true)).toBe('passing');
  });

  it('still says incomplete when something could not be read', () => {
    expect(auditVerdict({ ...compared, complete: false }, 'any', true)).toBe('incomplete');
  });
});

describe('reading a baseline file', () => {
  const problem = (text: string) => {
    const read = readBaselineReport(text);
    return read.ok ? 'ok' : read.problem;
  };

  it('reads a report of any 2.x version', () => {
    for (const schemaVersion of ['2.0.0', '2.1.0', '2.3.0', '2.4.0'])
      expect(problem(JSON.stringify(report([fail('x')], { schemaVersion })))).toBe('ok');
  });

  it('refuses, saying why, what is not JSON, not an eksposure report, or of another major version', () => {
    expect(problem('{"oops"')).toMatch(/^is not valid JSON \(/);
    expect(problem('[]')).toBe('is not an eksposure audit report (not a JSON object)');
    expect(problem('{"schemaVersion":"2.0.0"}')).toBe(
      'is not an eksposure audit report (no "tool": eksposure)',
    );
    expect(problem(JSON.stringify(report([]), null).replace('"2.4.0"', '"3.0.0"'))).toBe(
      'has schemaVersion "3.0.0"; --baseline reads 2.x audit reports',
    );
    expect(problem(JSON.stringify({ ...report([]), kind: 'eksposure-remediation-plan' }))).toMatch(
      /it is an eksposure-remediation-plan/,
    );
    expect(problem(JSON.stringify({ ...report([]), findings: [{ region: 'us-east-1' }] }))).toBe(
      'is not an eksposure audit report (findings[0] has no clusterName)',
    );
    expect(problem(JSON.stringify({ ...report([]), findings: undefined }))).toMatch(
      /no "findings" list/,
    );
  });
});
