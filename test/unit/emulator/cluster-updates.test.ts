import {
  checkEndpointAccessChange,
  newEndpointAccessUpdate,
  planUpdate,
  settleUpdates,
  startUpdate,
} from '../../../src/emulator/eks/cluster-updates.js';
import { parseFixture } from '../../../src/emulator/fixture.js';
import { buildState } from '../../../src/emulator/state.js';

const T0 = new Date('2026-03-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function oneCluster(spec: Record<string, unknown> = {}) {
  const state = buildState(
    parseFixture({ regions: { 'us-east-1': { clusters: [{ name: 'c', ...spec }] } } }),
  );
  const region = state.regions.get('us-east-1')!;
  return { region, cluster: region.clusters.get('c')! };
}

describe('cluster updates', () => {
  it('plans from the fault decision, else Successful after the default duration', () => {
    expect(planUpdate(undefined, 3000)).toMatchObject({ outcome: 'Successful', durationMs: 3000 });
    expect(planUpdate({ outcome: 'Cancelled', durationMs: 1 }, 3000)).toMatchObject({
      outcome: 'Cancelled',
      durationMs: 1,
    });
  });

  it('keeps the cluster UPDATING until the update is due, then applies the change', () => {
    const { region, cluster } = oneCluster();
    const record = newEndpointAccessUpdate({
      change: { endpointPrivateAccess: true, publicAccessCidrs: ['10.0.0.0/8'] },
      plan: planUpdate(undefined, 1000),
      now: T0,
      clientRequestToken: undefined,
      requestFingerprint: '{}',
    });
    startUpdate(region, cluster, record);
    settleUpdates(region, cluster, at(999));
    expect(cluster.status).toBe('UPDATING');
    expect(cluster.resourcesVpcConfig.endpointPrivateAccess).toBe(false);
    settleUpdates(region, cluster, at(1000));
    expect(record.update.status).toBe('Successful');
    expect(cluster.status).toBe('ACTIVE');
    expect(cluster.resourcesVpcConfig).toMatchObject({
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['10.0.0.0/8'],
    });
  });

  it('refuses blocks with host bits (either family), surrounding spaces, or that are no CIDR', () => {
    const { cluster } = oneCluster({ ipFamily: 'ipv6' });
    expect(() =>
      checkEndpointAccessChange(cluster, {
        publicAccessCidrs: [' 10.0.0.0/8', '10.0.0.1/8', '2001:db8::1/32', '10.0.0.0/33', '::/0'],
      }),
    ).toThrow(
      'The following CIDRs are invalid in publicAccessCidrs: [ 10.0.0.0/8,10.0.0.1/8,2001:db8::1/32,10.0.0.0/33]',
    );
  });

  it('accepts IPv6 blocks on a dual-stack cluster', () => {
    const { cluster } = oneCluster({ ipFamily: 'ipv6' });
    expect(() =>
      checkEndpointAccessChange(cluster, { publicAccessCidrs: ['2001:db8::/32', '0.0.0.0/1'] }),
    ).not.toThrow();
  });

  it.each([
    ['an IPv4 cluster', {}],
    [
      'an IPv6 cluster without a dual-stack endpoint',
      { ipFamily: 'ipv6', dualStackEndpoint: false },
    ],
  ])('refuses IPv6 blocks on %s with InvalidParameterException', (_, spec) => {
    const { cluster } = oneCluster(spec);
    let thrown: unknown;
    try {
      checkEndpointAccessChange(cluster, {
        publicAccessCidrs: ['203.0.113.0/24', '2001:db8::/32'],
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      status: 400,
      code: 'InvalidParameterException',
      message: expect.stringContaining('[2001:db8::/32]') as unknown,
    });
  });
});
