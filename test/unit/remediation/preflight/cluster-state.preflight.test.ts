import { run } from '../../../../src/remediation/preflight/cluster-state.preflight.js';
import { cluster, failed, ok, preflightInput } from '../../../support/preflight.js';

describe('cluster-state pre-flight check', () => {
  it('passes an ACTIVE cluster with no update running', () => {
    expect(run(preflightInput())).toEqual({
      check: 'cluster-state',
      status: 'ok',
      message: 'Cluster payments is ACTIVE, no update in progress.',
    });
  });

  it.each(['UPDATING', 'CREATING', 'DELETING', 'FAILED', 'PENDING'] as const)(
    'blocks a %s cluster, saying to wait until ACTIVE and plan again',
    (status) => {
      const result = run(preflightInput({ cluster: cluster({ status }) }));
      expect(result.status).toBe('block');
      expect(result.message).toContain(`payments is ${status}`);
      expect(result.message).toContain(
        'aws eks wait cluster-active --region eu-west-1 --name payments',
      );
      expect(result.message).toContain('plan again');
    },
  );

  it('blocks a cluster that reports no status at all', () => {
    const result = run(preflightInput({ cluster: cluster({ status: undefined }) }));
    expect(result.status).toBe('block');
    expect(result.message).toContain('reports no status');
  });

  it('blocks when updates in progress could not be listed, with the AWS error', () => {
    const result = run(
      preflightInput({
        updatesInProgress: failed(
          'AccessDeniedException',
          'not authorized to perform eks:ListUpdates',
        ),
      }),
    );
    expect(result.status).toBe('block');
    expect(result.message).toContain(
      'AccessDeniedException: not authorized to perform eks:ListUpdates',
    );
    expect(result.message).toContain('nothing is submitted on a guess');
  });

  it('blocks while an update runs, with the command that watches it', () => {
    const result = run(preflightInput({ updatesInProgress: ok(['0d4f-upd']) }));
    expect(result.status).toBe('block');
    expect(result.message).toContain('Update 0d4f-upd is in progress on cluster payments');
    expect(result.message).toContain('one update at a time');
    expect(result.message).toContain(
      'aws eks describe-update --region eu-west-1 --name payments --update-id 0d4f-upd',
    );
    expect(result.message).toContain('plan again after it ends');
  });

  it('names every update in progress when there are several', () => {
    const result = run(preflightInput({ updatesInProgress: ok(['u-1', 'u-2']) }));
    expect(result.status).toBe('block');
    expect(result.message).toContain('Updates u-1, u-2 are in progress');
  });

  it('reports the status problem first when both are wrong', () => {
    const result = run(
      preflightInput({ cluster: cluster({ status: 'UPDATING' }), updatesInProgress: ok(['u-1']) }),
    );
    expect(result.message).toContain('is UPDATING');
  });
});
