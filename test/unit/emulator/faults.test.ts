import { FaultPlan } from '../../../src/emulator/faults.js';

const call = { service: 'eks', operation: 'DescribeCluster', region: 'us-east-1' } as const;

describe('FaultPlan', () => {
  it('adds up the latency of every matching rule and ignores the others', () => {
    const plan = new FaultPlan([
      { latencyMs: 50 },
      { region: 'us-east-1', latencyMs: 100 },
      { region: 'eu-west-1', latencyMs: 1000 },
    ]);
    expect(plan.decide(call)).toEqual({ latencyMs: 150, failure: undefined });
  });

  it('fails every call of a failing region, and only there', () => {
    const plan = new FaultPlan([{ region: 'us-east-1', service: 'eks', fail: 'access-denied' }]);
    expect(plan.decide(call).failure).toBe('access-denied');
    expect(plan.decide({ ...call, region: 'eu-west-1' }).failure).toBeUndefined();
    expect(plan.decide({ ...call, service: 'ec2' }).failure).toBeUndefined();
  });

  it('throttles about the configured share of calls, the same way for the same seed', () => {
    const throttled = (seed: number) => {
      const plan = new FaultPlan([{ throttleRate: 0.2 }], seed);
      return Array.from({ length: 5000 }, () => plan.decide(call).failure).filter(
        (f) => f === 'throttle',
      ).length;
    };
    expect(throttled(3)).toBe(throttled(3));
    expect(throttled(3) / 5000).toBeCloseTo(0.2, 1);
  });

  it('says which code a throttled EKS call answers with: the first rule that names one', () => {
    const plan = new FaultPlan([
      { throttleRate: 1 },
      { service: 'eks', throttleAs: 'TooManyRequestsException' },
      { service: 'eks', throttleAs: 'ThrottlingException' },
    ]);
    expect(plan.decide(call)).toMatchObject({
      failure: 'throttle',
      throttleAs: 'TooManyRequestsException',
    });
    expect(new FaultPlan([{ throttleRate: 1 }]).decide(call).throttleAs).toBeUndefined();
  });

  it('injects server errors at their own rate, never on a clean plan', () => {
    const plan = new FaultPlan([{ serverErrorRate: 1 }]);
    expect(plan.decide(call).failure).toBe('server-error');
    expect(new FaultPlan([]).decide(call)).toEqual({ latencyMs: 0, failure: undefined });
  });

  it('matches a rule naming a cluster only on calls about that cluster', () => {
    const plan = new FaultPlan([{ cluster: 'prod', fail: 'unavailable' }]);
    expect(plan.decide({ ...call, cluster: 'prod' }).failure).toBe('unavailable');
    expect(plan.decide({ ...call, cluster: 'dev' }).failure).toBeUndefined();
    expect(plan.decide({ ...call, operation: 'ListClusters' }).failure).toBeUndefined();
  });

  it('says how an update ends: the first outcome and the first duration win', () => {
    const plan = new FaultPlan([
      { operation: 'UpdateClusterConfig', updateDurationMs: 50 },
      { cluster: 'prod', updateOutcome: 'Failed', updateErrorCode: 'SubnetNotFound' },
      { updateOutcome: 'Cancelled', updateDurationMs: 9 },
    ]);
    const update = { ...call, operation: 'UpdateClusterConfig', cluster: 'prod' };
    expect(plan.decide(update)).toEqual({
      latencyMs: 0,
      failure: undefined,
      update: { outcome: 'Failed', durationMs: 50, errorCode: 'SubnetNotFound' },
    });
    expect(plan.decide({ ...update, cluster: 'dev' }).update).toEqual({
      outcome: 'Cancelled',
      durationMs: 50,
    });
  });

  it('says nothing about updates when no matching rule does', () => {
    const plan = new FaultPlan([{ latencyMs: 5 }, { cluster: 'prod', updateOutcome: 'Failed' }]);
    expect(plan.decide({ ...call, cluster: 'dev' }).update).toBeUndefined();
  });
});
