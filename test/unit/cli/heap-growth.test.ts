import { onceManyClustersListed } from '../../../src/cli/heap-growth.js';
import { silentProgress } from '../../../src/model/scan.js';
import { fakeAccount, fakeCaller, privateCluster } from '../../support/fake-aws.js';

const clusters = (region: string, count: number) =>
  Array.from({ length: count }, (_, i) => privateCluster(region, `c-${i}`));

const scanOptions = { concurrency: 1 };

describe('onceManyClustersListed: a large scan keeps the heap small', () => {
  it('acts once, when the clusters listed across regions and accounts pass the threshold', async () => {
    const own = fakeAccount('111111111111', [
      ...clusters('us-east-1', 60),
      ...clusters('eu-west-1', 30),
    ]);
    const other = fakeAccount('222222222222', clusters('us-east-1', 40));
    const { caller } = fakeCaller(own, [other]);
    let acted = 0;
    const counting = onceManyClustersListed(caller, () => (acted += 1), 100);

    await counting.own.scanRegion('us-east-1', scanOptions, silentProgress);
    await counting.own.scanRegion('eu-west-1', scanOptions, silentProgress);
    expect(acted).toBe(0); // 90 listed: not past 100

    const opened = await counting.openAccount({
      accountId: '222222222222',
      name: 'other',
      roleArn: 'arn:aws:iam::222222222222:role/eksposure',
    });
    if (!opened.ok) throw new Error('the fake account should open');
    await opened.aws.scanRegion('us-east-1', scanOptions, silentProgress);
    expect(acted).toBe(1); // 130 listed
    await counting.own.scanRegion('us-east-1', scanOptions, silentProgress);
    expect(acted).toBe(1);
  });

  it('still tells the progress each cluster listed and described', async () => {
    const own = fakeAccount('111111111111', clusters('us-east-1', 3));
    const counting = onceManyClustersListed(fakeCaller(own).caller, () => undefined);
    const seen: string[] = [];
    await counting.own.scanRegion('us-east-1', scanOptions, {
      clusterListed: (region, count) => seen.push(`listed ${region} ${count}`),
      clusterDescribed: (region) => seen.push(`described ${region}`),
    });
    expect(seen).toEqual([
      'listed us-east-1 3',
      'described us-east-1',
      'described us-east-1',
      'described us-east-1',
    ]);
  });
});
