import { pino } from 'pino';
import type { AccountAws } from '../../../src/app/ports.js';
import { nothingToScan, scanAccounts } from '../../../src/app/scan-accounts.js';
import { exitCodeForRefusal } from '../../../src/cli/exit-codes.js';
import { toErrorInfo } from '../../../src/model/errors.js';
import { fakeClock } from '../../support/fake-clock.js';

import { planRegions } from '../../../src/audit/regions.js';
import { silentProgress } from '../../../src/model/scan.js';

const account = [
  { name: 'us-east-1', optInStatus: 'opt-in-not-required' },
  { name: 'af-south-1', optInStatus: 'not-opted-in' },
  { name: 'me-south-1', optInStatus: 'not-opted-in' },
];

/** The refusal as the user sees it: the CLI's exit code for it, and its sentence. */
const asSeen = (refusal: ReturnType<typeof nothingToScan>) =>
  refusal && { exitCode: exitCodeForRefusal(refusal.refusal), message: refusal.message };

describe('nothingToScan', () => {
  it('lets a scan with at least one region go ahead, skipped regions or not', () => {
    expect(nothingToScan(planRegions(account, ['us-east-1', 'af-south-1']), ['x'])).toBeUndefined();
  });

  it('refuses --regions naming only regions that are not enabled as bad input (exit 2)', () => {
    const regions = ['af-south-1', 'me-south-1'];
    expect(asSeen(nothingToScan(planRegions(account, regions), regions))).toEqual({
      exitCode: 2,
      message: expect.stringMatching(
        /^nothing was scanned: .*af-south-1 \(not-opted-in\), me-south-1 \(not-opted-in\)/,
      ),
    });
  });

  it('calls an account with no enabled region an incomplete scan (exit 3): AWS never answers that', () => {
    const disabled = account.filter((r) => r.optInStatus === 'not-opted-in');
    expect(asSeen(nothingToScan(planRegions(disabled, undefined), undefined))).toMatchObject({
      exitCode: 3,
    });
  });
});

describe('scanAccounts', () => {
  const silentLogger = pino({ level: 'silent' });
  const target = (accountId: string) => ({ accountId, name: null, roleArn: `role-${accountId}` });

  /** An account whose every call fails: it ends as one that could not be listed. */
  function failingAccount(onDestroy: () => void): AccountAws {
    const refused = { ok: false as const, error: toErrorInfo(new Error('connect ECONNREFUSED')) };
    const reject = () => Promise.reject(new Error('connect ECONNREFUSED'));
    return {
      listRegions: () => Promise.resolve(refused),
      scanRegion: (region) => Promise.resolve({ region, error: refused.error, clusters: [] }),
      describeNodes: () => Promise.resolve(refused),
      callerAccount: () => Promise.resolve(refused),
      describeCluster: reject,
      describeUpdate: reject,
      listUpdateIds: reject,
      listUpdatesInProgress: reject,
      describeVpcDns: reject,
      submitEndpointUpdate: reject,
      getSecurityHubFindings: () => Promise.resolve(refused),
      importSecurityHubFindings: () => Promise.resolve(refused),
      destroy: onDestroy,
    };
  }

  it('keeps at most --account-concurrency accounts open, closes each, and reports every account', async () => {
    let open = 0;
    let mostOpen = 0;
    let destroyed = 0;
    const outcome = await scanAccounts(
      {
        clock: fakeClock(),
        logger: silentLogger,
        progress: silentProgress,
        toolVersion: '9.9.9',
        openAccount: async (t) => {
          if (t.accountId === '222222222222')
            return { ok: false, error: { code: 'AccessDenied', message: 'not trusted' } };
          open += 1;
          mostOpen = Math.max(mostOpen, open);
          await Promise.resolve();
          return {
            ok: true,
            aws: failingAccount(() => {
              open -= 1;
              destroyed += 1;
            }),
          };
        },
      },
      {
        scan: ['555555555555', '111111111111', '222222222222', '333333333333', '444444444444'].map(
          target,
        ),
        skipped: [{ accountId: '666666666666', name: 'old', reason: 'state SUSPENDED' }],
      },
      {
        homeRegion: 'us-east-1',
        regions: ['us-east-1'],
        concurrency: 2,
        regionConcurrency: 4,
        accountConcurrency: 2,
        shard: { index: 1, count: 3 },
      },
    );
    if (outcome.kind !== 'report') throw new Error('expected a report');
    const { report } = outcome;
    expect(mostOpen).toBeLessThanOrEqual(2);
    expect(destroyed).toBe(4);
    expect(report.accounts.map((a) => [a.accountId, a.status, a.error?.code ?? a.reason])).toEqual([
      ['111111111111', 'error', 'Error'],
      ['222222222222', 'error', 'AccessDenied'],
      ['333333333333', 'error', 'Error'],
      ['444444444444', 'error', 'Error'],
      ['555555555555', 'error', 'Error'],
      ['666666666666', 'skipped', 'state SUSPENDED'],
    ]);
    expect(report.complete).toBe(false);
    expect(report.shard).toEqual({ index: 1, count: 3 });
    expect(report.summary).toMatchObject({ accounts: 6, accountsFailed: 5, accountsSkipped: 1 });
  });
});
