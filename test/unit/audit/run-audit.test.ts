import { nothingToScan } from '../../../src/audit/run-audit.js';
import { planRegions } from '../../../src/aws/regions.js';

const account = [
  { name: 'us-east-1', optInStatus: 'opt-in-not-required' },
  { name: 'af-south-1', optInStatus: 'not-opted-in' },
  { name: 'me-south-1', optInStatus: 'not-opted-in' },
];

describe('nothingToScan', () => {
  it('lets a scan with at least one region go ahead, skipped regions or not', () => {
    expect(nothingToScan(planRegions(account, ['us-east-1', 'af-south-1']), ['x'])).toBeUndefined();
  });

  it('refuses --regions naming only regions that are not enabled as bad input (exit 2)', () => {
    const regions = ['af-south-1', 'me-south-1'];
    expect(nothingToScan(planRegions(account, regions), regions)).toEqual({
      exitCode: 2,
      message: expect.stringMatching(
        /^nothing was scanned: .*af-south-1 \(not-opted-in\), me-south-1 \(not-opted-in\)/,
      ),
    });
  });

  it('calls an account with no enabled region an incomplete scan (exit 3): AWS never answers that', () => {
    const disabled = account.filter((r) => r.optInStatus === 'not-opted-in');
    expect(nothingToScan(planRegions(disabled, undefined), undefined)).toMatchObject({
      exitCode: 3,
    });
  });
});
