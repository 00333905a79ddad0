import { FixtureError, parseFixture } from '../../../src/emulator/fixture.js';
import { buildState } from '../../../src/emulator/state.js';

describe('fixture files', () => {
  it.each([
    [[], 'fixture: must be a JSON object'],
    [{ regions: {} }, 'regions: must be an object with at least one region'],
    [{ accountId: '42', regions: { 'us-east-1': {} } }, 'accountId: must be 12 digits'],
    [
      { regions: { 'us-east-1': { optInStatus: 'maybe' } } },
      'regions.us-east-1.optInStatus: must be one of',
    ],
    [
      { regions: { 'us-east-1': { clusters: [{ name: 'has space' }] } } },
      'regions.us-east-1.clusters[0].name',
    ],
    [
      { regions: { 'us-east-1': { clusters: [{ name: 'a', publicAccessCidrs: '0.0.0.0/0' }] } } },
      'clusters[0].publicAccessCidrs: must be an array of strings',
    ],
    [
      { regions: { 'us-east-1': { generate: [{ count: -1, namePrefix: 'x' }] } } },
      'generate[0].count',
    ],
    [{ regions: { r: {} }, updateDurationMs: -1 }, 'updateDurationMs: must be a whole number'],
    [{ regions: { r: {} }, faults: [{ updateOutcome: 'Lost' }] }, 'faults[0].updateOutcome'],
    [
      { regions: { r: {} }, faults: [{}, { updateDurationMs: 1.5 }] },
      'faults[1].updateDurationMs: must be a whole number of milliseconds',
    ],
    [{ regions: { r: {} }, faults: [{ cluster: 7 }] }, 'faults[0].cluster: must be a string'],
    [{ regions: { r: {} }, faults: [{ throttleRate: 2 }] }, 'faults[0].throttleRate'],
    [{ regions: { r: {} }, faults: [{ fail: 'throttle' }] }, 'faults[0].fail: must be one of'],
    [{ regions: { r: {} }, faults: ['slow'] }, 'faults[0]: must be an object'],
    [
      { regions: { r: {} }, faults: [{ service: 'ec2', throttleAs: 'TooManyRequestsException' }] },
      'faults[0].throttleAs: needs "service": "eks"',
    ],
    [
      { regions: { r: {} }, faults: [{ service: 'eks', throttleAs: 'SlowDown' }] },
      'faults[0].throttleAs: must be one of ThrottlingException, TooManyRequestsException',
    ],
    [
      { regions: { r: { clusters: [{ name: 'a', publicAccessCidrs: ['10.0.0.1/8'] }] } } },
      'regions.r.clusters[0].publicAccessCidrs[0]: must be a CIDR in network form',
    ],
    [
      { regions: { r: { clusters: [{ name: 'a', publicAccessCidrs: ['0.0.0.0/0', '::/0'] }] } } },
      'regions.r.clusters[0].publicAccessCidrs[1]: is IPv6, which EKS holds only for a dual-stack cluster',
    ],
    [
      { regions: { r: { clusters: [{ name: 'a', ipFamily: 'ipv5' }] } } },
      'regions.r.clusters[0].ipFamily: must be one of ipv4, ipv6',
    ],
    [
      { regions: { r: { clusters: [{ name: 'a', dualStackEndpoint: true }] } } },
      'regions.r.clusters[0].dualStackEndpoint: needs "ipFamily": "ipv6"',
    ],
  ])('names the path of the first problem (%#)', (fixture, message) => {
    expect(() => parseFixture(fixture)).toThrow(FixtureError);
    expect(() => parseFixture(fixture)).toThrow(message);
  });

  it('accepts update faults and an update duration', () => {
    const fixture = {
      regions: { 'us-east-1': { clusters: [{ name: 'prod' }] } },
      updateDurationMs: 0,
      faults: [
        { service: 'eks', cluster: 'prod', updateOutcome: 'Failed', updateErrorCode: 'Unknown' },
        { operation: 'UpdateClusterConfig', updateOutcome: 'Cancelled', updateDurationMs: 100 },
        { region: 'us-east-1', latencyMs: 5, throttleRate: 0.5, fail: 'access-denied' },
      ],
    };
    expect(parseFixture(fixture)).toBe(fixture);
  });

  it('refuses a cluster defined twice in a region', () => {
    // generate names its clusters namePrefix followed by 1, 2, ...: here a1, which clusters holds too.
    const fixture = parseFixture({
      regions: {
        'us-east-1': { clusters: [{ name: 'a1' }], generate: [{ count: 1, namePrefix: 'a' }] },
      },
    });
    expect(() => buildState(fixture)).toThrow(FixtureError);
    expect(() => buildState(fixture)).toThrow('regions.us-east-1: cluster a1 is defined twice');
    expect(() =>
      buildState(
        parseFixture({ regions: { 'us-east-1': { clusters: [{ name: 'a' }, { name: 'a' }] } } }),
      ),
    ).toThrow('defined twice');
  });

  it('fills in AWS defaults and a VPC for every cluster', () => {
    const state = buildState(
      parseFixture({ regions: { 'eu-west-1': { generate: [{ count: 3, namePrefix: 'job-' }] } } }),
    );
    const region = state.regions.get('eu-west-1')!;
    expect([...region.clusters.keys()]).toEqual(['job-1', 'job-2', 'job-3']);
    const cluster = region.clusters.get('job-2')!;
    expect(cluster.resourcesVpcConfig).toMatchObject({
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(cluster.arn).toBe('arn:aws:eks:eu-west-1:123456789012:cluster/job-2');
    expect(region.vpcs.get(cluster.resourcesVpcConfig.vpcId)).toMatchObject({
      enableDnsSupport: true,
    });
  });

  it('models IPv6 clusters: a dual-stack endpoint on api.aws open to 0.0.0.0/0 and ::/0 unless told otherwise', () => {
    const state = buildState(
      parseFixture({
        regions: {
          'eu-west-1': {
            clusters: [
              { name: 'v4' },
              { name: 'v6', ipFamily: 'ipv6' },
              { name: 'v6-old', ipFamily: 'ipv6', dualStackEndpoint: false },
            ],
          },
          'cn-north-1': { clusters: [{ name: 'v6-cn', ipFamily: 'ipv6' }] },
        },
      }),
    );
    const eu = state.regions.get('eu-west-1')!.clusters;
    const v4 = eu.get('v4')!;
    const v6 = eu.get('v6')!;
    const old = eu.get('v6-old')!;
    expect(v4.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$/);
    expect(v4.kubernetesNetworkConfig).toMatchObject({
      ipFamily: 'ipv4',
      serviceIpv4Cidr: '10.100.0.0/16',
    });
    expect(v4.resourcesVpcConfig.publicAccessCidrs).toEqual(['0.0.0.0/0']);
    expect(v6.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.api\.aws$/);
    expect(v6.kubernetesNetworkConfig.ipFamily).toBe('ipv6');
    expect(v6.kubernetesNetworkConfig.serviceIpv6Cidr).toMatch(
      /^fd[0-9a-f]{2}:[0-9a-f]{4}::\/108$/,
    );
    expect(v6.kubernetesNetworkConfig.serviceIpv4Cidr).toBeUndefined();
    expect(v6.resourcesVpcConfig.publicAccessCidrs).toEqual(['0.0.0.0/0', '::/0']);
    expect(old.endpoint).toMatch(/\.eks\.amazonaws\.com$/);
    expect(old.resourcesVpcConfig.publicAccessCidrs).toEqual(['0.0.0.0/0']);
    expect(state.regions.get('cn-north-1')!.clusters.get('v6-cn')!.endpoint).toMatch(
      /\.cn-north-1\.api\.amazonwebservices\.com\.cn$/,
    );
  });
});
