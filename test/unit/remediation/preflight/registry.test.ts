import { preflightChecks, runPreflight } from '../../../../src/remediation/preflight/registry.js';
import type { PreflightCheck } from '../../../../src/remediation/preflight/types.js';
import { allowlisted, cluster, ok, preflightInput } from '../../../support/preflight.js';

describe('pre-flight registry', () => {
  it('pins the check list and its report order, so a check cannot silently disappear', () => {
    expect(preflightChecks.map((c) => c.id)).toEqual([
      'cluster-state',
      'vpc-dns',
      'private-only',
      'operator-lockout',
      'node-access',
      'managed-as-code',
      'allowlist-scope',
      'allowlist-family',
    ]);
  });

  it.each(preflightChecks.map((c) => [c.id, c] as const))(
    '%s has an id and a title',
    (id, check) => {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(check.title.length).toBeGreaterThan(0);
    },
  );

  it('runs the applicable checks in order, each result naming its check', () => {
    const results = runPreflight(preflightInput());
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['cluster-state', 'ok'],
      ['vpc-dns', 'ok'],
      ['private-only', 'warn'],
      ['managed-as-code', 'ok'],
    ]);
  });

  it('reports everything a risky allowlist change needs to know', () => {
    const results = runPreflight(
      preflightInput({
        cluster: cluster({ status: 'UPDATING' }),
        after: allowlisted(['10.0.0.0/16'], false),
        updatesInProgress: ok(['u-1']),
        operatorIp: '203.0.113.7',
      }),
    );
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['cluster-state', 'block'],
      ['operator-lockout', 'warn'],
      ['node-access', 'warn'],
      ['managed-as-code', 'ok'],
      ['allowlist-scope', 'warn'],
    ]);
  });

  it('turns a check that throws into a block naming the check, and still runs the others', () => {
    const broken: PreflightCheck = {
      id: 'broken',
      title: 'Always throws',
      run: () => {
        throw new Error('cannot read property of undefined');
      },
    };
    const results = runPreflight(preflightInput(), [broken, ...preflightChecks]);
    expect(results[0]).toEqual({
      check: 'broken',
      status: 'block',
      message:
        'Pre-flight check broken failed to run: cannot read property of undefined; not changing this cluster (payments).',
    });
    expect(results.slice(1).map((r) => r.check)).toContain('cluster-state');
  });

  it('turns a thrown non-Error into a block too', () => {
    const results = runPreflight(preflightInput(), [
      {
        id: 'odd',
        title: 'Throws a string',
        run: () => {
          throw 'boom'; // eslint-disable-line @typescript-eslint/only-throw-error
        },
      },
    ]);
    expect(results).toEqual([expect.objectContaining({ check: 'odd', status: 'block' })]);
    expect(results[0]?.message).toContain('failed to run: boom');
  });
});
