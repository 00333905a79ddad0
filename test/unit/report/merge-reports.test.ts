import fc from 'fast-check';
import { type Shard, shardOfAccount } from '../../../src/accounts/shard.js';

import { mergeReports, type ReportFile } from '../../../src/report/merge-reports.js';
import { schemaErrors } from '../../support/schema.js';
import { type AuditReport } from '../../../src/model/findings.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';

type ClusterResult = 'PASS' | 'FAIL' | 'ERROR';
interface AccountScan {
  readonly accountId: string;
  readonly status: 'ok' | 'error' | 'skipped';
  readonly clusters: readonly ClusterResult[];
}

const REGIONS = ['eu-west-1', 'us-east-1'];

/** A 2.0.0 report as the contract shapes it, built from what each account's scan found. */
function reportOf(
  scans: readonly AccountScan[],
  shard: Shard | null,
  startedAt = '2026-11-25T10:00:00.000Z',
): AuditReport {
  const sorted = [...scans].sort((a, b) => a.accountId.localeCompare(b.accountId));
  const scanned = sorted.filter((a) => a.status === 'ok');
  const regions = scanned.flatMap((a) =>
    REGIONS.map((region) => ({
      accountId: a.accountId,
      region,
      status: 'ok' as const,
      optInStatus: 'opt-in-not-required',
      clusterCount: a.clusters.filter((_, i) => REGIONS[i % 2] === region).length,
      error: null,
      reason: null,
    })),
  );
  const findings = scanned.flatMap((a) =>
    a.clusters
      .map((status, i) => ({
        accountId: a.accountId,
        ruleId: 'EKS-001',
        status,
        severity: 'high' as const,
        region: REGIONS[i % 2]!,
        clusterName: `c${i}`,
        arn: `arn:aws:eks:${REGIONS[i % 2]}:${a.accountId}:cluster/c${i}`,
        clusterStatus: 'ACTIVE',
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
        accessMode: 'public-open',
        accessDescription: 'public open to the internet',
        message: status,
        error: status === 'ERROR' ? { code: 'AccessDeniedException', message: 'no' } : null,
        evidence: {},
        exemption: null,
      }))
      .sort((x, y) => x.region.localeCompare(y.region)),
  );
  const count = (s: string) => findings.filter((f) => f.status === s).length;
  const accountsWith = (s: string) => sorted.filter((a) => a.status === s).length;
  return {
    schemaVersion: '2.0.0',
    tool: { name: 'eksposure', version: '0.1.0' },
    startedAt,
    finishedAt: '2026-11-25T10:01:00.000Z',
    homeRegion: 'us-east-1',
    requestedRegions: null,
    complete: accountsWith('error') === 0 && count('ERROR') === 0,
    summary: {
      accounts: sorted.length,
      accountsScanned: accountsWith('ok'),
      accountsFailed: accountsWith('error'),
      accountsSkipped: accountsWith('skipped'),
      regionsScanned: regions.length,
      regionsSkipped: 0,
      regionsFailed: 0,
      clusters: findings.length,
      pass: count('PASS'),
      fail: count('FAIL'),
      error: count('ERROR'),
      suppressed: 0,
    },
    rules: [
      {
        id: 'EKS-001',
        aliases: [],
        title: 'EKS API endpoint open to the internet',
        severity: 'high',
      },
    ],
    exemptions: [],
    shard,
    accounts: sorted.map((a) => ({
      accountId: a.accountId,
      name: null,
      status: a.status,
      roleArn: `arn:aws:iam::${a.accountId}:role/Audit`,
      error: a.status === 'error' ? { code: 'AccessDenied', message: 'not allowed' } : null,
      reason: a.status === 'skipped' ? 'state SUSPENDED' : null,
    })),
    regions,
    findings,
  };
}

function shardFiles(
  scans: readonly AccountScan[],
  count: number,
  skip: number[] = [],
): ReportFile[] {
  return Array.from({ length: count }, (_, index) => index)
    .filter((index) => !skip.includes(index))
    .map((index) => ({
      name: `report-${index}.json`,
      text: JSON.stringify(
        reportOf(
          scans.filter((s) => shardOfAccount(s.accountId, count) === index),
          { index, count },
          `2026-11-25T10:00:0${index}.000Z`,
        ),
      ),
    }));
}

const accountScans = fc.uniqueArray(
  fc.record({
    accountId: fc.stringMatching(/^\d{12}$/),
    status: fc.constantFrom('ok', 'ok', 'ok', 'error', 'skipped'),
    clusters: fc.array(fc.constantFrom<ClusterResult>('PASS', 'FAIL', 'ERROR'), { maxLength: 4 }),
  }),
  { selector: (a) => a.accountId, maxLength: 12 },
);

const three: AccountScan[] = [
  '111111111111',
  '222222222222',
  '333333333333',
  '444444444444',
  '555555555555',
].map((accountId) => ({ accountId, status: 'ok', clusters: ['PASS', 'FAIL'] }));

function refusal(files: readonly ReportFile[]): string {
  const outcome = mergeReports(files);
  if (outcome.ok) throw new Error('merge did not refuse');
  expect(outcome.message).not.toContain('\n');
  return outcome.message;
}

describe('merging shard reports', () => {
  it("adds up what each shard's --security-hub did, every account's targets kept", () => {
    const files = shardFiles(three, 2).map((file, index) => {
      const report = JSON.parse(file.text) as AuditReport;
      const accountId = report.accounts[0]?.accountId ?? '';
      const target = {
        accountId,
        region: 'eu-west-1',
        status: 'ok' as const,
        imported: index + 1,
        updated: 0,
        archived: index,
        failed: 0,
        archiveSkipped: null,
        error: null,
      };
      const securityHub = {
        regions: null,
        imported: index + 1,
        updated: 0,
        archived: index,
        failed: 0,
        targets: [target],
        failedFindings: [],
      };
      return { ...file, text: JSON.stringify({ ...report, securityHub }) };
    });
    const outcome = mergeReports(files);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.securityHub).toMatchObject({ imported: 3, archived: 1, failed: 0 });
    expect(outcome.report.securityHub?.targets).toHaveLength(2);
    expect(schemaErrors('audit-report.schema.json', outcome.report)).toEqual([]);
  });

  it('gives the report and the exit code of one run over every account', () => {
    fc.assert(
      fc.property(accountScans, fc.integer({ min: 1, max: 5 }), (scans, count) => {
        const outcome = mergeReports(shardFiles(scans, count));
        if (!outcome.ok) throw new Error(outcome.message);
        const single = reportOf(scans, null);
        expect(outcome.missingShards).toEqual([]);
        expect({ ...outcome.report, startedAt: single.startedAt }).toEqual(single);
        expect(schemaErrors('audit-report.schema.json', outcome.report)).toEqual([]);
        expect(exitCodeFor(outcome.report)).toBe(exitCodeFor(single));
      }),
      { numRuns: 40 },
    );
  });

  it('adds up the throttled calls each shard counted (report 2.2.0)', () => {
    const files = shardFiles(three, 3).map((file, i) => {
      const report = JSON.parse(file.text) as AuditReport;
      const run = { throttledCalls: { eks: i + 1, ec2: 10 * i, sts: 0, organizations: i } };
      return { ...file, text: JSON.stringify({ ...report, run }) };
    });
    const outcome = mergeReports(files);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.run).toEqual({
      throttledCalls: { eks: 6, ec2: 30, sts: 0, organizations: 3 },
    });
    expect(schemaErrors('audit-report.schema.json', outcome.report)).toEqual([]);
  });

  it('starts at the earliest shard and finishes at the latest', () => {
    const outcome = mergeReports(shardFiles(three, 3));
    expect(outcome).toMatchObject({
      ok: true,
      report: { startedAt: '2026-11-25T10:00:00.000Z', finishedAt: '2026-11-25T10:01:00.000Z' },
    });
  });

  it('marks the merge incomplete (exit 3) and names a shard without a report', () => {
    const outcome = mergeReports(shardFiles(three, 3, [1]));
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.missingShards).toEqual([{ index: 1, count: 3 }]);
    expect(outcome.report.complete).toBe(false);
    expect(exitCodeFor(outcome.report)).toBe(3);
  });

  it('keeps an incomplete shard incomplete', () => {
    const scans = three.map((a, i) => (i === 0 ? { ...a, status: 'error' as const } : a));
    const outcome = mergeReports(shardFiles(scans, 2));
    expect(outcome).toMatchObject({ ok: true, report: { complete: false } });
  });

  it('merges plain runs over different accounts', () => {
    const files = three.map((scan) => ({
      name: `${scan.accountId}.json`,
      text: JSON.stringify(reportOf([scan], null)),
    }));
    const outcome = mergeReports(files);
    expect(outcome).toMatchObject({ ok: true, missingShards: [] });
  });

  it.each([
    [
      'a file that is not JSON',
      [{ name: 'r.json', text: '{"schemaVersion": "2.0.0",' }],
      'r.json is not a usable audit report: not valid JSON',
    ],
    [
      'a report of schema 1.x',
      [
        {
          name: 'r.json',
          text: JSON.stringify({ ...reportOf(three, null), schemaVersion: '1.1.0' }),
        },
      ],
      'r.json has schemaVersion "1.1.0"; merge reads 2.x',
    ],
    [
      'a report without accounts',
      [{ name: 'r.json', text: JSON.stringify({ ...reportOf(three, null), accounts: undefined }) }],
      '"accounts" is not a list',
    ],
    [
      'a plan instead of a report',
      [
        {
          name: 'plan.json',
          text: JSON.stringify({ kind: 'eksposure-remediation-plan', schemaVersion: '2.0.0' }),
        },
      ],
      'plan.json is not a usable audit report',
    ],
  ])('refuses %s', (_what, files, message) => {
    expect(refusal(files)).toContain(message);
  });

  it('refuses shards of different counts', () => {
    const [zeroOfTwo] = shardFiles(three, 2);
    const [, oneOfThree] = shardFiles(three, 3);
    expect(refusal([zeroOfTwo!, oneOfThree!])).toBe(
      'report-0.json is shard 0/2 but report-1.json is shard 1/3: merge the shards of one run (the same --shard count and flags).',
    );
    expect(
      refusal([zeroOfTwo!, { name: 'all.json', text: JSON.stringify(reportOf(three, null)) }]),
    ).toContain('all.json is not a shard (no --shard)');
  });

  it('refuses the same shard twice', () => {
    const [first, second] = shardFiles(three, 2);
    expect(refusal([first!, second!, { ...first!, name: 'copy.json' }])).toBe(
      'report-0.json and copy.json are both shard 0/2: pass each shard once.',
    );
  });

  it('refuses an account in two reports', () => {
    const files = ['a.json', 'b.json'].map((name) => ({
      name,
      text: JSON.stringify(reportOf(three.slice(0, 2), null)),
    }));
    expect(refusal(files)).toContain('account 111111111111 is in both a.json and b.json');
  });

  it("refuses a shard holding another shard's account", () => {
    const wrong = reportOf(three, { index: 0, count: 2 });
    const foreign = three.find((a) => shardOfAccount(a.accountId, 2) === 1)!.accountId;
    expect(refusal([{ name: 'r.json', text: JSON.stringify(wrong) }])).toContain(
      `holds account ${foreign}, which belongs to shard 1`,
    );
  });

  it('refuses shards that scanned different regions', () => {
    const [zero, one] = shardFiles(three, 2);
    const narrowed = {
      ...one!,
      text: JSON.stringify({ ...JSON.parse(one!.text), requestedRegions: ['us-east-1'] }),
    };
    expect(refusal([zero!, narrowed])).toContain('scanned different --regions');
  });

  it('refuses shards that ran different rules (their counts would not add up to one run)', () => {
    const [zero, one] = shardFiles(three, 2);
    const report = JSON.parse(one!.text) as { rules: { id: string }[] };
    const stricter = {
      ...one!,
      text: JSON.stringify({
        ...report,
        rules: [...report.rules, { id: 'EKS-002', title: 't', severity: 'high', aliases: [] }],
      }),
    };
    expect(refusal([zero!, stricter])).toContain('ran different --rules');
  });

  /** One shard's report, changed as `edit` says. */
  const edited = (file: ReportFile, edit: (report: AuditReport) => AuditReport): ReportFile => ({
    ...file,
    text: JSON.stringify(edit(JSON.parse(file.text) as AuditReport)),
  });

  it('refuses shards judged with different exemptions (another --config)', () => {
    const [zero, one] = shardFiles(three, 2);
    const exempting = edited(one!, (r) => ({
      ...r,
      exemptions: [
        {
          index: 0,
          reason: 'CHG-1 vendor access',
          expires: '2027-01-31',
          expired: false,
          matched: 0,
          suppressed: 0,
          unused: true,
        },
      ],
    }));
    expect(refusal([zero!, exempting])).toContain('judged with different exemptions (--config)');
  });

  it('refuses shards judged with different --approved-cidrs, read from EKS-001 evidence', () => {
    const approving = (cidrs: string[] | null) => (r: AuditReport) => ({
      ...r,
      findings: r.findings.map((f) => ({ ...f, evidence: { approvedCidrs: cidrs } })),
    });
    const [zero, one] = shardFiles(three, 2);
    const message = refusal([
      edited(zero!, approving(['203.0.113.0/24'])),
      edited(one!, approving(null)),
    ]);
    expect(message).toContain('judged with different --approved-cidrs');
    const same = mergeReports([
      edited(zero!, approving(['203.0.113.0/24'])),
      edited(one!, approving(['203.0.113.0/24'])),
    ]);
    expect(same.ok).toBe(true);
  });
});
