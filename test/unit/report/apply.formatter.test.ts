import { buildApplyReport } from '../../../src/report/apply-report.js';
import { formatApplyReport } from '../../../src/report/apply.formatter.js';

const endpoint = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};

const report = buildApplyReport({
  planId: '23d75c9b-2e89-4a43-838e-807e6da66d20',
  mode: 'private',
  journal: '.eksposure/journal-23d75c9b-2e89-4a43-838e-807e6da66d20.ndjson',
  startedAt: new Date('2026-11-24T02:00:00Z'),
  finishedAt: new Date('2026-11-24T02:01:00Z'),
  interruptedBy: null,
  outcomes: [
    {
      accountId: '123456789012',
      roleArn: null,
      region: 'eu-west-1',
      clusterName: 'payments-production-blue',
      arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/payments-production-blue',
      result: 'verified',
      reason: 'the update succeeded and the cluster now has the requested endpoint configuration',
      satisfied: false,
      updateId: 'b5f8a3f3-6f0e-3d53-9c4a-0f2bb6a8b1c2',
      before: endpoint,
      requested: { endpointPublicAccess: false, endpointPrivateAccess: true },
      errors: [],
    },
  ],
});

describe('the apply report', () => {
  it('fits 80 columns and keeps the cluster, update id and reason whole', () => {
    const text = formatApplyReport(report, { width: 80 });
    const lines = text.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.find((l) => l.startsWith('VERIFIED'))).toMatch(
      /eu-west-1\/payments-production-blue$/,
    );
    expect(text).toContain('b5f8a3f3-6f0e-3d53-9c4a-0f2bb6a8b1c2');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'the update succeeded and the cluster now has the requested endpoint configuration',
    );
  });
});
