import { terraformFormat } from '../../../../src/iac/terraform/terraform.format.js';
import type { DefinitionName, SourceFile } from '../../../../src/iac/types.js';

const MODULE_V20 = (nameLine: string, extra = '') => `module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"
${extra}
  ${nameLine}
}
`;

async function nameOf(files: SourceFile[]): Promise<DefinitionName | undefined> {
  const reading = await terraformFormat.read(files);
  expect(reading.failures).toEqual([]);
  expect(reading.definitions).toHaveLength(1);
  return reading.definitions[0]?.name;
}

const VARIABLE = (name: string, body = '') => `variable "${name}" {\n  type = string\n${body}}\n`;

describe('cluster names through variables, locals and .tfvars', () => {
  it('says where a variable with no default and no .tfvars entry leads', async () => {
    const name = await nameOf([
      { path: 'infra/eks/main.tf', text: MODULE_V20('cluster_name = var.cluster_name') },
      { path: 'infra/eks/variables.tf', text: VARIABLE('cluster_name') },
    ]);
    expect(name).toEqual({
      resolved: false,
      reason:
        'cluster_name = var.cluster_name: variable "cluster_name" has no default and no .tfvars entry in infra/eks',
    });
  });

  it('uses the default when no auto-loaded .tfvars sets the variable', async () => {
    const name = await nameOf([
      { path: 'main.tf', text: MODULE_V20('cluster_name = var.cluster_name') },
      { path: 'variables.tf', text: VARIABLE('cluster_name', '  default = "from-default"\n') },
    ]);
    expect(name).toEqual({
      resolved: true,
      value: 'from-default',
      from: { tool: 'terraform', file: 'variables.tf', line: 3, address: 'var.cluster_name' },
    });
  });

  it('lets *.auto.tfvars (in name order) override terraform.tfvars, which overrides the default', async () => {
    const name = await nameOf([
      { path: 'eks/b.auto.tfvars', text: 'cluster_name = "from-b-auto"\n' },
      { path: 'eks/a.auto.tfvars', text: 'cluster_name = "from-a-auto"\n' },
      { path: 'eks/terraform.tfvars', text: 'cluster_name = "from-tfvars"\n' },
      { path: 'eks/main.tf', text: MODULE_V20('cluster_name = var.cluster_name') },
      { path: 'eks/variables.tf', text: VARIABLE('cluster_name', '  default = "from-default"\n') },
    ]);
    expect(name).toEqual({
      resolved: true,
      value: 'from-b-auto',
      from: { tool: 'terraform', file: 'eks/b.auto.tfvars', line: 1, address: 'var.cluster_name' },
    });
  });

  it('does not take values from another directory', async () => {
    const name = await nameOf([
      { path: 'eks/main.tf', text: MODULE_V20('cluster_name = var.cluster_name') },
      { path: 'eks/variables.tf', text: VARIABLE('cluster_name') },
      { path: 'terraform.tfvars', text: 'cluster_name = "elsewhere"\n' },
    ]);
    expect(name).toMatchObject({ resolved: false });
  });

  it('refuses a name that depends on which -var-file is passed', async () => {
    const onlyVarFiles = await nameOf([
      { path: 'main.tf', text: MODULE_V20('cluster_name = var.cluster_name') },
      { path: 'variables.tf', text: VARIABLE('cluster_name') },
      { path: 'prod.tfvars', text: 'cluster_name = "prod-eks"\n' },
      { path: 'dev.tfvars', text: 'cluster_name = "dev-eks"\n' },
    ]);
    expect(onlyVarFiles).toEqual({
      resolved: false,
      reason:
        'cluster_name = var.cluster_name: variable "cluster_name" has no default and is set only in dev.tfvars, prod.tfvars (used with -var-file), so the name depends on the command line',
    });
    const differing = await nameOf([
      { path: 'main.tf', text: MODULE_V20('cluster_name = var.cluster_name') },
      { path: 'variables.tf', text: VARIABLE('cluster_name', '  default = "dev-eks"\n') },
      { path: 'prod.tfvars', text: 'cluster_name = "prod-eks"\n' },
    ]);
    expect(differing).toEqual({
      resolved: false,
      reason:
        'cluster_name = var.cluster_name: variable "cluster_name" is "dev-eks" from its default but differs in prod.tfvars (used with -var-file), so the name depends on the command line',
    });
  });

  it('follows a local to a variable, and a local to a local, and no further', async () => {
    const locals = `locals {
  name    = var.env_name
  alias   = local.literal
  literal = "from-local"
  deep    = local.alias
}
`;
    const files = (nameLine: string) => [
      { path: 'main.tf', text: MODULE_V20(nameLine) },
      { path: 'locals.tf', text: locals },
      { path: 'variables.tf', text: VARIABLE('env_name', '  default = "from-var"\n') },
    ];
    expect(await nameOf(files('cluster_name = local.name'))).toEqual({
      resolved: true,
      value: 'from-var',
      from: { tool: 'terraform', file: 'variables.tf', line: 3, address: 'var.env_name' },
    });
    expect(await nameOf(files('cluster_name = local.alias'))).toEqual({
      resolved: true,
      value: 'from-local',
      from: { tool: 'terraform', file: 'locals.tf', line: 4, address: 'local.literal' },
    });
    expect(await nameOf(files('cluster_name = local.deep'))).toEqual({
      resolved: false,
      reason:
        'cluster_name = local.deep: local.deep = local.alias: local.alias = local.literal: eksposure follows at most two var/local steps',
    });
    expect(await nameOf(files('cluster_name = local.missing'))).toEqual({
      resolved: false,
      reason: 'cluster_name = local.missing: there is no local "missing" in .',
    });
  });

  it.each([
    [
      'cluster_name = "${local.prefix}-eks"',
      'cluster_name = "${local.prefix}-eks": an interpolated string; eksposure reads only literal names',
    ],
    [
      'cluster_name = lower(var.team)',
      'cluster_name = lower(var.team): lower(var.team) is an expression eksposure does not evaluate',
    ],
    [
      'cluster_name = module.naming.cluster',
      'cluster_name = module.naming.cluster: module.naming.cluster is an expression eksposure does not evaluate',
    ],
    ['vpc_id = "vpc-1"', 'module.eks does not set cluster_name'],
  ])('leaves %s unresolved', async (nameLine, reason) => {
    expect(await nameOf([{ path: 'main.tf', text: MODULE_V20(nameLine) }])).toEqual({
      resolved: false,
      reason,
    });
  });

  it('leaves a count-indexed resource unresolved, saying a patch would change every instance', async () => {
    const text = `resource "aws_eks_cluster" "per_env" {
  count    = 3
  name     = "team-\${count.index}"
  role_arn = var.role_arn

  vpc_config {
    subnet_ids = var.subnet_ids
  }
}
`;
    expect(await nameOf([{ path: 'main.tf', text }])).toEqual({
      resolved: false,
      reason:
        'name = "team-${count.index}": aws_eks_cluster.per_env has count = 3, so this one block defines several clusters; a patch would change every instance',
    });
  });

  it('reads the module name from cluster_name or name by the version constraint', async () => {
    const text = (version: string) => `module "eks" {
  source       = "terraform-aws-modules/eks/aws"
  version      = "${version}"
  name         = "named-v21"
  cluster_name = "named-v20"
}
`;
    expect(await nameOf([{ path: 'main.tf', text: text('~> 20.0') }])).toMatchObject({
      value: 'named-v20',
    });
    expect(await nameOf([{ path: 'main.tf', text: text('~> 21.0') }])).toMatchObject({
      value: 'named-v21',
    });
    expect(await nameOf([{ path: 'main.tf', text: text('>= 20') }])).toEqual({
      resolved: false,
      reason:
        'module.eks\'s version ">= 20" allows v20 and later, and it sets both cluster_name (up to v20) and name (from v21): pin the version',
    });
  });
});

describe('files that do not parse', () => {
  it('reports the first error line and still reads the other files', async () => {
    const broken = `# An unfinished edit.
resource "aws_eks_cluster" "broken" {
  name = "broken"
  vpc_config {
    subnet_ids = [
  }
}
`;
    const missingBrace = `locals {\n  a = 1\n`;
    const reading = await terraformFormat.read([
      { path: 'infra/broken.tf', text: broken },
      { path: 'infra/locals.tf', text: missingBrace },
      { path: 'infra/main.tf', text: MODULE_V20('cluster_name = "still-read"') },
    ]);
    expect(reading.failures).toEqual([
      { file: 'infra/broken.tf', line: 5, message: 'syntax error near "subnet_ids = ["' },
      { file: 'infra/locals.tf', line: 3, message: 'syntax error: missing }' },
    ]);
    expect(reading.definitions.map((d) => d.name)).toEqual([
      { resolved: true, value: 'still-read' },
    ]);
  });
});
