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

function oneCluster() {
  const state = buildState(
    parseFixture({ regions: { 'us-east-1': { clusters: [{ name: 'c' }] } } }),
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

  it('accepts IPv6 blocks and refuses IPv4 blocks with host bits or surrounding spaces', () => {
    const { cluster } = oneCluster();
    expect(() =>
      checkEndpointAccessChange(cluster, { publicAccessCidrs: ['2001:db8::/32', '0.0.0.0/1'] }),
    ).not.toThrow();
    expect(() =>
      checkEndpointAccessChange(cluster, { publicAccessCidrs: [' 10.0.0.0/8', '10.0.0.1/8'] }),
    ).toThrow('The following CIDRs are invalid in publicAccessCidrs: [ 10.0.0.0/8,10.0.0.1/8]');
  });
});
