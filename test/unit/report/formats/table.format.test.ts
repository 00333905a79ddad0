import type { Cluster } from '@aws-sdk/client-eks';
import { buildAuditReport } from '../../../../src/audit/evaluate.js';

import { formatTable } from '../../../../src/report/formats/table.format.js';
import { formatMarkdown } from '../../../../src/report/formats/markdown.format.js';
import { defaultRules as rules, rules as allRules } from '../../../../src/rules/registry.js';
import { accountScan } from '../../../support/report.js';
import { type ClusterScan } from '../../../../src/model/scan.js';

const scanned = (name: string, access: Cluster['resourcesVpcConfig']): ClusterScan => ({
  name,
  ok: true,
  cluster: {
    name,
    arn: `arn:aws:eks:ap-southeast-2:123456789012:cluster/${name}`,
    status: 'ACTIVE',
    resourcesVpcConfig: access,
  },
});

const manyCidrs = Array.from({ length: 6 }, (_, i) => `198.51.${100 + i}.0/24`);

/** When and where the run happened; the same for every report here. */
const RUN = {
  toolVersion: '9.9.9',
  startedAt: new Date('2026-11-24T02:00:00Z'),
  finishedAt: new Date('2026-11-24T02:00:03Z'),
  homeRegion: 'us-east-1',
  requestedRegions: null,
} as const;

const report = buildAuditReport(rules, {
  ...RUN,
  accounts: [
    accountScan(
      [
        {
          region: 'ap-southeast-2',
          error: undefined,
          clusters: [
            scanned('payments-production-blue', {
              endpointPublicAccess: true,
              endpointPrivateAccess: false,
              publicAccessCidrs: ['0.0.0.0/0'],
            }),
            scanned('branch-offices', {
              endpointPublicAccess: true,
              endpointPrivateAccess: true,
              publicAccessCidrs: manyCidrs,
            }),
          ],
        },
      ],
      [{ name: 'af-south-1', optInStatus: 'not-opted-in' }],
    ),
  ],
});

const lines = (text: string) => text.trimEnd().split('\n');

describe('the audit table', () => {
  it('fits 80 columns, every line, keeping cluster names and CIDR lists whole', () => {
    const text = formatTable(report, { width: 80, showPassed: true });
    expect(Math.max(...lines(text).map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(text).toContain('payments-production-blue');
    const cidrs = text.replace(/\s+/g, '').match(/198\.51\.[\d./,]+/)?.[0];
    expect(cidrs).toBe(manyCidrs.join(','));
  });

  it('keeps one line per cluster off a terminal (no width): grep finds a cluster with its result', () => {
    const text = formatTable(report);
    const row = lines(text).find((l) => l.includes('payments-production-blue'));
    expect(row).toMatch(
      /^FAIL\s+ap-southeast-2\s+payments-production-blue\s+.*0\.0\.0\.0\/0\s+ACTIVE$/,
    );
  });
});

describe('the summary with several rules', () => {
  const endpointRules = allRules.filter((r) => ['EKS-001', 'EKS-002'].includes(r.metadata.id));
  const both = buildAuditReport(endpointRules, {
    ...RUN,
    accounts: [
      accountScan([
        {
          region: 'ap-southeast-2',
          error: undefined,
          clusters: [
            scanned('open', {
              endpointPublicAccess: true,
              endpointPrivateAccess: false,
              publicAccessCidrs: ['0.0.0.0/0'],
            }),
            scanned('private', { endpointPublicAccess: false, endpointPrivateAccess: true }),
          ],
        },
      ]),
    ],
  });

  it('counts each cluster once, and its findings once per rule', () => {
    expect(both.summary).toMatchObject({ clusters: 2, fail: 2, pass: 2, error: 0 });
  });

  it('says the status counts are findings, so they do not read as more clusters than there are', () => {
    expect(formatTable(both)).toContain(
      '2 clusters in 1 region (0 skipped, 0 failed); 4 findings of 2 rules: 2 FAIL, 2 PASS, 0 ERROR.',
    );
    expect(formatMarkdown(both)).toMatch(
      /2 clusters in 1 region · 4 findings \(one per cluster and rule\)/,
    );
  });
});
