import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeInstancesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
} from '@aws-sdk/client-ec2';
import type { AuditReport } from '../../src/model/findings.js';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { REPORT_FORMAT_NAMES } from '../../src/report/formats/names.js';
import { type CliRun, nodeAuditArgs, REPO_ROOT, runCli } from '../support/cli.js';
import { findingFor, parseReport, regionAudit } from '../support/report.js';
import { schemaErrors } from '../support/schema.js';
import { emulatorClientConfig, failure } from '../support/sdk.js';
import type { RemediationPlan } from '../../src/remediation/plan.js';

const REGION = 'us-east-1';

/** `audit --rules EKS-003 --output json` of REGION against the emulator at `url`. */
const auditNodes = (url: string): Promise<CliRun> => runCli(nodeAuditArgs(url, REGION));
const fixture = JSON.parse(
  readFileSync(join(REPO_ROOT, 'fixtures', 'nodes.json'), 'utf8'),
) as Fixture;

const nodeCalls = (emulator: RunningEmulator) =>
  [...emulator.stats.calls.entries()]
    .filter(([k]) =>
      /ec2:(DescribeInstances|DescribeSecurityGroups|GetManagedPrefixListEntries)/.test(k),
    )
    .reduce((n, [, v]) => n + v, 0);

describe('EKS-003 (configured exposure of nodes) against the emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture });
  });
  afterAll(() => emulator.close());

  const { audit, auditJson } = regionAudit(() => emulator.url, REGION);

  it('reads no node unless EKS-003 is asked for', async () => {
    const before = nodeCalls(emulator);
    const run = await audit('--output', 'json');
    expect(run.code).toBe(0);
    expect(nodeCalls(emulator)).toBe(before);
  });

  it('fails the managed node group open on 10250 to 0.0.0.0/0, with its nodes and rules', async () => {
    const before = nodeCalls(emulator);
    const { run, report } = await auditJson('--rules', 'EKS-003');
    expect(run.code).toBe(1);
    // One DescribeInstances, one DescribeSecurityGroups batch, one prefix list: per region, not per cluster.
    expect(nodeCalls(emulator) - before).toBe(3);
    const managed = findingFor(report, REGION, 'managed', 'EKS-003');
    expect(managed).toMatchObject({ status: 'FAIL', severity: 'high' });
    expect(managed.evidence).toMatchObject({
      applicable: true,
      nodes: 2, // the stopped instance is not read
      exposedNodeCount: 2,
      exposedNodesNotShown: 0,
      exposedNodes: [
        {
          clusterName: 'managed',
          region: REGION,
          instanceId: 'i-0a1b2c3d4e5f60001',
          addresses: [{ address: '203.0.113.10', family: 4 }],
          ports: [{ fromPort: 10250, toPort: 10250, service: 'kubelet', severity: 'high' }],
          rules: [
            {
              groupId: 'sg-0000000000000kub',
              ipProtocol: 'tcp',
              fromPort: 10250,
              toPort: 10250,
              source: '0.0.0.0/0',
            },
          ],
        },
        // SSH from a prefix list of one office range is not the internet.
        { instanceId: 'i-0a1b2c3d4e5f60002', ports: [{ service: 'kubelet' }] },
      ],
    });
  });

  it('fails the self-managed node open on 10255 over IPv6 (blocks adding up to ::/0)', async () => {
    const { report } = await auditJson('--rules', 'node-exposure');
    const selfManaged = findingFor(report, REGION, 'self-managed', 'EKS-003');
    expect(selfManaged).toMatchObject({ status: 'FAIL', severity: 'high' });
    expect(selfManaged.evidence).toMatchObject({
      exposedNodes: [
        {
          instanceId: 'i-0a1b2c3d4e5f60010',
          addresses: [{ address: '2001:db8:1::10', family: 6 }],
          ports: [{ fromPort: 10255, service: 'kubelet-read-only' }],
        },
      ],
      ipv6Note: expect.stringContaining('route'),
    });
  });

  it('passes the Karpenter node behind a private address, and the Fargate-only cluster is not applicable', async () => {
    const { report } = await auditJson('--rules', 'all');
    expect(report.rules.map((r) => r.id)).toEqual(['EKS-001', 'EKS-002', 'EKS-003']);
    const karpenter = findingFor(report, REGION, 'karpenter', 'EKS-003');
    expect(karpenter).toMatchObject({ status: 'PASS' });
    expect(karpenter.evidence).toMatchObject({ nodes: 1, nodesWithPublicAddress: 0 });
    const fargate = findingFor(report, REGION, 'fargate-only', 'EKS-003');
    expect(fargate).toMatchObject({ status: 'PASS' });
    expect(fargate.message).toMatch(/^Not applicable: the cluster has no EC2 nodes/);
    expect(fargate.evidence).toMatchObject({ applicable: false });
  });

  it('errors a cluster whose sensitive port is open to a prefix list it may not read, and says which permission', async () => {
    // The self-managed node gets a public address and only the group that admits the prefix list
    // on SSH: whether it is open then depends on the list alone.
    const regionFixture = fixture.regions![REGION]!;
    const instances = (regionFixture.instances ?? []).map((i) =>
      i.instanceId === 'i-0a1b2c3d4e5f60010'
        ? {
            ...i,
            publicIp: '203.0.113.20',
            securityGroups: ['sg-000000000000ssh0'],
          }
        : i,
    );
    const denied = await startEmulator({
      fixture: {
        ...fixture,
        regions: { ...fixture.regions, [REGION]: { ...regionFixture, instances } },
        faults: [
          { service: 'ec2', operation: 'GetManagedPrefixListEntries', fail: 'access-denied' },
        ],
      },
    });
    try {
      const run = await auditNodes(denied.url);
      const report = parseReport(run.stdout);
      const notJudged = [
        {
          groupId: 'sg-000000000000ssh0',
          prefixListId: 'pl-00000000000000001',
          reason: expect.stringContaining('UnauthorizedOperation') as unknown,
          fromPort: 22,
          toPort: 22,
        },
      ];
      const undecided = findingFor(report, REGION, 'self-managed', 'EKS-003');
      expect(undecided).toMatchObject({
        status: 'ERROR',
        error: { code: 'PrefixListNotRead' },
        evidence: { notJudged },
      });
      expect(undecided.message).toContain('ec2:GetManagedPrefixListEntries');
      // Open through a rule that was read: a failure whatever the list holds, saying what it skipped.
      const open = findingFor(report, REGION, 'managed', 'EKS-003');
      expect(open).toMatchObject({ status: 'FAIL', evidence: { notJudged } });
      expect(open.message).toContain('not judged');
      // Not knowing is not a pass: the run says it is incomplete (exit 3).
      expect(report.complete).toBe(false);
      expect(run.code).toBe(3);
    } finally {
      await denied.close();
    }
  });

  it('an account whose nodes cannot be read errors EKS-003 only', async () => {
    const denied = await startEmulator({
      fixture: {
        ...fixture,
        faults: [{ service: 'ec2', operation: 'DescribeInstances', fail: 'access-denied' }],
      },
    });
    try {
      const run = await runCli([
        'audit',
        '--endpoint-url',
        denied.url,
        '--regions',
        REGION,
        '--rules',
        'EKS-001,EKS-003',
        '--output',
        'json',
      ]);
      const report = parseReport(run.stdout);
      expect(findingFor(report, REGION, 'managed', 'EKS-003')).toMatchObject({
        status: 'ERROR',
        error: { code: 'UnauthorizedOperation' },
      });
      expect(findingFor(report, REGION, 'managed', 'EKS-001').status).toBe('PASS');
    } finally {
      await denied.close();
    }
  });

  it('--fail-on and exemptions apply to EKS-003 like any rule', async () => {
    expect((await audit('--rules', 'EKS-003', '--fail-on', 'critical')).code).toBe(0);
    expect((await audit('--rules', 'EKS-003', '--fail-on', 'high')).code).toBe(1);
  });

  it.each(REPORT_FORMAT_NAMES.map((f) => [f]))('renders EKS-003 findings as %s', async (format) => {
    const run = await audit('--rules', 'EKS-003', '--output', format);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('EKS-003');
  });

  it('remediate --nodes plans the exact revoke per offending rule, as advice never applied', async () => {
    const run = await runCli([
      'remediate',
      '--endpoint-url',
      emulator.url,
      '--regions',
      REGION,
      '--nodes',
      '--output',
      'json',
    ]);
    const plan = JSON.parse(run.stdout) as RemediationPlan;
    expect(schemaErrors('remediation-plan.schema.json', plan)).toEqual([]);
    expect(plan.schemaVersion).toBe('2.2.0');
    expect(plan.nodeExposure?.map((a) => [a.clusterName, a.commands])).toEqual([
      [
        'managed',
        [
          `aws ec2 revoke-security-group-ingress --region ${REGION} --group-id sg-0000000000000kub --ip-permissions '[{"IpProtocol":"tcp","FromPort":10250,"ToPort":10250,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
        ],
      ],
      [
        'self-managed',
        [
          `aws ec2 revoke-security-group-ingress --region ${REGION} --group-id sg-00000000000ro6v6 --ip-permissions '[{"IpProtocol":"tcp","FromPort":10255,"ToPort":10255,"Ipv6Ranges":[{"CidrIpv6":"::/1"}]}]'`,
          `aws ec2 revoke-security-group-ingress --region ${REGION} --group-id sg-00000000000ro6v6 --ip-permissions '[{"IpProtocol":"tcp","FromPort":10255,"ToPort":10255,"Ipv6Ranges":[{"CidrIpv6":"8000::/1"}]}]'`,
        ],
      ],
    ]);
    expect(plan.nodeExposure?.[0]?.warning).toContain('never applies security-group changes');
    const text = await runCli([
      'remediate',
      '--endpoint-url',
      emulator.url,
      '--regions',
      REGION,
      '--nodes',
      '--mode',
      'allowlist',
      '--allow-cidr',
      '198.51.100.0/24',
    ]);
    expect(text.stdout).toContain(
      'NODES   us-east-1/managed (EKS-003, high; advice only, never applied)',
    );
    expect(text.stdout).toContain('authorize-security-group-ingress');
    // Without --nodes, remediate reads no node.
    const before = nodeCalls(emulator);
    await runCli(['remediate', '--endpoint-url', emulator.url, '--regions', REGION]);
    expect(nodeCalls(emulator)).toBe(before);
  });
});

describe('EKS-003 across accounts, shards, exemptions and --baseline', () => {
  const ROLE = 'arn:aws:iam::{account}:role/SecurityAudit';
  const [CENTRAL, A, B] = ['111111111111', '222222222222', '333333333333'];
  const region = (fixture.regions ?? {})[REGION];
  if (!region) throw new Error('fixtures/nodes.json lost its region');
  // B's kubelet group admits only the VPC: its managed node group passes.
  const closed = {
    ...region,
    securityGroups: {
      ...region.securityGroups,
      'sg-0000000000000kub': {
        ingress: [{ protocol: 'tcp', fromPort: 10250, toPort: 10250, cidrs: ['10.0.0.0/8'] }],
      },
    },
  };
  const accounts: Fixture = {
    accountId: CENTRAL,
    roles: { SecurityAudit: { trustedAccounts: [CENTRAL] } },
    accounts: {
      [CENTRAL]: { regions: { [REGION]: { clusters: [] } } },
      [A]: { regions: { [REGION]: region } },
      [B]: { regions: { [REGION]: closed } },
    },
  };
  let emulator: RunningEmulator;
  let folder = '';
  beforeAll(async () => {
    emulator = await startEmulator({ fixture: accounts });
    folder = mkdtempSync(join(tmpdir(), 'eksposure-eks003-'));
  });
  afterAll(() => emulator.close());

  const scan = (...args: string[]) =>
    runCli([
      'audit',
      '--endpoint-url',
      emulator.url,
      '--regions',
      REGION,
      '--accounts',
      `${A},${B}`,
      '--role-arn',
      ROLE,
      '--rules',
      'EKS-003',
      '--output',
      'json',
      ...args,
    ]);
  const managed = (report: AuditReport) =>
    report.findings
      .filter((f) => f.clusterName === 'managed')
      .map((f) => [f.accountId, f.status, f.change ?? null]);

  it('judges each account with its own nodes, in shards that merge to the whole', async () => {
    const whole = await scan();
    const report = parseReport(whole.stdout);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    expect(managed(report)).toEqual([
      [A, 'FAIL', null],
      [B, 'PASS', null],
    ]);
    const files = await Promise.all(
      [0, 1].map(async (i) => {
        const run = await scan('--shard', `${i}/2`);
        const path = join(folder, `shard-${i}.json`);
        writeFileSync(path, run.stdout);
        return path;
      }),
    );
    const merged = parseReport((await runCli(['merge', ...files, '--output', 'json'])).stdout);
    expect(managed(merged)).toEqual(managed(report));
    expect(merged.summary).toEqual(report.summary);
  });

  it('an exemption suppresses an EKS-003 FAIL, and --baseline tracks it', async () => {
    const config = join(folder, 'exempt.json');
    writeFileSync(
      config,
      JSON.stringify({
        exemptions: [
          {
            cluster: 'self-managed',
            account: A,
            rules: ['EKS-003'],
            reason: 'read-only kubelet behind a firewall, SEC-1',
            expires: '2099-01-01',
          },
        ],
      }),
    );
    const first = await scan('--config', config);
    const baseline = join(folder, 'baseline.json');
    writeFileSync(baseline, first.stdout);
    const firstReport = parseReport(first.stdout);
    expect(findingFor(firstReport, REGION, 'self-managed', 'EKS-003')).toMatchObject({
      accountId: A,
      status: 'SUPPRESSED',
    });
    const again = parseReport((await scan('--baseline', baseline)).stdout);
    expect(schemaErrors('audit-report.schema.json', again)).toEqual([]);
    expect(managed(again)).toEqual([
      [A, 'FAIL', 'unchanged'],
      [B, 'PASS', 'unchanged'],
    ]);
    // Without the exemption, the suppressed finding is a FAIL again: new.
    const selfManagedA = again.findings.find(
      (f) => f.accountId === A && f.clusterName === 'self-managed',
    );
    expect(selfManagedA).toMatchObject({ status: 'FAIL', change: 'new' });
  });
});

describe("the emulator's node reads, through the SDK", () => {
  let emulator: RunningEmulator;
  let ec2: EC2Client;
  beforeAll(async () => {
    emulator = await startEmulator({ fixture });
    ec2 = new EC2Client(emulatorClientConfig(emulator.url, REGION));
  });
  afterAll(async () => {
    ec2.destroy();
    await emulator.close();
  });

  it('pages DescribeInstances at MaxResults, filtered by tag and state', async () => {
    const filters = [{ Name: 'instance-state-name', Values: ['running', 'pending'] }];
    // Six instances, one of them stopped.
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    expect(first.Reservations).toHaveLength(5);
    const second = await ec2.send(
      new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(second.Reservations?.map((r) => r.Instances?.[0]?.InstanceId)).toEqual([
      'i-0a1b2c3d4e5f60030',
    ]);
    expect(second.NextToken).toBeUndefined();
    const tagged = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'tag:eks:cluster-name', Values: ['managed'] }, ...filters],
      }),
    );
    expect(tagged.Reservations).toHaveLength(2);
    expect((await failure(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })))).name).toBe(
      'InvalidParameterValue',
    );
  });

  it("refuses more filter values in one call than EC2's 200, or a value longer than 255 characters", async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `cluster-${i}`);
    const tagKeys = (n: number) => [{ Name: 'tag-key', Values: values(n) }];
    const states = { Name: 'instance-state-name', Values: ['running', 'pending'] };
    await ec2.send(new DescribeInstancesCommand({ Filters: [...tagKeys(198), states] }));
    const tooMany = await failure(
      ec2.send(new DescribeInstancesCommand({ Filters: [...tagKeys(199), states] })),
    );
    expect(tooMany).toMatchObject({ name: 'FilterLimitExceeded', status: 400 });
    expect(tooMany.message).toContain('on a single call is 200');
    const tooLong = await failure(
      ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['k'.repeat(256)] }] }),
      ),
    );
    expect(tooLong).toMatchObject({ name: 'FilterLimitExceeded', status: 400 });
  });

  it('judges the nodes of a region with more clusters than one call may name', async () => {
    const regionFixture = fixture.regions![REGION]!;
    const crowded = await startEmulator({
      fixture: {
        ...fixture,
        regions: {
          ...fixture.regions,
          [REGION]: {
            ...regionFixture,
            generate: [{ count: 450, namePrefix: 'team-' }],
            instances: [
              ...(regionFixture.instances ?? []),
              {
                instanceId: 'i-0a1b2c3d4e5f60449',
                tags: { 'eks:cluster-name': 'team-449' },
                publicIp: '203.0.113.49',
                securityGroups: ['sg-0000000000000kub'],
              },
            ],
          },
        },
      },
    });
    try {
      const run = await auditNodes(crowded.url);
      const report = parseReport(run.stdout);
      expect(report.complete).toBe(true);
      expect(findingFor(report, REGION, 'team-449', 'EKS-003')).toMatchObject({
        status: 'FAIL',
        evidence: { exposedNodes: [{ instanceId: 'i-0a1b2c3d4e5f60449' }] },
      });
      expect(findingFor(report, REGION, 'managed', 'EKS-003').status).toBe('FAIL');
    } finally {
      await crowded.close();
    }
  });

  it('answers DescribeSecurityGroups by id and GetManagedPrefixListEntries, and refuses unknown ids', async () => {
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: ['sg-00000000000ro6v6'] }),
    );
    expect(groups.SecurityGroups?.[0]?.IpPermissions?.[0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 10255,
      ToPort: 10255,
      Ipv6Ranges: [{ CidrIpv6: '::/1' }, { CidrIpv6: '8000::/1' }],
    });
    expect(
      (await failure(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-nope'] })))).name,
    ).toBe('InvalidGroup.NotFound');
    const entries = await ec2.send(
      new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-00000000000000001' }),
    );
    expect(entries.Entries).toEqual([{ Cidr: '198.51.100.0/24' }]);
    const lists = await ec2.send(new DescribeManagedPrefixListsCommand({}));
    expect(lists.PrefixLists?.[0]).toMatchObject({
      PrefixListId: 'pl-00000000000000001',
      AddressFamily: 'IPv4',
      PrefixListName: 'office',
    });
  });
});
