import type { Fixture } from '../emulator/fixture.js';
import { SEVENTEEN_REGIONS } from './measure.js';

/** An account with these cluster counts per region; one cluster in ten is open to the internet. */
export function accountFixture(clustersByRegion: Readonly<Record<string, number>>): Fixture {
  return {
    regions: Object.fromEntries(
      Object.entries(clustersByRegion).map(([region, count]) => {
        const open = Math.floor(count / 10);
        return [
          region,
          {
            generate: [
              {
                count: count - open,
                namePrefix: 'svc-',
                cluster: { endpointPublicAccess: false, endpointPrivateAccess: true },
              },
              { count: open, namePrefix: 'open-' },
            ],
          },
        ];
      }),
    ),
  };
}

/** The same count in each of the 17 regions. */
export const evenAccount = (perRegion: number) =>
  Object.fromEntries(SEVENTEEN_REGIONS.map((region) => [region, perRegion]));

/** `total` clusters in 17 regions, 40 % of them in us-east-1 (4,000 of 10,000), the rest spread evenly. */
export function skewedAccount(total: number): Record<string, number> {
  const big = Math.round(total * 0.4);
  const others = SEVENTEEN_REGIONS.slice(1);
  const each = Math.floor((total - big) / others.length);
  const extra = total - big - each * others.length;
  return {
    [SEVENTEEN_REGIONS[0]]: big,
    ...Object.fromEntries(others.map((region, i) => [region, each + (i < extra ? 1 : 0)])),
  };
}

export const clusterCount = (account: Readonly<Record<string, number>>) =>
  Object.values(account).reduce((a, b) => a + b, 0);
