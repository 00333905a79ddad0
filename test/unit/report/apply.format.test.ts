import { buildApplyReport } from '../../../src/report/apply-report.js';
import { formatApplyReport } from '../../../src/report/apply.format.js';
import { observation } from '../../support/probe.js';
import { applyExitCode } from '../../../src/cli/exit-codes.js';

const endpoint = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};

const input = {
  planId: '23d75c9b-2e89-4a43-838e-807e6da66d20',
  mode: 'private',
  allowDrift: false,
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
  reasonOf: (outcome: { readonly reason: string }) => outcome.reason,
} as const;
const report = buildApplyReport(input);

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

describe('the apply report with --probe', () => {
  const arn = 'arn:aws:eks:eu-west-1:123456789012:cluster/payments-production-blue';
  const stillAnswers = {
    expected: 'not-reachable' as const,
    confirmed: false,
    summary: 'Still answers from here (203.0.113.10) although the public endpoint is off.',
    attempts: 7,
    observation: { ...observation(['203.0.113.10', 'version-disclosed']), vantage: '198.51.100.7' },
  };
  const probed = buildApplyReport({ ...input, probes: new Map([[arn, stillAnswers]]) });

  it('counts what the probe saw, and an endpoint that still answers fails the run', () => {
    expect(probed.summary.probe).toEqual({ confirmed: 0, stillAnswering: 1, notJudged: 0 });
    expect(probed.clusters[0]?.probe).toEqual(stillAnswers);
    expect(probed.complete).toBe(true);
    expect(applyExitCode(probed, { complete: true })).toBe(1);
    expect(applyExitCode(report, { complete: true })).toBe(0);
    expect(report.summary.probe).toBeNull();
    expect(report.clusters[0]?.probe).toBeNull();
  });

  it('shows each probed cluster, from where, under the changes', () => {
    const text = formatApplyReport(probed, { width: 100 });
    expect(text).toContain('Observed from 198.51.100.7 after the changes (--probe):');
    expect(text).toMatch(/STILL ANSWERS\s+eu-west-1\/payments-production-blue\s+Still answers/);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Probed from here: 0 confirmed, 1 still answering, 0 not judged.',
    );
    expect(formatApplyReport(report)).not.toContain('--probe');
  });
});
