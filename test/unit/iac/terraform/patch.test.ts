import { terraformFormat } from '../../../../src/iac/terraform/terraform.format.js';
import type { Definition, PatchOutcome, SourceFile } from '../../../../src/iac/types.js';
import type { EndpointChange } from '../../../../src/model/endpoint.js';
import {
  ALLOWLIST,
  applyEdits,
  lineDiff,
  noTerraform,
  PRIVATE,
  targetFor,
  terraformFmtCheck,
} from './terraform-helpers.js';

const itWithTerraform = noTerraform === undefined ? it : it.skip;

async function onlyDefinition(text: string, path = 'main.tf'): Promise<Definition> {
  const reading = await terraformFormat.read([{ path, text }]);
  expect(reading.failures).toEqual([]);
  expect(reading.definitions).toHaveLength(1);
  return reading.definitions[0] as Definition;
}

interface Result {
  readonly outcome: Extract<PatchOutcome, { ok: true }>;
  readonly text: string;
  readonly diff: { removed: string[]; added: string[] };
}

async function patch(text: string, change: EndpointChange): Promise<Result> {
  const outcome = (await onlyDefinition(text)).patch(targetFor('c', change));
  if (!outcome.ok) throw new Error(outcome.reason);
  const patched = applyEdits(text, outcome.edits);
  return { outcome, text: patched, diff: lineDiff(text, patched) };
}

async function refusal(text: string, change: EndpointChange): Promise<string> {
  const outcome = (await onlyDefinition(text)).patch(targetFor('c', change));
  if (outcome.ok) throw new Error('patch was not refused');
  return outcome.reason;
}

const fmtClean = (text: string) => terraformFmtCheck([{ path: 'main.tf', text }]);

const cluster = (vpcConfig: string, before = '') => `${before}resource "aws_eks_cluster" "main" {
  name     = "c"
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
${vpcConfig}  }
}
`;

const moduleV20 = (body: string, version = '  version = "~> 20.0"\n') => `module "eks" {
  source  = "terraform-aws-modules/eks/aws"
${version}
  cluster_name = "c"

${body}}
`;

describe('offsets are JavaScript string indices', () => {
  it('patches after non-ASCII text (é, —, ☕, an astral emoji) at the right place', async () => {
    const text = cluster(
      '    subnet_ids             = var.subnet_ids\n    endpoint_public_access = true\n',
      '# Café team — the cluster ☕ 😀 (ünïcödé)\n/* ñ */\n',
    );
    const definition = await onlyDefinition(text);
    expect(definition.location.line).toBe(3);
    const { diff, text: patched } = await patch(text, PRIVATE);
    expect(diff).toEqual({
      removed: ['    endpoint_public_access = true'],
      added: ['    endpoint_public_access = false', '', '    endpoint_private_access = true'],
    });
    expect(patched.startsWith('# Café team — the cluster ☕ 😀 (ünïcödé)\n/* ñ */\n')).toBe(true);
  });

  it('gives edit offsets that select the old value in the JavaScript string', async () => {
    const text = moduleV20(
      '  # ⚠ — open for now\n  cluster_endpoint_public_access = true\n',
    ).replace('module', '# Ωmega — ☕😀\nmodule');
    const outcome = (await onlyDefinition(text)).patch(targetFor('c', PRIVATE));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.edits).toHaveLength(1);
    const [edit] = outcome.edits;
    expect(text.slice(edit?.start, edit?.end)).toBe('true');
    expect(edit?.text).toBe('false');
  });
});

describe('alignment as terraform fmt does it', () => {
  it('joins a run of aligned attributes when the new name fits its alignment', async () => {
    const text = moduleV20(`
  cluster_endpoint_public_access           = true
  enable_cluster_creator_admin_permissions = true
`);
    const { diff, text: patched } = await patch(text, ALLOWLIST);
    expect(diff).toEqual({
      removed: [],
      added: ['  cluster_endpoint_public_access_cidrs     = ["203.0.113.0/24"]'],
    });
    expect(patched).toContain(
      '  cluster_endpoint_public_access           = true\n  cluster_endpoint_public_access_cidrs     = ["203.0.113.0/24"]\n  enable_cluster_creator_admin_permissions = true\n',
    );
  });

  it('puts a longer name after the run, behind a blank line, rather than realigning it', async () => {
    const text = moduleV20(`
  cluster_endpoint_public_access = true
  vpc_id                         = "vpc-0123456789abcdef0"
`);
    const { diff } = await patch(text, ALLOWLIST);
    expect(diff).toEqual({
      removed: [],
      added: ['', '  cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]'],
    });
  });

  it('separates new lines from a run that follows a multi-line value', async () => {
    const text = cluster(`    public_access_cidrs = [
      "198.51.100.0/24",
    ]
    subnet_ids = var.subnet_ids
`);
    const { diff, text: patched } = await patch(text, PRIVATE);
    expect(diff).toEqual({
      removed: [],
      added: ['    endpoint_public_access  = false', '    endpoint_private_access = true', ''],
    });
    expect(patched).toContain(
      '    ]\n    endpoint_public_access  = false\n    endpoint_private_access = true\n\n    subnet_ids = var.subnet_ids\n',
    );
  });

  it('adds to a block with no attribute yet, indented one level in', async () => {
    const text = cluster('    # filled in by the network team\n');
    const { diff } = await patch(text, PRIVATE);
    expect(diff).toEqual({
      removed: [],
      added: ['    endpoint_public_access  = false', '    endpoint_private_access = true'],
    });
  });

  it('keeps a trailing comment where terraform fmt puts it', async () => {
    const alone = moduleV20('  cluster_endpoint_public_access = false # TODO: close\n');
    const bothOn = { endpointPublicAccess: true, endpointPrivateAccess: true };
    expect((await patch(alone, bothOn)).diff).toEqual({
      removed: ['  cluster_endpoint_public_access = false # TODO: close'],
      added: ['  cluster_endpoint_public_access = true # TODO: close'],
    });
    const run = moduleV20(
      '  cluster_endpoint_public_access  = true  # for CI\n  cluster_endpoint_private_access = false # later\n',
    );
    const { diff, outcome } = await patch(run, PRIVATE);
    expect(diff).toEqual({
      removed: [
        '  cluster_endpoint_public_access  = true  # for CI',
        '  cluster_endpoint_private_access = false # later',
      ],
      added: [
        '  cluster_endpoint_public_access  = false # for CI',
        '  cluster_endpoint_private_access = true  # later',
      ],
    });
    expect(outcome.changes).toEqual([
      'cluster_endpoint_public_access = false (was true)',
      'cluster_endpoint_private_access = true (was false)',
    ]);
  });

  it('notes when terraform fmt would move the trailing comments of lines it leaves alone', async () => {
    const text = moduleV20(
      '  cluster_endpoint_public_access = false # a\n  vpc_id                         = "x"   # b\n',
    );
    const { diff, outcome } = await patch(text, { ...PRIVATE, endpointPublicAccess: true });
    expect(diff).toEqual({
      removed: ['  cluster_endpoint_public_access = false # a'],
      added: ['  cluster_endpoint_public_access = true # a'],
    });
    expect(outcome.notes).toContain(
      'terraform fmt will realign the trailing comments of main.tf:7-8',
    );
  });

  itWithTerraform('passes terraform fmt -check in every case above', async () => {
    expect(fmtClean('a = 1\nbcd = 2\n')).not.toBe(''); // the check itself sees misalignment
    const cases: [string, EndpointChange][] = [
      [
        moduleV20(
          '\n  cluster_endpoint_public_access           = true\n  enable_cluster_creator_admin_permissions = true\n',
        ),
        ALLOWLIST,
      ],
      [
        moduleV20(
          '\n  cluster_endpoint_public_access = true\n  vpc_id                         = "vpc-0123456789abcdef0"\n',
        ),
        ALLOWLIST,
      ],
      [
        cluster(
          '    public_access_cidrs = [\n      "198.51.100.0/24",\n    ]\n    subnet_ids = var.subnet_ids\n',
        ),
        PRIVATE,
      ],
      [cluster('    # filled in by the network team\n'), PRIVATE],
      [
        moduleV20('  cluster_endpoint_public_access = false # TODO: close\n'),
        { endpointPublicAccess: true, endpointPrivateAccess: true },
      ],
      [
        moduleV20(
          '  cluster_endpoint_public_access  = true  # for CI\n  cluster_endpoint_private_access = false # later\n',
        ),
        PRIVATE,
      ],
      [
        cluster(
          '    endpoint_public_access = true\n    public_access_cidrs = [\n      "0.0.0.0/0",\n    ]\n',
        ),
        ALLOWLIST,
      ],
    ];
    for (const [text, change] of cases) {
      expect(fmtClean(text)).toBe('');
      expect(fmtClean((await patch(text, change)).text)).toBe('');
    }
  });
});

describe('values', () => {
  it('rewrites a multi-line CIDR list in its own layout, and a one-line list on one line', async () => {
    const multi = cluster(
      '    endpoint_public_access  = true\n    endpoint_private_access = true\n    public_access_cidrs = [\n      "0.0.0.0/0",\n    ]\n',
    );
    const wide: EndpointChange = {
      ...ALLOWLIST,
      publicAccessCidrs: ['10.0.0.0/8', '192.0.2.10/32'],
    };
    const { diff, outcome } = await patch(multi, wide);
    expect(diff).toEqual({
      removed: ['      "0.0.0.0/0",'],
      added: ['      "10.0.0.0/8",', '      "192.0.2.10/32",'],
    });
    expect(outcome.changes).toEqual([
      'public_access_cidrs = ["10.0.0.0/8", "192.0.2.10/32"] (was ["0.0.0.0/0"])',
    ]);
    const single = cluster(
      '    public_access_cidrs     = ["0.0.0.0/0"]\n    endpoint_private_access = true\n',
    );
    expect((await patch(single, wide)).diff).toEqual({
      removed: ['    public_access_cidrs     = ["0.0.0.0/0"]'],
      added: ['    public_access_cidrs     = ["10.0.0.0/8", "192.0.2.10/32"]'],
    });
  });

  it('leaves a list that already holds the wanted CIDRs in another order', async () => {
    const text = cluster(
      '    endpoint_private_access = true\n    public_access_cidrs     = ["192.0.2.10/32", "10.0.0.0/8"]\n',
    );
    const { outcome } = await patch(text, {
      ...ALLOWLIST,
      publicAccessCidrs: ['10.0.0.0/8', '192.0.2.10/32'],
    });
    expect(outcome.edits).toEqual([]);
    expect(outcome.changes).toEqual([]);
    expect(outcome.notes).toContain('the definition already has the endpoint the fix sets');
  });

  it('refuses a value that is not a literal, naming the place and the expression', async () => {
    const variable = moduleV20('  cluster_endpoint_public_access = var.public_endpoint\n');
    expect(await refusal(variable, PRIVATE)).toBe(
      'main.tf:7: cluster_endpoint_public_access = var.public_endpoint is not a literal, so eksposure cannot tell what it evaluates to; set it to false where its value comes from',
    );
    const conditional = cluster(
      '    subnet_ids              = var.subnet_ids\n    endpoint_private_access = var.env == "prod" ? true : false\n',
    );
    expect(await refusal(conditional, PRIVATE)).toBe(
      'main.tf:7: endpoint_private_access = var.env == "prod" ? true : false is not a literal, so eksposure cannot tell what it evaluates to; set it to true where its value comes from',
    );
    const list = cluster('    public_access_cidrs = var.allowlist\n');
    expect(await refusal(list, ALLOWLIST)).toContain(
      'main.tf:6: public_access_cidrs = var.allowlist is not a literal',
    );
    // The allowlist is not read at all when the fix leaves it as written.
    expect((await patch(list, PRIVATE)).outcome.changes).toHaveLength(2);
  });

  it('refuses a cluster without a plain vpc_config block, and a one-line block', async () => {
    const none = 'resource "aws_eks_cluster" "main" {\n  name = "c"\n}\n';
    expect(await refusal(none, PRIVATE)).toBe(
      'main.tf:1: aws_eks_cluster.main has no vpc_config block, which aws_eks_cluster requires',
    );
    const dynamic = `resource "aws_eks_cluster" "main" {
  name = "c"

  dynamic "vpc_config" {
    for_each = [1]
    content {
      subnet_ids = var.subnet_ids
    }
  }
}
`;
    expect(await refusal(dynamic, PRIVATE)).toBe(
      'main.tf:1: aws_eks_cluster.main sets vpc_config with a dynamic block, which eksposure does not patch',
    );
    const oneLine = cluster('').replace(
      'vpc_config {\n  }',
      'vpc_config { subnet_ids = var.subnet_ids }',
    );
    expect(await refusal(oneLine, PRIVATE)).toBe(
      'main.tf:5: the block is not written one attribute per line, so eksposure cannot add a line to it',
    );
  });

  it('keeps CRLF line endings in added lines', async () => {
    const text = cluster('    subnet_ids = var.subnet_ids\n').replace(/\n/g, '\r\n');
    const { text: patched } = await patch(text, PRIVATE);
    expect(patched).toContain(
      '    subnet_ids = var.subnet_ids\r\n\r\n    endpoint_public_access  = false\r\n    endpoint_private_access = true\r\n  }\r\n',
    );
    expect(patched.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('module versions in patches', () => {
  it('v18: adds private access, saying what the v18 default is', async () => {
    const text = moduleV20('  cluster_endpoint_public_access = true\n', '  version = "~> 18.31"\n');
    const { outcome, diff } = await patch(text, ALLOWLIST);
    expect(outcome.changes).toEqual([
      "cluster_endpoint_private_access = true (added; the module's default for v18 is false)",
      `cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"] (added; the module's default for v18 is ["0.0.0.0/0"])`,
    ]);
    expect(diff.added).toEqual([
      '',
      '  cluster_endpoint_private_access      = true',
      '  cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]',
    ]);
  });

  it('an unpinned module: writes every setting, since v18 and v19 differ, and says why', async () => {
    const text = moduleV20('', '');
    const { outcome } = await patch(text, PRIVATE);
    expect(outcome.changes).toEqual([
      "cluster_endpoint_public_access = false (added; the module's default for v20 or before is true up to v18 and false from v19)",
      "cluster_endpoint_private_access = true (added; the module's default for v20 or before is false up to v18 and true from v19)",
    ]);
    expect(outcome.notes[0]).toBe(
      'module.eks has no version constraint; it sets cluster_name, which v21 renamed, so its names are cluster_name and cluster_endpoint_* (the defaults changed in v19, so eksposure writes every endpoint setting it needs)',
    );
  });

  it('says a version constraint that is not a literal cannot be read', async () => {
    const text = moduleV20('', '  version = var.eks_module_version\n');
    const { outcome } = await patch(text, PRIVATE);
    expect(outcome.notes[0]).toBe(
      `module.eks's version constraint "var.eks_module_version" cannot be read; it sets cluster_name, which v21 renamed, so its names are cluster_name and cluster_endpoint_* (the defaults changed in v19, so eksposure writes every endpoint setting it needs)`,
    );
  });

  it('a git source pinned by ?ref= reads like a version', async () => {
    const text = moduleV20('  endpoint_public_access = true\n', '')
      .replace(
        '"terraform-aws-modules/eks/aws"',
        '"git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v21.1.0"',
      )
      .replace('cluster_name', 'name');
    const definition = await onlyDefinition(text);
    expect(definition.name).toEqual({ resolved: true, value: 'c' });
    const { outcome } = await patch(text, PRIVATE);
    expect(outcome.changes).toEqual(['endpoint_public_access = false (was true)']);
  });

  it('notes that a for_each block is patched for every instance', async () => {
    const text = moduleV20(
      '  for_each = toset(["a", "b"])\n  cluster_endpoint_public_access = true\n',
    );
    const { outcome } = await patch(text, PRIVATE);
    expect(outcome.notes).toContain(
      'module.eks has for_each: this patch changes every instance it makes, not one cluster',
    );
  });
});

describe('reading many files', () => {
  it('reads definitions from every directory, each with its own variables', async () => {
    const files: SourceFile[] = [
      { path: 'prod/main.tf', text: moduleV20('').replace('"c"', 'var.name') },
      { path: 'prod/variables.tf', text: 'variable "name" {\n  default = "prod-eks"\n}\n' },
      { path: 'dev/main.tf', text: moduleV20('').replace('"c"', 'var.name') },
      { path: 'dev/terraform.tfvars', text: 'name = "dev-eks"\n' },
      { path: 'dev/variables.tf', text: 'variable "name" {}\n' },
    ];
    const reading = await terraformFormat.read(files);
    expect(reading.definitions.map((d) => [d.location.file, d.name])).toEqual([
      ['prod/main.tf', expect.objectContaining({ value: 'prod-eks' })],
      ['dev/main.tf', expect.objectContaining({ value: 'dev-eks' })],
    ]);
  });
});
