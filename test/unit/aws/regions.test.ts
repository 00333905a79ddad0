import { readRegionList } from '../../../src/aws/regions.js';
import { planRegions, reconcilePrefetch, regionsToPrefetch } from '../../../src/audit/regions.js';

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

describe('regionsToPrefetch', () => {
  it('starts the 17 default regions when every region is wanted', () => {
    const regions = regionsToPrefetch('us-east-1', undefined);
    expect(regions).toHaveLength(17);
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'ap-northeast-3', 'sa-east-1']));
    expect(regions).not.toContain('af-south-1');
  });

  it('starts exactly the requested regions when all of them are default regions', () => {
    expect(regionsToPrefetch('us-east-1', ['eu-west-1', 'us-west-2', 'eu-west-1'])).toEqual([
      'eu-west-1',
      'us-west-2',
    ]);
  });

  it('starts nothing when --regions names a region that may be unknown or not enabled', () => {
    expect(regionsToPrefetch('us-east-1', ['us-east-1', 'mars-north-1'])).toEqual([]);
    expect(regionsToPrefetch('us-east-1', ['us-east-1', 'af-south-1'])).toEqual([]);
  });

  it('starts nothing outside the standard partition (China, GovCloud)', () => {
    expect(regionsToPrefetch('cn-north-1', undefined)).toEqual([]);
    expect(regionsToPrefetch('us-gov-west-1', ['us-east-1'])).toEqual([]);
  });
});

describe('reconcilePrefetch', () => {
  it('keeps what DescribeRegions confirms, drops what it does not list as enabled, adds the rest', () => {
    const prefetched = ['eu-west-1', 'us-east-1', 'us-west-2'];
    // us-west-2 unlisted or not enabled; ap-southeast-3 opted in.
    const plan = planRegions(
      [
        { name: 'us-east-1', optInStatus: 'opt-in-not-required' },
        { name: 'eu-west-1', optInStatus: 'opt-in-not-required' },
        { name: 'us-west-2', optInStatus: 'not-opted-in' },
        { name: 'ap-southeast-3', optInStatus: 'opted-in' },
      ],
      undefined,
    );
    expect(reconcilePrefetch(prefetched, plan.scan)).toEqual({
      keep: ['eu-west-1', 'us-east-1'],
      drop: ['us-west-2'],
      start: ['ap-southeast-3'],
    });
  });

  it('starts everything when nothing was prefetched, and drops everything when nothing is to be scanned', () => {
    expect(reconcilePrefetch([], ['us-east-1'])).toEqual({
      keep: [],
      drop: [],
      start: ['us-east-1'],
    });
    expect(reconcilePrefetch(['us-east-1'], [])).toEqual({
      keep: [],
      drop: ['us-east-1'],
      start: [],
    });
  });
});
