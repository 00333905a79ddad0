import type { Cluster } from '@aws-sdk/client-eks';
import { buildAuditReport, type AuditInput } from '../../../src/audit/evaluate.js';

import { defaultRules as rules } from '../../../src/rules/registry.js';
import { accountScan } from '../../support/report.js';
import type { Rule } from '../../../src/rules/types.js';
import { type ClusterScan, type RegionScan, type AccountRegion } from '../../../src/model/scan.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';

const described = (name: string, publicAccess: boolean, cidrs = ['0.0.0.0/0']): ClusterScan => ({
  name,
  ok: true,
  cluster: {
    name,
    arn: `arn:aws:eks:us-east-1:123456789012:cluster/${name}`,
    status: 'ACTIVE',
    resourcesVpcConfig: {
      endpointPublicAccess: publicAccess,
      endpointPrivateAccess: !publicAccess,
      publicAccessCidrs: cidrs,
    },
  } satisfies Cluster,
});

function input(scans: RegionScan[], skipped: readonly AccountRegion[] = []): AuditInput {
  return {
    toolVersion: '9.9.9',
    startedAt: new Date('2026-11-24T02:00:00Z'),
    finishedAt: new Date('2026-11-24T02:00:03Z'),
    homeRegion: 'us-east-1',
    requestedRegions: null,
    accounts: [accountScan(scans, skipped, new Map([['us-east-1', 'opt-in-not-required']]))],
  };
}

describe('buildAuditReport', () => {
  it('exits 0 when every cluster passes, 1 when one fails', () => {
    const passing = buildAuditReport(
      rules,
      input([{ region: 'us-east-1', error: undefined, clusters: [described('a', false)] }]),
    );
    expect(exitCodeFor(passing)).toBe(0);
    const failing = buildAuditReport(
      rules,
      input([
        {
          region: 'us-east-1',
          error: undefined,
          clusters: [described('a', false), described('b', true)],
        },
      ]),
    );
    expect(failing.summary).toMatchObject({ clusters: 2, pass: 1, fail: 1, error: 0 });
    expect(exitCodeFor(failing)).toBe(1);
  });

  it('exits 3, not 1, when a region failed even though a cluster fails', () => {
    const report = buildAuditReport(
      rules,
      input([
        { region: 'us-east-1', error: undefined, clusters: [described('b', true)] },
        {
          region: 'eu-west-1',
          error: { code: 'AccessDeniedException', message: 'denied' },
          clusters: [],
        },
      ]),
    );
    expect(report.complete).toBe(false);
    expect(report.regions.find((r) => r.region === 'eu-west-1')).toMatchObject({
      status: 'error',
      error: { code: 'AccessDeniedException' },
    });
    expect(exitCodeFor(report)).toBe(3);
  });

  it('gives a region listed only in part no cluster count, yet reports the clusters it did read', () => {
    const report = buildAuditReport(
      rules,
      input([
        {
          region: 'us-east-1',
          error: { code: 'PaginationLoop', message: 'ListClusters listed cluster "a" twice' },
          clusters: [described('a', true)],
        },
      ]),
    );
    expect(report.regions[0]).toMatchObject({ status: 'error', clusterCount: null });
    expect(report.findings.map((f) => [f.clusterName, f.status])).toEqual([['a', 'FAIL']]);
    expect(report.summary.clusters).toBe(1);
    expect(exitCodeFor(report)).toBe(3);
  });

  it('turns an undescribable cluster into an ERROR finding with the AWS error', () => {
    const report = buildAuditReport(
      rules,
      input([
        {
          region: 'us-east-1',
          error: undefined,
          clusters: [
            {
              name: 'gone',
              ok: false,
              error: {
                code: 'ResourceNotFoundException',
                message: 'No cluster found for name: gone.',
              },
            },
          ],
        },
      ]),
    );
    expect(report.findings[0]).toMatchObject({
      status: 'ERROR',
      clusterName: 'gone',
      message:
        'DescribeCluster failed: ResourceNotFoundException: No cluster found for name: gone.',
      endpointPublicAccess: null,
    });
    expect(exitCodeFor(report)).toBe(3);
  });

  it('turns a rule that throws into an ERROR finding instead of a crash', () => {
    const broken: Rule = {
      metadata: rules[0]!.metadata,
      check: () => {
        throw new Error('boom');
      },
    };
    const report = buildAuditReport(
      [broken],
      input([{ region: 'us-east-1', error: undefined, clusters: [described('a', true)] }]),
    );
    expect(report.findings[0]).toMatchObject({
      status: 'ERROR',
      message: 'rule EKS-001 threw: boom',
      accessMode: 'public-open',
    });
  });

  it('orders findings by region and then by cluster name in natural order', () => {
    const names = ['env-10', 'env-2', 'env-1'];
    const report = buildAuditReport(
      rules,
      input([
        { region: 'us-east-1', error: undefined, clusters: names.map((n) => described(n, false)) },
      ]),
    );
    expect(report.findings.map((f) => f.clusterName)).toEqual(['env-1', 'env-2', 'env-10']);
  });

  it('lists skipped regions with their opt-in status and no cluster count', () => {
    const report = buildAuditReport(
      rules,
      input([], [{ name: 'af-south-1', optInStatus: 'not-opted-in' }]),
    );
    expect(report.regions).toEqual([
      expect.objectContaining({
        region: 'af-south-1',
        status: 'skipped',
        clusterCount: null,
        reason: expect.stringContaining('not-opted-in'),
      }),
    ]);
    expect(report.summary.regionsSkipped).toBe(1);
    expect(exitCodeFor(report)).toBe(0);
  });

  it("matches an exemption's account against each finding's account, and --fail-on reads severities", () => {
    const region = (clusters: ClusterScan[]): RegionScan => ({
      region: 'us-east-1',
      error: undefined,
      clusters,
    });
    const base = input([]);
    const report = buildAuditReport(rules, {
      ...base,
      accounts: [
        accountScan([region([described('lab', true)])], [], new Map(), {
          accountId: '222222222222',
          name: 'lab',
          roleArn: null,
        }),
        accountScan([region([described('prod', true)])], [], new Map(), {
          accountId: '333333333333',
          name: 'prod',
          roleArn: null,
        }),
      ],
      exemptions: [
        {
          index: 0,
          account: '222222222222',
          reason: 'lab account',
          expires: '2099-01-01',
          expiresAt: new Date('2099-01-02T00:00:00Z'),
        },
      ],
    });
    expect(report.findings.map((f) => [f.accountId, f.status])).toEqual([
      ['222222222222', 'SUPPRESSED'],
      ['333333333333', 'FAIL'],
    ]);
    expect(report.summary).toMatchObject({ fail: 1, suppressed: 1 });
    expect(exitCodeFor(report)).toBe(1);
    expect(exitCodeFor(report, 'high')).toBe(0);
    expect(exitCodeFor(report, 'medium')).toBe(1);
    expect(exitCodeFor(report, 'never')).toBe(0);
  });

  it('suppresses by exemption (account from the ARN), counts SUPPRESSED apart, and --fail-on reads severities', () => {
    const report = buildAuditReport(rules, {
      ...input([
        {
          region: 'us-east-1',
          error: undefined,
          clusters: [described('lab', true), described('prod', true)],
        },
      ]),
      exemptions: [
        {
          index: 0,
          cluster: 'lab',
          account: '123456789012',
          reason: 'lab',
          expires: '2099-01-01',
          expiresAt: new Date('2099-01-02T00:00:00Z'),
        },
        {
          index: 1,
          account: '999999999999',
          reason: 'another account',
          expires: '2099-01-01',
          expiresAt: new Date('2099-01-02T00:00:00Z'),
        },
      ],
    });
    expect(report.findings.map((f) => [f.clusterName, f.status])).toEqual([
      ['lab', 'SUPPRESSED'],
      ['prod', 'FAIL'],
    ]);
    expect(report.summary).toMatchObject({ fail: 1, suppressed: 1 });
    expect(report.exemptions.map((e) => e.unused)).toEqual([false, true]);
    expect(exitCodeFor(report)).toBe(1);
    expect(exitCodeFor(report, 'high')).toBe(0);
    expect(exitCodeFor(report, 'medium')).toBe(1);
    expect(exitCodeFor(report, 'never')).toBe(0);
  });
});
