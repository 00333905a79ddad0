/**
 * remediate --iac-dir against the emulator serving the clusters that fixtures/iac/ defines (their
 * tags say who manages them): the patch applies with git, the patched files parse and carry the
 * fix, only endpoint lines change, and --apply leaves the managed clusters alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Fixture, parseFixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { fixesAsCode } from '../../src/iac/fix-as-code.js';
import { IAC_FORMATS } from '../../src/iac/formats.js';
import { readIacSources } from '../../src/cli/iac-sources.js';
import type { RemediationPlan } from '../../src/remediation/plan.js';
import { type CliRun, isolatedAwsEnv, REPO_ROOT, runCli } from '../support/cli.js';
import { callsTo, FAST, submits, tempDir } from '../support/remediation.js';

const fixture: Fixture = parseFixture(
  JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'iac.json'), 'utf8')),
);
const DIRS = ['terraform', 'cloudformation', 'eksctl', 'crossplane'];
const IAC_ARGS = DIRS.flatMap((d) => ['--iac-dir', d]);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ fixture, updateDurationMs: 100 });
});
afterAll(() => emulator.close());

/** A copy of fixtures/iac/ to patch: a repository of infrastructure code, outside git. */
function repository(): string {
  const dir = tempDir();
  cpSync(join(REPO_ROOT, 'fixtures', 'iac'), dir, { recursive: true });
  return dir;
}

const remediate = (cwd: string, ...args: string[]): Promise<CliRun> =>
  runCli(['remediate', ...args, '--endpoint-url', emulator.url], isolatedAwsEnv(), cwd);

const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });

const planOf = (run: CliRun) => JSON.parse(run.stdout) as RemediationPlan;
const entry = (plan: RemediationPlan, name: string) => {
  const found = plan.clusters.find((c) => c.clusterName === name);
  if (!found) throw new Error(`no plan entry for ${name}`);
  return found;
};

/** The changed lines of a unified diff, without its headers. */
const changedLines = (patch: string) =>
  patch.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));

const MANAGED = [
  'tf-mod-v20',
  'tf-mod-v21',
  'cfn-yaml',
  'shared-eks-cluster',
  'eksctl-demo',
  'xp-v1beta1',
  'xp-v1beta2',
  'xp-classic',
];

describe.each([
  ['private', [] as string[]],
  ['allowlist', ['--mode', 'allowlist', '--allow-cidr', '203.0.113.0/24']],
])('remediate --iac-dir, %s mode', (mode, modeArgs) => {
  const repo = repository();
  let run: CliRun;
  let plan: RemediationPlan;
  let patch: string;
  beforeAll(async () => {
    run = await remediate(
      repo,
      ...modeArgs,
      ...IAC_ARGS,
      '--patch-out',
      'fix.patch',
      '--output',
      'json',
    );
    plan = planOf(run);
    patch = readFileSync(join(repo, 'fix.patch'), 'utf8');
  });

  it('patches every managed cluster it finds, and blocks them until the patch is merged', () => {
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('eksposure: patch written to fix.patch');
    for (const name of [...MANAGED, 'tf-plain']) {
      const e = entry(plan, name);
      expect({ name, status: e.asCode?.status }).toEqual({ name, status: 'patched' });
      expect({ name, action: e.action }).toEqual({ name, action: 'blocked' });
      expect(e.preflight).toContainEqual(
        expect.objectContaining({ check: 'managed-as-code', status: 'block' }),
      );
    }
    expect(entry(plan, 'tf-mod-v20').managedBy).toEqual({
      tool: 'terraform',
      evidence: [{ tag: 'terraform-aws-modules', value: 'eks' }],
    });
    expect(entry(plan, 'tf-plain').managedBy?.tool).toBe('unknown');
    expect(entry(plan, 'eksctl-demo').managedBy?.tool).toBe('eksctl');
    const eksctl = entry(plan, 'eksctl-demo').asCode;
    expect(eksctl?.status === 'patched' && eksctl.notes.join(' ')).toContain(
      'eksctl utils update-cluster-vpc-config --cluster=eksctl-demo --region=eu-west-1',
    );
    expect(plan.asCode?.patchFile).toBe('fix.patch');
    expect(plan.asCode?.failures).toEqual([]);
  });

  it('says where a name it cannot read leads, and gives snippets where there is no code', () => {
    // One of a for_each: its code, but a patch would change every instance.
    const fleet = entry(plan, 'tf-fleet-a').asCode;
    expect(fleet).toMatchObject({
      status: 'unresolved',
      location: { file: 'terraform/modules-v20/main.tf', address: 'module.eks_fleet' },
    });
    expect(fleet?.status === 'unresolved' && fleet.reason).toMatch(/each\.key/);
    const pulumi = entry(plan, 'pulumi-web');
    expect(pulumi.asCode?.status).toBe('not-found');
    expect(
      pulumi.asCode?.status === 'not-found' && pulumi.asCode.snippets.map((s) => s.tool),
    ).toEqual(['cdk', 'pulumi']);
    // Nothing says it is managed as code: it may be changed now.
    expect(pulumi.action).toBe('update');
  });

  it('gives a patch that git applies, after which the code already holds the fix', async () => {
    expect(git(repo, 'apply', '--check', 'fix.patch').status).toBe(0);
    expect(git(repo, 'apply', 'fix.patch').stderr).toBe('');
    expect(plan.asCode?.files).toEqual(
      [
        'cloudformation/eks-stack.json',
        'cloudformation/eks-stack.yaml',
        'crossplane/cluster-classic.yaml',
        'crossplane/cluster-v1beta1.yaml',
        'crossplane/cluster-v1beta2.yaml',
        'eksctl/cluster.yaml',
        'terraform/modules-v20/main.tf',
        'terraform/modules-v21/main.tf',
        'terraform/plain/main.tf',
      ].sort(),
    );
    // Read again, each patched definition already says what the plan wants.
    const { files } = readIacSources(DIRS, repo);
    const again = await fixesAsCode(
      IAC_FORMATS,
      files,
      [...MANAGED, 'tf-plain'].map((name) => {
        const e = entry(plan, name);
        return {
          key: e.arn,
          managedBy: e.managedBy ?? { tool: 'unknown', evidence: [] },
          target: {
            clusterName: name,
            region: e.region,
            ...(name === 'shared-eks-cluster' ? { logicalId: 'ControlPlane' } : {}),
            after: e.after,
            change: e.change,
          },
        };
      }),
    );
    expect(again.failures).toEqual([]);
    expect([...again.fixes.values()].map((f) => f.status)).toEqual(
      Array<string>(MANAGED.length + 1).fill('unchanged'),
    );
  });

  it('changes only the lines that carry the endpoint settings', () => {
    const changed = changedLines(patch);
    expect(changed.length).toBeGreaterThan(0);
    const endpointLine =
      /endpoint_p(ublic|rivate)_access|public_access_cidrs|Endpoint(Public|Private)Access|PublicAccessCidrs|endpointP(ublic|rivate)Access|publicAccessCidrs|publicAccessCIDRs|clusterEndpoints|publicAccess|privateAccess|^[-+]\s*- \d|^[-+]\s*"\d[\d./]+"|^[-+]\s*vpc:\s*$/;
    // A blank line may come with an added attribute longer than its aligned neighbours: terraform
    // fmt would otherwise realign them (so they would change too).
    const blankAdded = (l: string) => l === '+';
    expect(changed.filter((l) => !endpointLine.test(l) && !blankAdded(l))).toEqual([]);
    expect(changed.filter((l) => l.startsWith('-') && !endpointLine.test(l))).toEqual([]);
    if (mode === 'private') expect(patch).not.toContain('203.0.113.0/24');
    else expect(patch).toContain('203.0.113.0/24');
  });

  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  (terraform.status === 0 ? it : it.skip)(
    `keeps the Terraform files as terraform fmt writes them${terraform.status === 0 ? '' : ' (skipped: terraform is not on this machine)'}`,
    () => {
      const check = spawnSync('terraform', ['fmt', '-check', '-recursive', 'terraform'], {
        cwd: repo,
        encoding: 'utf8',
      });
      // -check lists the files it would rewrite on stdout.
      expect(check.stdout).toBe('');
      expect(check.status).toBe(0);
    },
  );
});

describe('remediate --apply on clusters managed as code', () => {
  it('submits only the cluster nothing manages, and says why the others wait', async () => {
    const repo = repository();
    const before = submits(emulator);
    const run = await remediate(
      repo,
      ...IAC_ARGS,
      '--apply',
      '--yes',
      '--journal',
      join(repo, 'j.ndjson'),
      '--output',
      'json',
      ...FAST,
    );
    expect(run.code).toBe(1);
    expect(submits(emulator) - before).toBe(1);
    const report = JSON.parse(run.stdout) as {
      clusters: { clusterName: string; result: string }[];
    };
    const submitted = report.clusters
      .filter((c) => c.result === 'verified')
      .map((c) => c.clusterName);
    expect(submitted).toEqual(['pulumi-web']);
    expect(existsSync(join(repo, 'fix.patch'))).toBe(false);
  });

  it('changes one anyway with --allow-drift, and records it in the plan and journal', async () => {
    const repo = repository();
    const journal = join(repo, 'j.ndjson');
    const run = await remediate(
      repo,
      '--cluster',
      'cfn-yaml',
      '--allow-drift',
      '--apply',
      '--yes',
      '--journal',
      journal,
      '--output',
      'json',
      ...FAST,
    );
    expect(run.code).toBe(0);
    const lines = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { allowDrift?: boolean });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.allowDrift === true)).toBe(true);
    expect((JSON.parse(run.stdout) as { allowDrift: boolean }).allowDrift).toBe(true);
  });
});

describe('bad input to --iac-dir and --patch-out', () => {
  const repo = repository();

  it.each([
    [['--iac-dir', 'nowhere'], '--iac-dir nowhere cannot be read: no such file or folder'],
    [['--iac-dir', 'eksctl/cluster.yaml'], 'is a file, not a directory'],
    [['--iac-dir', '..'], 'is outside the current directory'],
    [['--patch-out', 'fix.patch'], '--patch-out needs --iac-dir'],
    [
      ['--iac-dir', 'eksctl', '--patch-out', 'missing/fix.patch'],
      'the folder missing does not exist',
    ],
  ])('refuses %j in one line, exit 2, before any AWS call', async (args, message) => {
    const calls = callsTo(emulator);
    const run = await remediate(repo, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(callsTo(emulator)).toBe(calls);
  });

  it('reports a file that does not parse, with its line, and still patches the others', async () => {
    const dir = repository();
    mkdirSync(join(dir, 'terraform', 'broken'));
    writeFileSync(
      join(dir, 'terraform', 'broken', 'main.tf'),
      'resource "aws_eks_cluster" "x" {\n  name = \n',
    );
    const run = await remediate(
      dir,
      '--iac-dir',
      'terraform',
      '--patch-out',
      'fix.patch',
      '--output',
      'json',
    );
    const plan = planOf(run);
    expect(plan.asCode?.failures).toEqual([
      expect.objectContaining({ file: 'terraform/broken/main.tf', line: expect.any(Number) }),
    ]);
    expect(entry(plan, 'tf-mod-v20').asCode?.status).toBe('patched');
    expect(readFileSync(join(dir, 'fix.patch'), 'utf8')).toContain('terraform/modules-v20/main.tf');
  });

  it('names both definitions of a cluster defined twice, and patches neither', async () => {
    const dir = repository();
    cpSync(join(dir, 'eksctl', 'cluster.yaml'), join(dir, 'eksctl', 'copy.yaml'));
    const run = await remediate(
      dir,
      '--iac-dir',
      'eksctl',
      '--cluster',
      'eksctl-demo',
      '--output',
      'json',
    );
    const fix = entry(planOf(run), 'eksctl-demo').asCode;
    expect(fix?.status).toBe('ambiguous');
    expect(fix?.status === 'ambiguous' && fix.candidates.map((c) => c.file)).toEqual([
      'eksctl/cluster.yaml',
      'eksctl/copy.yaml',
    ]);
    expect(planOf(run).asCode?.files).toEqual([]);
  });

  it('refuses an empty --iac-dir or --patch-out', async () => {
    for (const args of [
      ['--iac-dir', ''],
      ['--iac-dir', 'eksctl', '--patch-out', ''],
    ]) {
      const run = await remediate(repo, ...args);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('empties an older patch file when there is nothing to patch, rather than leave it', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'fix.patch'), 'an older patch\n');
    const run = await remediate(
      dir,
      '--iac-dir',
      'eksctl',
      '--cluster',
      'pulumi-web',
      '--patch-out',
      'fix.patch',
    );
    expect(run.stderr).toContain('nothing to patch; fix.patch is empty');
    expect(readFileSync(join(dir, 'fix.patch'), 'utf8')).toBe('');
  });

  it('ends the text plan with the git apply line', async () => {
    const dir = repository();
    const run = await remediate(dir, ...IAC_ARGS, '--patch-out', 'fix.patch');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('  git apply fix.patch');
    expect(
      execFileSync('git', ['apply', '--check', 'fix.patch'], { cwd: dir, encoding: 'utf8' }),
    ).toBe('');
  });
});
