import { buildAuditReport } from '../../../../src/audit/evaluate.js';

import { writeJson } from '../../../../src/report/formats/json.format.js';
import { defaultRules as rules } from '../../../../src/rules/registry.js';
import { accountScan } from '../../../support/report.js';
import { schemaErrors } from '../../../support/schema.js';
import { type ClusterScan } from '../../../../src/model/scan.js';
import { type AuditReport } from '../../../../src/model/findings.js';

const cluster = (name: string, open: boolean): ClusterScan => ({
  name,
  ok: true,
  cluster: {
    name,
    arn: `arn:aws:eks:eu-west-1:123456789012:cluster/${name}`,
    status: 'ACTIVE',
    resourcesVpcConfig: {
      endpointPublicAccess: open,
      endpointPrivateAccess: !open,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
  },
});

function reportOf(clusters: ClusterScan[]): AuditReport {
  return buildAuditReport(rules, {
    toolVersion: '9.9.9',
    startedAt: new Date('2026-11-25T09:00:00Z'),
    finishedAt: new Date('2026-11-25T09:00:04Z'),
    homeRegion: 'eu-west-1',
    requestedRegions: null,
    accounts: [accountScan([{ region: 'eu-west-1', error: undefined, clusters }])],
  });
}

function written(report: AuditReport): { text: string; writes: number } {
  const pieces: string[] = [];
  writeJson(report, { write: (text) => pieces.push(text) });
  return { text: pieces.join(''), writes: pieces.length };
}

describe('writeJson', () => {
  it('writes exactly what JSON.stringify of the whole report with 2-space indent would, in batches', () => {
    const clusters = Array.from({ length: 600 }, (_, i) => cluster(`svc-${i}`, i % 10 === 0));
    clusters.push({
      name: 'gone',
      ok: false,
      error: { code: 'ResourceNotFoundException', message: 'No cluster found for name: gone.' },
    });
    const report = reportOf(clusters);
    const { text, writes } = written(report);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(writes).toBeGreaterThan(1);
    expect(schemaErrors('audit-report.schema.json', JSON.parse(text))).toEqual([]);
  });

  it('writes a report without findings as one valid document', () => {
    const report = reportOf([]);
    const { text } = written(report);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(JSON.parse(text)).toMatchObject({ findings: [], summary: { clusters: 0 } });
  });
});
