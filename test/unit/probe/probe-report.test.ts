import { buildAuditReport } from '../../../src/audit/evaluate.js';

import type { EndpointProbe } from '../../../src/probe/prober.js';
import { toProbeReport } from '../../../src/probe/probe-report.js';
import { REPORT_FORMAT_NAMES } from '../../../src/report/formats/names.js';
import { REPORT_WRITERS } from '../../../src/report/formats/registry.js';
import { eks001EndpointPublicAccess } from '../../../src/rules/eks-001-endpoint-public-access.js';
import { check, eksProbe001ApiReachable } from '../../../src/rules/eks-probe-001-api-reachable.js';
import { accountScan, findingFor } from '../../support/report.js';
import { SAMPLE_RULES, sampleFinding, sampleReport } from '../../support/sample-report.js';
import { schemaErrors } from '../../support/schema.js';
import { type ClusterRecord } from '../../../src/model/scan.js';
import { type ProbeReport } from '../../../src/model/probe.js';
import { AUDIT_REPORT_SCHEMA_VERSION } from '../../../src/model/findings.js';

const ARN = 'arn:aws:eks:us-east-1:123456789012:cluster/open';
const cluster: ClusterRecord = {
  name: 'open',
  arn: ARN,
  status: 'ACTIVE',
  endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
  resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false },
};

function observed(
  verdict: EndpointProbe['verdict'],
  gitVersion: string | null = null,
): ProbeReport {
  const probe: EndpointProbe = {
    endpoint: cluster.endpoint ?? '',
    host: 'abc.gr7.us-east-1.eks.amazonaws.com',
    insecure: false,
    verdict,
    summary: `observed ${verdict}`,
    gitVersion,
    resolveError: null,
    addresses: [
      {
        address: '203.0.113.10',
        family: 4,
        verdict,
        summary: `observed ${verdict}`,
        gitVersion,
        apiStatus: verdict === 'anonymous-api-access' ? 200 : 403,
        apiMessage: null,
        results: [{ path: '/api', answered: true, status: 200, body: '{"secret":"not kept"}' }],
      },
    ],
  };
  return toProbeReport(probe, '198.51.100.7', new Date('2026-11-25T12:00:00Z'));
}

const withProbe = (probe: ProbeReport) => ({
  approvedCidrs: null,
  probes: new Map([[ARN, probe]]),
});

describe('EKS-PROBE-001 API server reachable from the internet', () => {
  it('passes a cluster that was not probed, and says why', () => {
    expect(check(cluster)).toMatchObject({ status: 'PASS', evidence: { probed: false } });
    const closed = { ...cluster, resourcesVpcConfig: { endpointPublicAccess: false } };
    expect(check(closed).message).toContain('public endpoint is off');
    expect(check(cluster).message).toBe('Not probed: no probe was run (--probe).');
    const noEndpoint = { ...cluster, endpoint: undefined };
    expect(check(noEndpoint, { approvedCidrs: null, probes: new Map() }).message).toBe(
      'Not probed: DescribeCluster gave no https endpoint (none).',
    );
  });

  it('fails with the severity of what it observed', () => {
    expect(check(cluster, withProbe(observed('anonymous-api-access')))).toMatchObject({
      status: 'FAIL',
      severity: 'critical',
    });
    expect(check(cluster, withProbe(observed('version-disclosed', 'v1.29.1')))).toMatchObject({
      status: 'FAIL',
      severity: 'medium',
      evidence: { verdict: 'version-disclosed', gitVersion: 'v1.29.1', vantage: '198.51.100.7' },
    });
    expect(check(cluster, withProbe(observed('anonymous-rejected'))).severity).toBe('low');
    expect(check(cluster, withProbe(observed('not-reachable'))).status).toBe('PASS');
  });

  it('is an ERROR, never a PASS, when the name resolved to no address: nothing was probed', () => {
    const unresolved: ProbeReport = {
      ...observed('not-reachable'),
      summary:
        'Not reachable from here: abc.gr7.us-east-1.eks.amazonaws.com does not resolve (EAI_AGAIN).',
      addresses: [],
    };
    expect(check(cluster, withProbe(unresolved))).toMatchObject({
      status: 'ERROR',
      error: { code: 'EndpointNotResolved', message: unresolved.summary },
    });
  });
});

describe('a probed cluster in the audit report', () => {
  const report = buildAuditReport([eks001EndpointPublicAccess, eksProbe001ApiReachable], {
    toolVersion: '0.0.0',
    startedAt: new Date('2026-11-25T12:00:00Z'),
    finishedAt: new Date('2026-11-25T12:00:01Z'),
    homeRegion: 'us-east-1',
    requestedRegions: null,
    accounts: [
      accountScan([
        { region: 'us-east-1', error: undefined, clusters: [{ name: 'open', ok: true, cluster }] },
      ]),
    ],
    ruleContext: withProbe(observed('anonymous-api-access', 'v1.28.3')),
  });

  it('sets configured and observed exposure side by side on the EKS-001 finding', () => {
    const eks001 = findingFor(report, 'us-east-1', 'open', 'EKS-001');
    expect(eks001.status).toBe('FAIL');
    expect(eks001.probe).toMatchObject({ verdict: 'anonymous-api-access', gitVersion: 'v1.28.3' });
    expect(JSON.stringify(eks001.probe)).not.toContain('not kept');
    const probeFinding = findingFor(report, 'us-east-1', 'open', 'EKS-PROBE-001');
    expect(probeFinding).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(probeFinding.probe).toBeUndefined();
    expect(report.schemaVersion).toBe(AUDIT_REPORT_SCHEMA_VERSION);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
  });

  it('is shown by every output format', () => {
    const sample = sampleReport([
      sampleFinding({
        clusterName: 'open',
        status: 'FAIL',
        probe: observed('version-disclosed', 'v1.29.15-eks-4e5c6b0'),
      }),
    ]);
    for (const name of REPORT_FORMAT_NAMES) {
      let written = '';
      REPORT_WRITERS[name](
        sample,
        { write: (t) => (written += t) },
        { rules: SAMPLE_RULES, width: 200 },
      );
      expect([name, written]).toEqual([name, expect.stringContaining('version-disclosed')]);
      expect([name, written]).toEqual([name, expect.stringContaining('v1.29.15-eks-4e5c6b0')]);
    }
  });
});
