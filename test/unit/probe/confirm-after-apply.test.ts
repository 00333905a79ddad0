import type { Cluster } from '@aws-sdk/client-eks';

import { type AfterApplyDeps, confirmAfterApply } from '../../../src/probe/confirm-after-apply.js';
import type { ClusterOutcome } from '../../../src/remediation/executor.js';
import { observation } from '../../support/probe.js';
import { type ProbeVerdict } from '../../../src/model/probe.js';

const config = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};

const outcome = (name: string, result: ClusterOutcome['result'], satisfied = false) => ({
  accountId: '111122223333',
  roleArn: null,
  region: 'us-east-1',
  clusterName: name,
  arn: `arn:aws:eks:us-east-1:111122223333:cluster/${name}`,
  result,
  reason: '',
  satisfied,
  updateId: null,
  before: config,
  requested: { endpointPublicAccess: false, endpointPrivateAccess: true },
  errors: [],
});

const madePrivate: Cluster = {
  name: 'c',
  endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
  resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
};

/** Fake edges: a clock that sleeping moves on, and a probe that sees `verdicts` in turn (the last one repeats). */
function edges(verdicts: ProbeVerdict[], describe?: AfterApplyDeps['describe']) {
  let now = 0;
  const sleeps: number[] = [];
  const progress: string[] = [];
  const probed: string[] = [];
  const deps: AfterApplyDeps = {
    describe: describe ?? (() => Promise.resolve(madePrivate)),
    probe: (cluster) => {
      probed.push(cluster.name ?? '');
      const verdict = verdicts[Math.min(probed.length - 1, verdicts.length - 1)] ?? 'not-reachable';
      return Promise.resolve(observation(['203.0.113.10', verdict]));
    },
    clock: {
      now: () => now,
      sleep: (ms) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
    },
    progress: (line) => progress.push(line),
  };
  return { deps, sleeps, progress, probed };
}

const options = (waitMs: number, signal = new AbortController().signal) => ({
  vantage: null,
  waitMs,
  intervalMs: 10_000,
  concurrency: 2,
  signal,
});

const ARN = (name: string) => `arn:aws:eks:us-east-1:111122223333:cluster/${name}`;

describe('confirmAfterApply', () => {
  it('probes again while the endpoint still answers, and confirms once it stops', async () => {
    const { deps, sleeps, progress } = edges([
      'version-disclosed',
      'version-disclosed',
      'not-reachable',
    ]);
    const checks = await confirmAfterApply([outcome('c', 'verified')], deps, options(60_000));
    expect(checks.get(ARN('c'))).toMatchObject({ confirmed: true, attempts: 3 });
    expect(sleeps).toEqual([10_000, 10_000]);
    expect(progress[0]).toBe(
      'us-east-1/c: still answers from here; probing again in 10 s (--probe-wait)',
    );
  });

  it('gives up when --probe-wait has passed, and says how to look again', async () => {
    const { deps, sleeps } = edges(['version-disclosed']);
    const checks = await confirmAfterApply([outcome('c', 'verified')], deps, options(25_000));
    const check = checks.get(ARN('c'));
    expect(sleeps).toEqual([10_000, 10_000, 5_000]);
    expect(check).toMatchObject({ confirmed: false, attempts: 4 });
    expect(check?.summary).toContain(
      'Probe again later with: eksposure probe --cluster c --region us-east-1',
    );
  });

  it('--probe-wait 0 probes once', async () => {
    const { deps, sleeps } = edges(['version-disclosed']);
    const checks = await confirmAfterApply([outcome('c', 'verified')], deps, options(0));
    expect(checks.get(ARN('c'))).toMatchObject({ confirmed: false, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('stops waiting when the run is interrupted', async () => {
    const controller = new AbortController();
    const { deps, sleeps } = edges(['version-disclosed']);
    const { sleep } = deps.clock;
    const checks = await confirmAfterApply(
      [outcome('c', 'verified')],
      {
        ...deps,
        clock: {
          now: deps.clock.now,
          sleep: async (ms, signal) => {
            controller.abort();
            await sleep(ms, signal);
          },
        },
      },
      options(60_000, controller.signal),
    );
    expect(checks.get(ARN('c'))).toMatchObject({ confirmed: false, attempts: 1 });
    expect(sleeps).toEqual([10_000]);
  });

  it('a probe cut short by a signal proves nothing: not judged, however silent', async () => {
    const controller = new AbortController();
    const { deps } = edges(['not-reachable']);
    const probe = deps.probe;
    const checks = await confirmAfterApply(
      [outcome('c', 'verified')],
      {
        ...deps,
        probe: async (cluster) => {
          controller.abort();
          return probe(cluster);
        },
      },
      options(60_000, controller.signal),
    );
    expect(checks.get(ARN('c'))).toMatchObject({
      confirmed: null,
      attempts: 1,
      summary: 'Not judged: the run was interrupted while probing.',
    });
  });

  it('probes only clusters that are as the plan wanted: verified, or already so', async () => {
    const { deps, probed } = edges(['not-reachable']);
    const checks = await confirmAfterApply(
      [
        outcome('verified', 'verified'),
        outcome('already', 'skipped', true),
        outcome('refused', 'skipped'),
        outcome('failed', 'failed'),
        outcome('running', 'in-flight'),
      ],
      deps,
      options(0),
    );
    expect([...checks.keys()]).toEqual([ARN('verified'), ARN('already')]);
    expect(probed).toHaveLength(2);
  });

  it('a cluster that cannot be read is a check that says so, never a crash', async () => {
    const { deps, probed } = edges(['not-reachable'], () =>
      Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })),
    );
    const checks = await confirmAfterApply([outcome('c', 'verified')], deps, options(0));
    expect(checks.get(ARN('c'))).toMatchObject({
      confirmed: null,
      attempts: 0,
      observation: null,
    });
    expect(checks.get(ARN('c'))?.summary).toMatch(
      /^Not probed: DescribeCluster failed: .*Rate exceeded/,
    );
    expect(probed).toEqual([]);
  });
});
