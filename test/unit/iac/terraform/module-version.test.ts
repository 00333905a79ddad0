import {
  chooseModuleSchema,
  isEksModuleSource,
  majorsAllowed,
  refVersion,
} from '../../../../src/iac/terraform/module-version.js';

describe('majorsAllowed', () => {
  it.each([
    ['~> 20.0', { lowest: 20, highest: 20 }],
    ['~> 20.31', { lowest: 20, highest: 20 }],
    ['~> 20.8.4', { lowest: 20, highest: 20 }],
    ['~> 20', { lowest: 20, highest: null }], // only the rightmost part given may grow: 21 too
    ['~> 21.0', { lowest: 21, highest: 21 }],
    ['20.8.4', { lowest: 20, highest: 20 }],
    ['v20.8.4', { lowest: 20, highest: 20 }],
    ['= 18.31.2', { lowest: 18, highest: 18 }],
    ['>= 19.0, < 21.0', { lowest: 19, highest: 20 }],
    ['>=19.0,<21', { lowest: 19, highest: 20 }],
    ['>= 20.0, < 21.1', { lowest: 20, highest: 21 }],
    ['>= 20.0, <= 21.0', { lowest: 20, highest: 21 }],
    ['> 20.99', { lowest: 20, highest: null }],
    ['>= 18', { lowest: 18, highest: null }],
    ['< 19', { lowest: 0, highest: 18 }],
    ['~> 20.0, != 20.2.0', { lowest: 20, highest: 20 }],
    ['21.0.0-beta.1', { lowest: 21, highest: 21 }],
  ])('%s allows %j', (constraint, range) => {
    expect(majorsAllowed(constraint)).toEqual(range);
  });

  it.each(['', 'latest', '~> 20.x', '>= 21, < 20', '20.0.0.0'])(
    '"%s" cannot be read or allows nothing',
    (constraint) => {
      expect(majorsAllowed(constraint)).toBeUndefined();
    },
  );
});

describe('isEksModuleSource', () => {
  it.each([
    'terraform-aws-modules/eks/aws',
    'registry.terraform.io/terraform-aws-modules/eks/aws',
    'terraform-aws-modules/eks/aws//',
    'git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.4',
    'git::https://github.com/terraform-aws-modules/terraform-aws-eks?ref=v21.0.1',
    'github.com/terraform-aws-modules/terraform-aws-eks',
    'git@github.com:terraform-aws-modules/terraform-aws-eks.git',
  ])('%s is the EKS module', (source) => {
    expect(isEksModuleSource(source)).toBe(true);
  });

  it.each([
    'terraform-aws-modules/vpc/aws',
    'terraform-aws-modules/eks/aws//modules/karpenter',
    'terraform-aws-modules/eks/aws//modules/eks-managed-node-group',
    'git::https://github.com/terraform-aws-modules/terraform-aws-eks.git//modules/fargate-profile?ref=v20.8.4',
    './modules/eks',
    'cloudposse/eks-cluster/aws',
  ])('%s is not a cluster definition', (source) => {
    expect(isEksModuleSource(source)).toBe(false);
  });

  it('reads the version a git ref pins', () => {
    expect(refVersion('git::https://github.com/x/terraform-aws-eks.git?ref=v20.8.4')).toBe(
      '20.8.4',
    );
    expect(
      refVersion('git::https://github.com/x/terraform-aws-eks.git?ref=master'),
    ).toBeUndefined();
    expect(refVersion('terraform-aws-modules/eks/aws')).toBeUndefined();
  });
});

describe('chooseModuleSchema', () => {
  const facts = (constraint: string | undefined, attributes: string[]) => ({
    address: 'module.eks',
    constraint,
    has: (name: string) => attributes.includes(name),
  });

  it('takes names and defaults from a constraint that allows one scheme', () => {
    const v18 = chooseModuleSchema(facts('~> 18.0', ['cluster_name']));
    expect(v18).toMatchObject({
      ok: true,
      schema: {
        names: { name: 'cluster_name', public: 'cluster_endpoint_public_access' },
        defaults: { public: true, private: false },
        label: 'v18',
      },
    });
    expect(chooseModuleSchema(facts('>= 19.0, < 21.0', []))).toMatchObject({
      ok: true,
      schema: {
        names: { name: 'cluster_name', cidrs: 'cluster_endpoint_public_access_cidrs' },
        defaults: { public: false, private: true },
        label: 'v19–v20',
      },
    });
    // The constraint decides even when an attribute says otherwise (Terraform would fail on it).
    expect(chooseModuleSchema(facts('~> 21.0', ['cluster_name']))).toMatchObject({
      ok: true,
      schema: { names: { name: 'name', private: 'endpoint_private_access' }, label: 'v21' },
    });
  });

  it('leaves a default unknown when the allowed majors disagree on it (v18 against v19)', () => {
    expect(chooseModuleSchema(facts('< 21', []))).toMatchObject({
      ok: true,
      schema: { names: { name: 'cluster_name' }, defaults: {}, label: 'v0–v20' },
    });
  });

  it('decides by the attributes when the constraint crosses v21 or there is none', () => {
    expect(chooseModuleSchema(facts('>= 20.0', ['name']))).toEqual({
      ok: true,
      schema: {
        names: {
          name: 'name',
          public: 'endpoint_public_access',
          private: 'endpoint_private_access',
          cidrs: 'endpoint_public_access_cidrs',
        },
        defaults: { public: false, private: true },
        label: 'v21 and later',
        why: `module.eks's version ">= 20.0" allows v20 and later; it sets name, named as from v21, so its names are name and endpoint_* (defaults for v21 and later: public false, private true)`,
      },
    });
    expect(chooseModuleSchema(facts(undefined, ['cluster_name']))).toEqual({
      ok: true,
      schema: {
        names: expect.objectContaining({ name: 'cluster_name' }),
        defaults: {},
        label: 'v20 or before',
        why: 'module.eks has no version constraint; it sets cluster_name, which v21 renamed, so its names are cluster_name and cluster_endpoint_* (the defaults changed in v19, so eksposure writes every endpoint setting it needs)',
      },
    });
    expect(chooseModuleSchema(facts('>= 20.0', ['cluster_name']))).toMatchObject({
      ok: true,
      schema: { defaults: { public: false, private: true }, label: 'v20' },
    });
  });

  it('refuses when the attributes cannot tell', () => {
    expect(chooseModuleSchema(facts(undefined, ['vpc_id']))).toEqual({
      ok: false,
      reason:
        'module.eks has no version constraint, and it sets neither cluster_name (up to v20) nor name (from v21): pin the version',
    });
    expect(chooseModuleSchema(facts('>= 20', ['cluster_name', 'name']))).toEqual({
      ok: false,
      reason:
        'module.eks\'s version ">= 20" allows v20 and later, and it sets both cluster_name (up to v20) and name (from v21): pin the version',
    });
  });
});
