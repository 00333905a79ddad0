import { planRegions } from '../../../src/aws/regions.js';

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
