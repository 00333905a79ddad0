import { parseAllDocuments } from 'yaml';
import { eksctlCommand, eksctlFormat } from '../../../../src/iac/eksctl/eksctl.format.js';
import type { Definition, SourceFile } from '../../../../src/iac/types.js';
import {
  ALLOWLIST,
  ALLOWLIST_CIDRS,
  lineDiff,
  patchText,
  PRIVATE,
  readFixture,
  targetFor,
} from '../yaml/edit-helpers.js';

const FIXTURE = 'fixtures/iac/eksctl/cluster.yaml';
const demo = { name: 'eksctl-demo', region: 'eu-west-1' };

async function definitionsOf(file: SourceFile): Promise<readonly Definition[]> {
  const reading = await eksctlFormat.read([file]);
  expect(reading.failures).toEqual([]);
  return reading.definitions;
}

/** The vpc mapping of each ClusterConfig document, read back from patched text. */
function vpcOf(text: string): unknown[] {
  return parseAllDocuments(text).map((document) => {
    expect(document.errors).toEqual([]);
    return (document.toJS() as { vpc?: unknown }).vpc;
  });
}

describe('eksctlCommand', () => {
  it('prints the command that brings the running cluster in line', () => {
    expect(eksctlCommand('eksctl-demo', 'eu-west-1', PRIVATE)).toBe(
      'eksctl utils update-cluster-vpc-config --cluster=eksctl-demo --region=eu-west-1 ' +
        '--private-access=true --public-access=false --approve',
    );
    expect(eksctlCommand('eksctl-demo', 'eu-west-1', ALLOWLIST)).toBe(
      'eksctl utils update-cluster-vpc-config --cluster=eksctl-demo --region=eu-west-1 ' +
        '--private-access=true --public-access=true ' +
        '--public-access-cidrs=203.0.113.0/24,198.51.100.7/32 --approve',
    );
  });
});

describe('eksctlFormat.accepts', () => {
  it('takes ClusterConfig files only', () => {
    expect(eksctlFormat.accepts(readFixture(FIXTURE))).toBe(true);
    expect(eksctlFormat.accepts(readFixture('fixtures/iac/crossplane/cluster-v1beta1.yaml'))).toBe(
      false,
    );
    expect(
      eksctlFormat.accepts({
        path: 'cluster.json',
        text: 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n',
      }),
    ).toBe(false);
  });
});

describe('eksctl ClusterConfig', () => {
  const source = readFixture(FIXTURE);

  it('reads name, region, address and the line of metadata:', async () => {
    const [definition, ...rest] = await definitionsOf(source);
    expect(rest).toEqual([]);
    expect(definition?.location).toEqual({
      tool: 'eksctl',
      file: FIXTURE,
      line: 7,
      address: 'ClusterConfig eksctl-demo',
    });
    expect(definition?.name).toEqual({
      resolved: true,
      value: 'eksctl-demo',
      from: {
        tool: 'eksctl',
        file: FIXTURE,
        line: 8,
        address: 'ClusterConfig eksctl-demo metadata.name',
      },
    });
    expect(definition?.region).toBe('eu-west-1');
  });

  it('private mode: adds clusterEndpoints at the end of the existing vpc:', async () => {
    const [definition] = await definitionsOf(source);
    const patched = patchText(definition as Definition, source, targetFor(PRIVATE, demo));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 23,
        removed: [],
        added: ['  clusterEndpoints:', '    publicAccess: false', '    privateAccess: true'],
      },
    ]);
    expect(patched.changes).toEqual([
      'vpc.clusterEndpoints.publicAccess: false',
      'vpc.clusterEndpoints.privateAccess: true',
    ]);
    expect(patched.notes).toEqual([
      expect.stringContaining(
        'eksctl utils update-cluster-vpc-config --cluster=eksctl-demo --region=eu-west-1 ' +
          '--private-access=true --public-access=false --approve',
      ),
    ]);
    expect(vpcOf(patched.text)).toEqual([
      {
        cidr: '10.42.0.0/16',
        nat: { gateway: 'Single' },
        clusterEndpoints: { publicAccess: false, privateAccess: true },
      },
    ]);
  });

  it('allowlist mode: adds privateAccess and publicAccessCIDRs, leaves public access to its default', async () => {
    const [definition] = await definitionsOf(source);
    const patched = patchText(definition as Definition, source, targetFor(ALLOWLIST, demo));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 23,
        removed: [],
        added: [
          '  clusterEndpoints:',
          '    privateAccess: true',
          '  publicAccessCIDRs:',
          '    - 203.0.113.0/24',
          '    - 198.51.100.7/32',
        ],
      },
    ]);
    expect(patched.notes[0]).toContain('--public-access-cidrs=203.0.113.0/24,198.51.100.7/32');
    expect(vpcOf(patched.text)).toEqual([
      {
        cidr: '10.42.0.0/16',
        nat: { gateway: 'Single' },
        clusterEndpoints: { privateAccess: true },
        publicAccessCIDRs: ALLOWLIST_CIDRS,
      },
    ]);
  });
});

describe('eksctl files of other shapes', () => {
  const header = (name: string, region = 'us-west-2') =>
    `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: ${name}\n  region: ${region}\n`;

  it('adds a vpc: block at the end of each document that has none, several documents per file', async () => {
    const text =
      header('one') +
      'nodeGroups:\n  - name: ng-1\n    instanceType: t3.medium # cheap\n' +
      '---\n' +
      header('two', 'eu-central-1') +
      'iam:\n  withOIDC: true';
    const file = { path: 'clusters.yml', text };
    const definitions = await definitionsOf(file);
    expect(definitions.map((d) => [d.location.address, d.location.line, d.region])).toEqual([
      ['ClusterConfig one', 3, 'us-west-2'],
      ['ClusterConfig two', 12, 'eu-central-1'],
    ]);
    const first = patchText(
      definitions[0] as Definition,
      file,
      targetFor(PRIVATE, { name: 'one', region: 'us-west-2' }),
    );
    expect(lineDiff(text, first.text)).toEqual([
      {
        line: 9,
        removed: [],
        added: [
          'vpc:',
          '  clusterEndpoints:',
          '    publicAccess: false',
          '    privateAccess: true',
        ],
      },
    ]);
    // The second document ends the file without a newline; it still does after the patch.
    const second = patchText(
      definitions[1] as Definition,
      file,
      targetFor(PRIVATE, { name: 'two', region: 'eu-central-1' }),
    );
    expect(
      second.text.endsWith(
        '  withOIDC: true\nvpc:\n  clusterEndpoints:\n    publicAccess: false\n    privateAccess: true',
      ),
    ).toBe(true);
    expect(vpcOf(second.text)).toEqual([
      undefined,
      { clusterEndpoints: { publicAccess: false, privateAccess: true } },
    ]);
  });

  it("edits existing clusterEndpoints in place, with the file's own indentation", async () => {
    const text =
      header('four') +
      'vpc:\n' +
      '    clusterEndpoints:\n' +
      '        publicAccess: yes # open for the demo\n' +
      'managedNodeGroups: []\n';
    const file = { path: 'four.yaml', text };
    const [definition] = await definitionsOf(file);
    const patched = patchText(
      definition as Definition,
      file,
      targetFor(ALLOWLIST, { name: 'four', region: 'us-west-2' }),
    );
    expect(patched.edits).toHaveLength(1);
    // yes is YAML 1.1's true (eksctl reads it so): left alone. privateAccess goes into the
    // clusterEndpoints mapping and publicAccessCIDRs into vpc, at the same offset, in that order.
    expect(lineDiff(text, patched.text)).toEqual([
      {
        line: 9,
        removed: [],
        added: [
          '        privateAccess: true',
          '    publicAccessCIDRs:',
          '      - 203.0.113.0/24',
          '      - 198.51.100.7/32',
        ],
      },
    ]);
    const inPrivateMode = patchText(
      definition as Definition,
      file,
      targetFor(PRIVATE, { name: 'four', region: 'us-west-2' }),
    );
    expect(lineDiff(text, inPrivateMode.text)).toEqual([
      {
        line: 8,
        removed: ['        publicAccess: yes # open for the demo'],
        added: ['        publicAccess: false # open for the demo', '        privateAccess: true'],
      },
    ]);
  });

  it('replaces an existing allowlist in its own style', async () => {
    const text =
      header('five') +
      'vpc:\n  publicAccessCIDRs: ["0.0.0.0/0"]\n  clusterEndpoints: { publicAccess: true, privateAccess: true }\n';
    const file = { path: 'five.yaml', text };
    const [definition] = await definitionsOf(file);
    const patched = patchText(
      definition as Definition,
      file,
      targetFor(ALLOWLIST, { name: 'five', region: 'us-west-2' }),
    );
    expect(lineDiff(text, patched.text)).toEqual([
      {
        line: 7,
        removed: ['  publicAccessCIDRs: ["0.0.0.0/0"]'],
        added: ['  publicAccessCIDRs: ["203.0.113.0/24", "198.51.100.7/32"]'],
      },
    ]);
    expect(patched.changes).toEqual(['vpc.publicAccessCIDRs: [203.0.113.0/24, 198.51.100.7/32]']);
  });

  it('refuses a value it cannot read literally, naming file:line', async () => {
    const text = header('six') + 'vpc:\n  clusterEndpoints:\n    publicAccess: *open\n';
    const file = { path: 'six.yaml', text: text.replace('metadata:', 'x: &open true\nmetadata:') };
    const [definition] = await definitionsOf(file);
    const outcome = definition?.patch(targetFor(PRIVATE, { name: 'six', region: 'us-west-2' }));
    expect(outcome).toEqual({
      ok: false,
      reason: expect.stringContaining(
        'vpc.clusterEndpoints.publicAccess is *open, not a literal boolean (six.yaml:9)',
      ),
    });
  });

  it('reports an unnamed ClusterConfig as unresolved', async () => {
    const file = {
      path: 'anon.yaml',
      text: 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  region: us-east-1\n',
    };
    const [definition] = await definitionsOf(file);
    expect(definition?.name).toEqual({
      resolved: false,
      reason: 'the ClusterConfig has no metadata.name',
    });
    expect(definition?.location.address).toBe('ClusterConfig #1');
    const templated = { path: 't.yaml', text: header('${CLUSTER_NAME}') };
    const [fromEnv] = await definitionsOf(templated);
    expect(fromEnv?.name).toEqual({
      resolved: false,
      reason: 'metadata.name is ${CLUSTER_NAME}, a placeholder filled in before eksctl runs',
    });
  });

  it('reports a file that does not parse with its line, and still reads the others', async () => {
    const broken = {
      path: 'broken.yaml',
      text: header('seven') + 'vpc:\n  cidr: "10.0.0.0/16\n',
    };
    const reading = await eksctlFormat.read([broken, readFixture(FIXTURE)]);
    expect(reading.failures).toEqual([
      { file: 'broken.yaml', line: 8, message: expect.stringContaining('Missing closing') },
    ]);
    expect(reading.definitions.map((d) => d.location.address)).toEqual([
      'ClusterConfig eksctl-demo',
    ]);
  });
});
