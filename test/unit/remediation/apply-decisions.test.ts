import type { Update } from '@aws-sdk/client-eks';
import {
  decideSubmit,
  findSubmittedUpdate,
  type PlanIntent,
  submitWasRefused,
  verifyProblems,
} from '../../../src/remediation/apply-decisions.js';

import type { ClusterPlan } from '../../../src/remediation/plan.js';
import { type ClusterFacts, planRemediationCluster } from '../../../src/remediation/planner.js';
import {
  allowlisted,
  cluster,
  failed,
  ok,
  privateOnly,
  REGION,
  vpcDns,
  ACCOUNT,
} from '../../support/preflight.js';
import { type EndpointConfig } from '../../../src/model/endpoint.js';

const facts = (overrides: Partial<ClusterFacts> = {}): ClusterFacts => ({
  account: ACCOUNT,
  region: REGION,
  cluster: cluster(),
  updatesInProgress: ok([]),
  vpcDns: vpcDns(true, true),
  ...overrides,
});

const vpcOf = (config: EndpointConfig) => ({
  ...config,
  publicAccessCidrs: [...config.publicAccessCidrs],
});

const privateIntent: PlanIntent = { mode: 'private', allowCidrs: null, operatorIp: null };
const allowIntent: PlanIntent = {
  mode: 'allowlist',
  allowCidrs: ['203.0.113.0/24'],
  operatorIp: null,
};

/** The plan entry remediate made when the cluster was as `facts` says. */
const planned = (intent: PlanIntent = privateIntent, at: ClusterFacts = facts()): ClusterPlan =>
  planRemediationCluster(
    at,
    intent.mode === 'allowlist'
      ? { mode: 'allowlist', allowCidrs: intent.allowCidrs ?? [] }
      : { mode: 'private' },
    undefined,
    { onManaged: 'block', declared: [] },
  );

describe('decideSubmit: what apply does with a planned cluster, given fresh facts', () => {
  it('submits the plan it would make again itself', () => {
    expect(decideSubmit(planned(), privateIntent, facts())).toEqual({ kind: 'submit' });
    expect(decideSubmit(planned(allowIntent), allowIntent, facts())).toEqual({ kind: 'submit' });
  });

  it('refuses a cluster of another account (same name, other ARN)', () => {
    const other = cluster({ arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/payments' });
    expect(decideSubmit(planned(), privateIntent, facts({ cluster: other }))).toMatchObject({
      kind: 'refuse',
      code: 'ClusterArnMismatch',
      reason: expect.stringContaining('444455556666'),
    });
  });

  it('says already done when the cluster is at the planned configuration', () => {
    const done = cluster({ resourcesVpcConfig: vpcOf(privateOnly) });
    expect(decideSubmit(planned(), privateIntent, facts({ cluster: done }))).toEqual({
      kind: 'already-done',
    });
  });

  it('refuses a cluster whose configuration moved since the plan', () => {
    const moved = cluster({ resourcesVpcConfig: vpcOf(allowlisted(['0.0.0.0/0', '10.0.0.0/8'])) });
    expect(decideSubmit(planned(), privateIntent, facts({ cluster: moved }))).toMatchObject({
      kind: 'refuse',
      code: 'ConfigurationDrifted',
    });
  });

  it('refuses a change that the plan mode and allowlist do not produce (an edited plan)', () => {
    const entry = planned(allowIntent);
    const open = ['203.0.113.0/24', '0.0.0.0/0'];
    const edited: ClusterPlan = {
      ...entry,
      change: { ...entry.change, publicAccessCidrs: open },
      after: { ...entry.after, publicAccessCidrs: open },
    };
    expect(decideSubmit(edited, allowIntent, facts())).toMatchObject({
      kind: 'refuse',
      code: 'ChangeNotFromPlan',
    });
    expect(decideSubmit(edited, { ...allowIntent, allowCidrs: open }, facts())).toMatchObject({
      kind: 'refuse',
      code: 'ChangeDoesNotFixEks001',
    });
  });

  it('refuses a blocked entry flipped to update: the pre-flight checks run again on the fresh facts', () => {
    const noDns = facts({ vpcDns: vpcDns(true, false) });
    const entry = { ...planned(privateIntent, noDns), action: 'update' as const };
    expect(decideSubmit(entry, privateIntent, noDns)).toMatchObject({
      kind: 'refuse',
      code: 'PreflightBlocked',
      reason: expect.stringContaining('vpc-dns'),
    });
    const unknown = facts({ updatesInProgress: failed('AccessDenied', 'no eks:ListUpdates') });
    expect(decideSubmit(planned(), privateIntent, unknown)).toMatchObject({
      code: 'PreflightBlocked',
    });
  });

  it('waits for another update when it is the only thing in the way, not when something else blocks too', () => {
    const busy = facts({
      cluster: cluster({ status: 'UPDATING' }),
      updatesInProgress: ok(['u-9']),
    });
    expect(decideSubmit(planned(), privateIntent, busy)).toEqual({
      kind: 'wait-busy',
      updateId: 'u-9',
    });
    const busyNoDns = { ...busy, vpcDns: vpcDns(true, false) };
    expect(decideSubmit(planned(), privateIntent, busyNoDns)).toMatchObject({
      code: 'PreflightBlocked',
    });
  });

  describe('a cluster managed as code', () => {
    const tagged = facts({ cluster: cluster({ tags: { 'terraform-aws-modules': 'eks' } }) });
    /** A plan of an eksposure that only warned about it: the entry is an update. */
    const oldPlanEntry: ClusterPlan = {
      ...planned(privateIntent, tagged),
      action: 'update',
      preflight: [],
    };

    it('refuses it, even from a plan made before managed clusters were blocked', () => {
      const decision = decideSubmit(oldPlanEntry, privateIntent, tagged);
      expect(decision).toMatchObject({ kind: 'refuse', code: 'PreflightBlocked' });
      expect(decision.kind === 'refuse' && decision.reason).toContain('managed-as-code');
    });

    it('submits it when the plan was made with --allow-drift', () => {
      expect(decideSubmit(oldPlanEntry, { ...privateIntent, allowDrift: true }, tagged)).toEqual({
        kind: 'submit',
      });
    });

    it('keeps a cluster the plan found managed by a declared tag managed', () => {
      const declared = facts({ cluster: cluster({ tags: { ManagedBy: 'terraform' } }) });
      const entry: ClusterPlan = {
        ...planned(privateIntent, declared),
        action: 'update',
        preflight: [],
        managedBy: { tool: 'terraform', evidence: [{ tag: 'ManagedBy', value: 'terraform' }] },
      };
      expect(decideSubmit(entry, privateIntent, declared)).toMatchObject({
        kind: 'refuse',
        code: 'PreflightBlocked',
      });
    });
  });
});

describe('verifyProblems', () => {
  const ARN = cluster().arn ?? '';

  it('accepts the requested configuration when EKS-001 passes', () => {
    const now = cluster({ resourcesVpcConfig: vpcOf(privateOnly) });
    expect(verifyProblems('private', privateOnly, now, ARN)).toBeUndefined();
  });

  it('names a configuration other than the one requested, and a rule that still fails', () => {
    const stillOpen = cluster();
    expect(verifyProblems('private', privateOnly, stillOpen, ARN)).toMatch(
      /^configuration is public on \[0\.0\.0\.0\/0\], private off, not .*; EKS-001 still fails$/,
    );
    expect(verifyProblems('rollback', privateOnly, stillOpen, ARN)).not.toContain('EKS-001');
    expect(verifyProblems('private', privateOnly, stillOpen, 'arn:aws:eks:x:1:cluster/other')).toBe(
      `the cluster read back is ${ARN}, not arn:aws:eks:x:1:cluster/other`,
    );
  });
});

describe('after a lost answer', () => {
  const change = { endpointPublicAccess: false, endpointPrivateAccess: true };
  const submittedAt = new Date('2026-11-25T09:00:00Z');
  const update = (id: string, over: Partial<Update> = {}): Update => ({
    id,
    type: 'EndpointAccessUpdate',
    status: 'InProgress',
    createdAt: new Date('2026-11-25T09:00:01Z'),
    params: [
      { type: 'EndpointPublicAccess', value: 'false' },
      { type: 'EndpointPrivateAccess', value: 'true' },
    ],
    ...over,
  });

  it('finds the endpoint update with the same params, created since the submit', () => {
    const others = [
      update('old', { createdAt: new Date('2026-11-24T09:00:00Z') }),
      update('version', { type: 'VersionUpdate' }),
      update('other-params', { params: [{ type: 'EndpointPublicAccess', value: 'true' }] }),
    ];
    expect(findSubmittedUpdate([...others, update('ours')], change, submittedAt)?.id).toBe('ours');
    expect(findSubmittedUpdate(others, change, submittedAt)).toBeUndefined();
  });

  it('matches an allowlist as a set, and never a change that leaves the list alone', () => {
    const withList = update('ours', {
      params: [
        { type: 'EndpointPublicAccess', value: 'true' },
        { type: 'EndpointPrivateAccess', value: 'true' },
        { type: 'PublicAccessCidrs', value: '["198.51.100.7/32","203.0.113.0/24"]' },
      ],
    });
    const asked = {
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
    };
    expect(findSubmittedUpdate([withList], asked, submittedAt)?.id).toBe('ours');
    expect(
      findSubmittedUpdate([withList], { ...asked, publicAccessCidrs: undefined }, submittedAt),
    ).toBeUndefined();
  });

  it('tells a refusal (a 4xx answer) from an answer that never arrived', () => {
    const answered = (status: number, fault: string) =>
      Object.assign(new Error('x'), { $metadata: { httpStatusCode: status }, $fault: fault });
    expect(submitWasRefused(answered(409, 'client'))).toBe(true);
    expect(submitWasRefused(answered(200, 'client'))).toBe(false); // a body that could not be read
    expect(submitWasRefused(answered(500, 'server'))).toBe(false);
    expect(
      submitWasRefused(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toBe(false);
  });
});
