import { terraformFormat } from '../../../../src/iac/terraform/terraform.format.js';
import { loadHclParser } from '../../../../src/iac/terraform/parse.js';
import type { FormatReading, SourceFile } from '../../../../src/iac/types.js';
import {
  ALLOWLIST,
  definitionAt,
  lineDiff,
  noTerraform,
  patchFile,
  PRIVATE,
  readFixtureDir,
  terraformFmtCheck,
} from './terraform-helpers.js';

const V20 = 'fixtures/iac/terraform/modules-v20';
const V21 = 'fixtures/iac/terraform/modules-v21';
const PLAIN = 'fixtures/iac/terraform/plain';

const itWithTerraform = noTerraform === undefined ? it : it.skip;
if (noTerraform !== undefined)
  process.stderr.write(`skipping terraform fmt checks: ${noTerraform}\n`);

/** The patched text parses, and the same patch a second time changes nothing. */
async function expectSettled(
  files: readonly SourceFile[],
  path: string,
  text: string,
  address: string,
  change: typeof PRIVATE,
) {
  const parser = await loadHclParser();
  expect(parser.parse(text).ok).toBe(true);
  const patchedFiles = files.map((file) => (file.path === path ? { path, text } : file));
  const again = await terraformFormat.read(patchedFiles);
  expect(again.failures).toEqual([]);
  const outcome = definitionAt(again, address).patch({
    clusterName: 'again',
    region: 'eu-west-1',
    change,
    after: { ...change, publicAccessCidrs: change.publicAccessCidrs ?? ['0.0.0.0/0'] },
  });
  expect(outcome).toMatchObject({ ok: true, edits: [], changes: [] });
  return patchedFiles;
}

describe('terraformFormat.accepts', () => {
  it('takes .tf and .tfvars, not JSON Terraform nor modules that terraform init downloaded', () => {
    const accepts = (path: string) => terraformFormat.accepts({ path, text: '' });
    expect(accepts('infra/main.tf')).toBe(true);
    expect(accepts('infra/terraform.tfvars')).toBe(true);
    expect(accepts('infra/prod.auto.tfvars')).toBe(true);
    expect(accepts('infra/main.tf.json')).toBe(false);
    expect(accepts('infra/terraform.tfvars.json')).toBe(false);
    expect(accepts('infra/.terraform/modules/eks/main.tf')).toBe(false);
    expect(accepts('infra/cluster.yaml')).toBe(false);
    expect(terraformFormat.tool).toBe('terraform');
  });
});

describe('modules-v20: terraform-aws-modules/eks ~> 20.31, name from terraform.tfvars', () => {
  const files = readFixtureDir(V20);
  let reading: FormatReading;
  beforeAll(async () => {
    reading = await terraformFormat.read(files);
  });

  it('finds both module blocks and skips the VPC module and the non-Terraform files', () => {
    expect(reading.failures).toEqual([]);
    expect(reading.definitions.map((d) => d.location)).toEqual([
      { tool: 'terraform', file: `${V20}/main.tf`, line: 34, address: 'module.eks' },
      { tool: 'terraform', file: `${V20}/main.tf`, line: 67, address: 'module.eks_fleet' },
    ]);
  });

  it('reads cluster_name through var.cluster_name, terraform.tfvars winning over the default', () => {
    expect(definitionAt(reading, 'module.eks').name).toEqual({
      resolved: true,
      value: 'tf-mod-v20',
      from: {
        tool: 'terraform',
        file: `${V20}/terraform.tfvars`,
        line: 2,
        address: 'var.cluster_name',
      },
    });
  });

  it('leaves the for_each fleet unresolved, naming the clusters it makes: one patch would change every instance', () => {
    expect(definitionAt(reading, 'module.eks_fleet').name).toEqual({
      resolved: false,
      reason:
        'cluster_name = each.key: module.eks_fleet has for_each (tf-fleet-a, tf-fleet-b), so this one block defines several clusters; a patch would change every instance',
      candidates: ['tf-fleet-a', 'tf-fleet-b'],
    });
  });

  it('private mode: turns the public endpoint off and leaves private to the v20 default', async () => {
    const patched = patchFile(definitionAt(reading, 'module.eks'), files, PRIVATE);
    expect(patched.edits).toHaveLength(1);
    expect(lineDiff(files[0]?.text ?? '', patched.text)).toEqual({
      removed: ['  cluster_endpoint_public_access = true'],
      added: ['  cluster_endpoint_public_access = false'],
    });
    expect(patched.changes).toEqual(['cluster_endpoint_public_access = false (was true)']);
    expect(patched.notes).toEqual([
      `module.eks's version "~> 20.31" allows v20, so its names are cluster_name and cluster_endpoint_* (defaults for v20: public false, private true)`,
      "cluster_endpoint_private_access is not set; the module's default for v20 is true, as the fix wants",
    ]);
    await expectSettled(files, `${V20}/main.tf`, patched.text, 'module.eks', PRIVATE);
  });

  it('allowlist mode: adds the CIDR list behind a blank line, its name being longer than its neighbour', async () => {
    const patched = patchFile(definitionAt(reading, 'module.eks'), files, ALLOWLIST);
    expect(lineDiff(files[0]?.text ?? '', patched.text)).toEqual({
      removed: [],
      // The new line and a blank line (the diff lines it up with the blank line below).
      added: ['  cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]', ''],
    });
    expect(patched.text).toContain(
      '  cluster_endpoint_public_access = true\n\n  cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]\n\n  enable_cluster_creator_admin_permissions = true\n',
    );
    expect(patched.changes).toEqual([
      `cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"] (added; the module's default for v20 is ["0.0.0.0/0"])`,
    ]);
    await expectSettled(files, `${V20}/main.tf`, patched.text, 'module.eks', ALLOWLIST);
  });

  itWithTerraform('leaves terraform fmt -check satisfied', () => {
    expect(terraformFmtCheck(files)).toBe('');
    for (const change of [PRIVATE, ALLOWLIST]) {
      const patched = patchFile(definitionAt(reading, 'module.eks'), files, change);
      expect(terraformFmtCheck([{ path: 'main.tf', text: patched.text }])).toBe('');
    }
  });
});

describe('modules-v21: terraform-aws-modules/eks ~> 21.0, name from a local', () => {
  const files = readFixtureDir(V21);
  let reading: FormatReading;
  beforeAll(async () => {
    reading = await terraformFormat.read(files);
  });

  it('finds module.eks and reads name through local.name', () => {
    expect(reading.failures).toEqual([]);
    expect(reading.definitions.map((d) => d.location)).toEqual([
      { tool: 'terraform', file: `${V21}/main.tf`, line: 22, address: 'module.eks' },
    ]);
    expect(reading.definitions[0]?.name).toEqual({
      resolved: true,
      value: 'tf-mod-v21',
      from: { tool: 'terraform', file: `${V21}/main.tf`, line: 2, address: 'local.name' },
    });
  });

  it('private mode: endpoint_public_access = false, the comment above it untouched', async () => {
    const patched = patchFile(reading.definitions[0]!, files, PRIVATE);
    expect(lineDiff(files[0]?.text ?? '', patched.text)).toEqual({
      removed: ['  endpoint_public_access = true'],
      added: ['  endpoint_public_access = false'],
    });
    expect(patched.text).toContain(
      '  # Reachable from the office VPN while the bastion is rebuilt.\n  endpoint_public_access = false\n',
    );
    expect(patched.changes).toEqual(['endpoint_public_access = false (was true)']);
    expect(patched.notes[0]).toBe(
      `module.eks's version "~> 21.0" allows v21, so its names are name and endpoint_* (defaults for v21: public false, private true)`,
    );
    await expectSettled(files, `${V21}/main.tf`, patched.text, 'module.eks', PRIVATE);
  });

  it('allowlist mode: adds endpoint_public_access_cidrs after endpoint_public_access', async () => {
    const patched = patchFile(reading.definitions[0]!, files, ALLOWLIST);
    expect(lineDiff(files[0]?.text ?? '', patched.text)).toEqual({
      removed: [],
      added: ['  endpoint_public_access_cidrs = ["203.0.113.0/24"]', ''],
    });
    expect(patched.text).toContain(
      '  endpoint_public_access = true\n\n  endpoint_public_access_cidrs = ["203.0.113.0/24"]\n\n  vpc_id ',
    );
    expect(patched.changes).toEqual([
      `endpoint_public_access_cidrs = ["203.0.113.0/24"] (added; the module's default for v21 is ["0.0.0.0/0"])`,
    ]);
    await expectSettled(files, `${V21}/main.tf`, patched.text, 'module.eks', ALLOWLIST);
  });

  itWithTerraform('leaves terraform fmt -check satisfied', () => {
    for (const change of [PRIVATE, ALLOWLIST]) {
      const patched = patchFile(reading.definitions[0]!, files, change);
      expect(terraformFmtCheck([{ path: 'main.tf', text: patched.text }])).toBe('');
    }
  });
});

describe('plain: resource "aws_eks_cluster" with no endpoint attributes', () => {
  const files = readFixtureDir(PLAIN);
  let reading: FormatReading;
  beforeAll(async () => {
    reading = await terraformFormat.read(files);
  });

  it('finds aws_eks_cluster.main by its literal name, and nothing else', () => {
    expect(reading.failures).toEqual([]);
    expect(reading.definitions.map((d) => [d.location, d.name])).toEqual([
      [
        { tool: 'terraform', file: `${PLAIN}/main.tf`, line: 27, address: 'aws_eks_cluster.main' },
        { resolved: true, value: 'tf-plain' },
      ],
    ]);
  });

  it('private mode: adds both settings inside vpc_config, aligned as terraform fmt does', async () => {
    const patched = patchFile(reading.definitions[0]!, files, PRIVATE);
    expect(lineDiff(files[0]?.text ?? '', patched.text)).toEqual({
      removed: [],
      added: ['    endpoint_public_access  = false', '    endpoint_private_access = true'],
    });
    expect(patched.text).toContain(
      '      aws_subnet.az2.id,\n    ]\n    endpoint_public_access  = false\n    endpoint_private_access = true\n  }\n',
    );
    expect(patched.changes).toEqual([
      "endpoint_public_access = false (added; aws_eks_cluster's default is true)",
      "endpoint_private_access = true (added; aws_eks_cluster's default is false)",
    ]);
    await expectSettled(files, `${PLAIN}/main.tf`, patched.text, 'aws_eks_cluster.main', PRIVATE);
  });

  it('allowlist mode: leaves public to its default and adds private and the CIDR list', async () => {
    const patched = patchFile(reading.definitions[0]!, files, ALLOWLIST);
    expect(lineDiff(files[0]?.text ?? '', patched.text)).toEqual({
      removed: [],
      added: [
        '    endpoint_private_access = true',
        '    public_access_cidrs     = ["203.0.113.0/24"]',
      ],
    });
    expect(patched.changes).toEqual([
      "endpoint_private_access = true (added; aws_eks_cluster's default is false)",
      `public_access_cidrs = ["203.0.113.0/24"] (added; aws_eks_cluster's default is ["0.0.0.0/0"])`,
    ]);
    expect(patched.notes).toEqual([
      "endpoint_public_access is not set; aws_eks_cluster's default is true, as the fix wants",
    ]);
    await expectSettled(files, `${PLAIN}/main.tf`, patched.text, 'aws_eks_cluster.main', ALLOWLIST);
  });

  itWithTerraform('leaves terraform fmt -check satisfied', () => {
    for (const change of [PRIVATE, ALLOWLIST]) {
      const patched = patchFile(reading.definitions[0]!, files, change);
      expect(terraformFmtCheck([{ path: 'main.tf', text: patched.text }])).toBe('');
    }
  });
});
