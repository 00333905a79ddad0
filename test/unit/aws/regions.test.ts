import { planRegions, readRegionList } from '../../../src/aws/regions.js';

const account = [
  { name: 'us-east-1', optInStatus: 'opt-in-not-required' },
  { name: 'af-south-1', optInStatus: 'not-opted-in' },
  { name: 'ap-southeast-3', optInStatus: 'opted-in' },
  { name: 'eu-west-1', optInStatus: 'opt-in-not-required' },
];

describe('planRegions', () => {
  it('scans enabled and opted-in regions and skips the rest, in name order', () => {
    const plan = planRegions(account, undefined);
    expect(plan.scan).toEqual(['ap-southeast-3', 'eu-west-1', 'us-east-1']);
    expect(plan.skipped.map((r) => r.name)).toEqual(['af-south-1']);
    expect(plan.unknown).toEqual([]);
  });

  it('keeps only the requested regions, skipping a requested one that is not enabled', () => {
    const plan = planRegions(account, ['us-east-1', 'af-south-1']);
    expect(plan.scan).toEqual(['us-east-1']);
    expect(plan.skipped.map((r) => r.name)).toEqual(['af-south-1']);
  });

  it('names every requested region the account does not have', () => {
    expect(planRegions(account, ['us-east-1', 'mars-north-1', 'eu-south-9']).unknown).toEqual([
      'mars-north-1',
      'eu-south-9',
    ]);
  });
});

describe('readRegionList', () => {
  it('reads each region with its opt-in status, defaulting to enabled', () => {
    expect(
      readRegionList({
        Regions: [
          { RegionName: 'us-east-1' },
          { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
        ],
      }),
    ).toEqual({
      ok: true,
      regions: [
        { name: 'us-east-1', optInStatus: 'opt-in-not-required' },
        { name: 'af-south-1', optInStatus: 'not-opted-in' },
      ],
    });
  });

  it.each([
    ['no region list (an HTML page or an empty body parses to this)', {}],
    ['an empty region list', { Regions: [] }],
    ['regions without names', { Regions: [{ OptInStatus: 'opted-in' }] }],
  ])('refuses %s: every account has regions', (_what, answer) => {
    expect(readRegionList(answer)).toEqual({
      ok: false,
      error: { code: 'InvalidResponse', message: expect.stringContaining('without any region') },
    });
  });
});
