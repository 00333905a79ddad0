import { parseAllDocuments } from 'yaml';
import { crossplaneFormat } from '../../../../src/iac/crossplane/crossplane.format.js';
import type { SourceFile } from '../../../../src/iac/types.js';
import {
  ALLOWLIST,
  ALLOWLIST_CIDRS,
  lineDiff,
  onlyDefinition as onlyDefinitionOf,
  patchText,
  PRIVATE,
  readFixture,
  targetFor,
} from '../yaml/edit-helpers.js';

const V1BETA1 = 'fixtures/iac/crossplane/cluster-v1beta1.yaml';
const V1BETA2 = 'fixtures/iac/crossplane/cluster-v1beta2.yaml';
const CLASSIC = 'fixtures/iac/crossplane/cluster-classic.yaml';

const onlyDefinition = (file: SourceFile) => onlyDefinitionOf(crossplaneFormat, file);

/** spec.forProvider of the first Cluster document, read back from patched text. */
function forProviderOf(text: string): Record<string, unknown> | undefined {
  const documents = parseAllDocuments(text);
  for (const document of documents) expect(document.errors).toEqual([]);
  const cluster = documents
    .map(
      (document) =>
        document.toJS() as { kind?: string; spec?: { forProvider?: Record<string, unknown> } },
    )
    .find((resource) => resource.kind === 'Cluster');
  return cluster?.spec?.forProvider;
}

describe('crossplaneFormat.accepts', () => {
  it('takes EKS Cluster managed resources, not other YAML', () => {
    for (const path of [V1BETA1, V1BETA2, CLASSIC]) {
      expect(crossplaneFormat.accepts(readFixture(path))).toBe(true);
    }
    expect(crossplaneFormat.accepts(readFixture('fixtures/iac/eksctl/cluster.yaml'))).toBe(false);
    expect(
      crossplaneFormat.accepts({
        path: 'nodegroup.yaml',
        text: 'apiVersion: eks.aws.upbound.io/v1beta1\nkind: NodeGroup\n',
      }),
    ).toBe(false);
  });
});

describe('Upbound v1beta1: vpcConfig is a one-item list', () => {
  const source = readFixture(V1BETA1);
  const cluster = { name: 'xp-v1beta1', region: 'us-east-2' };

  it('reads metadata.name, region, address and line', async () => {
    const definition = await onlyDefinition(source);
    expect(definition.location).toEqual({
      tool: 'crossplane',
      file: V1BETA1,
      line: 4,
      address: 'Cluster xp-v1beta1 (eks.aws.upbound.io/v1beta1)',
    });
    expect(definition.name).toEqual({
      resolved: true,
      value: 'xp-v1beta1',
      from: {
        tool: 'crossplane',
        file: V1BETA1,
        line: 5,
        address: 'Cluster xp-v1beta1 (eks.aws.upbound.io/v1beta1) metadata.name',
      },
    });
    expect(definition.region).toBe('us-east-2');
  });

  it('private mode: flips the list item in place and adds endpointPrivateAccess to it', async () => {
    const patched = patchText(await onlyDefinition(source), source, targetFor(PRIVATE, cluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 16,
        removed: ['      - endpointPublicAccess: true'],
        added: ['      - endpointPublicAccess: false'],
      },
      { line: 20, removed: [], added: ['        endpointPrivateAccess: true'] },
    ]);
    expect(patched.changes).toEqual([
      'spec.forProvider.vpcConfig[0].endpointPublicAccess: false',
      'spec.forProvider.vpcConfig[0].endpointPrivateAccess: true',
    ]);
    expect(forProviderOf(patched.text)?.vpcConfig).toEqual([
      {
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        subnetIdSelector: { matchLabels: { access: 'private' } },
      },
    ]);
  });

  it('allowlist mode: adds endpointPrivateAccess and publicAccessCidrs', async () => {
    const patched = patchText(await onlyDefinition(source), source, targetFor(ALLOWLIST, cluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 20,
        removed: [],
        added: [
          '        endpointPrivateAccess: true',
          '        publicAccessCidrs:',
          '          - 203.0.113.0/24',
          '          - 198.51.100.7/32',
        ],
      },
    ]);
    expect(forProviderOf(patched.text)?.vpcConfig).toEqual([
      expect.objectContaining({
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ALLOWLIST_CIDRS,
      }),
    ]);
  });
});

describe('Upbound v1beta2: vpcConfig is an object', () => {
  const source = readFixture(V1BETA2);
  const cluster = { name: 'xp-v1beta2', region: 'us-east-2' };

  it('finds the Cluster and skips the ProviderConfig in the same file', async () => {
    const definition = await onlyDefinition(source);
    expect(definition.location.address).toBe('Cluster xp-v1beta2 (eks.aws.upbound.io/v1beta2)');
    expect(definition.location.line).toBe(3);
    expect(definition.name).toMatchObject({ resolved: true, value: 'xp-v1beta2' });
    expect(definition.region).toBe('us-east-2');
  });

  it('private mode: replaces both booleans in place', async () => {
    const patched = patchText(await onlyDefinition(source), source, targetFor(PRIVATE, cluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 12,
        removed: ['      endpointPrivateAccess: false', '      endpointPublicAccess: true'],
        added: ['      endpointPrivateAccess: true', '      endpointPublicAccess: false'],
      },
    ]);
    expect(forProviderOf(patched.text)?.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
  });

  it('allowlist mode: flips private access and adds the CIDR list after subnetIds', async () => {
    const patched = patchText(await onlyDefinition(source), source, targetFor(ALLOWLIST, cluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 12,
        removed: ['      endpointPrivateAccess: false'],
        added: ['      endpointPrivateAccess: true'],
      },
      {
        line: 17,
        removed: [],
        added: [
          '      publicAccessCidrs:',
          '        - 203.0.113.0/24',
          '        - 198.51.100.7/32',
        ],
      },
    ]);
    expect(forProviderOf(patched.text)?.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ALLOWLIST_CIDRS,
    });
  });
});

describe('classic provider: resourcesVpcConfig', () => {
  const source = readFixture(CLASSIC);
  const cluster = { name: 'xp-classic', region: 'us-east-2' };

  it('names the cluster by its external-name annotation', async () => {
    const definition = await onlyDefinition(source);
    expect(definition.location).toEqual({
      tool: 'crossplane',
      file: CLASSIC,
      line: 3,
      address: 'Cluster payments-classic (eks.aws.crossplane.io/v1beta1)',
    });
    expect(definition.name).toEqual({
      resolved: true,
      value: 'xp-classic',
      from: {
        tool: 'crossplane',
        file: CLASSIC,
        line: 6,
        address:
          'Cluster payments-classic (eks.aws.crossplane.io/v1beta1) metadata.annotations["crossplane.io/external-name"]',
      },
    });
    expect(definition.region).toBe('us-east-2');
  });

  it('private mode: flips both booleans, leaves the allowlist as written', async () => {
    const patched = patchText(await onlyDefinition(source), source, targetFor(PRIVATE, cluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 13,
        removed: ['      endpointPublicAccess: true', '      endpointPrivateAccess: false'],
        added: ['      endpointPublicAccess: false', '      endpointPrivateAccess: true'],
      },
    ]);
  });

  it('allowlist mode: replaces the block list of CIDRs at its own indentation', async () => {
    const patched = patchText(await onlyDefinition(source), source, targetFor(ALLOWLIST, cluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 14,
        removed: ['      endpointPrivateAccess: false'],
        added: ['      endpointPrivateAccess: true'],
      },
      {
        line: 16,
        removed: ['        - 0.0.0.0/0'],
        added: ['        - 203.0.113.0/24', '        - 198.51.100.7/32'],
      },
    ]);
    expect(forProviderOf(patched.text)?.resourcesVpcConfig).toMatchObject({
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ALLOWLIST_CIDRS,
    });
  });
});

describe('Crossplane Clusters eksposure cannot patch as is', () => {
  const cluster = (forProvider: string, extra = '') => ({
    path: 'xp.yaml',
    text:
      'apiVersion: eks.aws.upbound.io/v1beta2\nkind: Cluster\nmetadata:\n  name: xp\n' +
      `spec:\n${extra}  forProvider:\n    region: eu-west-1\n${forProvider}`,
  });
  const target = targetFor(PRIVATE, { name: 'xp', region: 'eu-west-1' });

  it('refuses a Cluster without vpcConfig, and a vpcConfig list of two items', async () => {
    expect((await onlyDefinition(cluster(''))).patch(target)).toEqual({
      ok: false,
      reason: 'spec.forProvider.vpcConfig is not set (xp.yaml:7)',
    });
    const two = cluster('    vpcConfig:\n      - subnetIds: [a]\n      - subnetIds: [b]\n');
    expect((await onlyDefinition(two)).patch(target)).toEqual({
      ok: false,
      reason:
        'spec.forProvider.vpcConfig is a list of 2 items where EKS takes one mapping (xp.yaml:9)',
    });
  });

  it('notes management policies that keep Crossplane from updating the cluster', async () => {
    const observed = cluster(
      '    vpcConfig:\n      endpointPublicAccess: true\n',
      '  managementPolicies: ["Observe", "Create"]\n',
    );
    const outcome = (await onlyDefinition(observed)).patch(target);
    expect(outcome).toMatchObject({
      ok: true,
      notes: [
        expect.any(String),
        'spec.managementPolicies is [Observe, Create], without Update: Crossplane will not update the cluster.',
      ],
    });
  });

  it('reports a file that does not parse with its line, and still reads the others', async () => {
    const broken = cluster('    vpcConfig:\n      endpointPublicAccess: [true\n');
    const reading = await crossplaneFormat.read([broken, readFixture(V1BETA2)]);
    expect(reading.failures).toEqual([
      { file: 'xp.yaml', line: expect.any(Number), message: expect.any(String) },
    ]);
    expect(reading.failures[0]?.line).toBe(10);
    expect(reading.definitions.map((d) => d.name)).toEqual([
      expect.objectContaining({ value: 'xp-v1beta2' }),
    ]);
  });
});
