import { sampleFinding, sampleReport } from '../../support/sample-report.js';
import { schemaErrors } from '../../support/schema.js';
import { type ProbeReport } from '../../../src/model/probe.js';

/** One observation as the report keeps it (the shape of src/probe/probe-report.ts's ProbeReport). */
const observation: ProbeReport = {
  endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
  verdict: 'version-disclosed',
  summary: 'Reachable; /version discloses v1.29.15-eks-4e5c6b0 to anonymous requests.',
  gitVersion: 'v1.29.15-eks-4e5c6b0',
  insecure: false,
  vantage: '198.51.100.7',
  probedAt: '2026-11-25T12:00:00.000Z',
  addresses: [
    {
      address: '203.0.113.10',
      family: 4,
      verdict: 'version-disclosed',
      summary: 'Reachable; /version discloses v1.29.15-eks-4e5c6b0 to anonymous requests.',
      gitVersion: 'v1.29.15-eks-4e5c6b0',
      apiStatus: 403,
      apiMessage: 'forbidden',
      paths: [{ path: '/version', status: 200, failure: null }],
    },
  ],
};

const unknownVerdict = { ...observation, verdict: 'wide-open' };
const extraField = { ...observation, body: '{"secret":"not kept"}' };
const extraAddressField = {
  ...observation,
  addresses: [{ ...observation.addresses[0], body: 'not kept' }],
};

const inAuditReport = (probe: unknown) =>
  schemaErrors(
    'audit-report.schema.json',
    sampleReport([sampleFinding({ clusterName: 'open', status: 'FAIL', probe } as never)]),
  );
const inProbeReport = (probe: object) =>
  schemaErrors('probe-report.schema.json', {
    kind: 'eksposure-probe-report',
    schemaVersion: '1.0.0',
    ...probe,
  });
const alone = (probe: unknown) => schemaErrors('probe-observation.schema.json', probe);

describe('one definition of an observed probe (schemas/probe-observation.schema.json)', () => {
  it.each([
    ['an audit finding', inAuditReport],
    ['a probe report', inProbeReport],
    ['the observation alone', alone],
  ])('accepts an observation in %s', (_where, errorsOf) => {
    expect(errorsOf(observation)).toEqual([]);
  });

  it.each([
    ['an audit finding', inAuditReport],
    ['a probe report', inProbeReport],
    ['the observation alone', alone],
  ])('rejects an unknown verdict and any extra field in %s', (_where, errorsOf) => {
    expect(errorsOf(unknownVerdict)).toEqual([
      expect.stringMatching(/verdict must be equal to one of the allowed values/),
    ]);
    expect(errorsOf(extraField).join('\n')).toMatch(/must NOT have unevaluated properties/);
    expect(errorsOf(extraAddressField).join('\n')).toMatch(
      /addresses\/0 must NOT have additional properties/,
    );
  });

  it('keeps the probe report closed to fields of neither the observation nor the report', () => {
    expect(inProbeReport({ ...observation, kind: 'eksposure-probe-report' })).toEqual([]);
    expect(inProbeReport({ ...observation, exitCode: 1 })).not.toEqual([]);
    expect(schemaErrors('probe-report.schema.json', observation).join('\n')).toMatch(
      /must have required property 'kind'/,
    );
  });
});
