import { parseDocument } from 'yaml';
import {
  cloudFormationFormat,
  KEEP_PROPERTIES_NOTE,
} from '../../../../src/iac/cloudformation/cloudformation.format.js';
import { CLOUDFORMATION_TAGS } from '../../../../src/iac/cloudformation/intrinsic-functions.js';
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

const YAML_FIXTURE = 'fixtures/iac/cloudformation/eks-stack.yaml';
const JSON_FIXTURE = 'fixtures/iac/cloudformation/eks-stack.json';

const onlyDefinition = (file: SourceFile) => onlyDefinitionOf(cloudFormationFormat, file);

/** A cluster's ResourcesVpcConfig, read back from patched text (no errors, no warnings). */
function vpcConfigOf(text: string, logicalId: string): Record<string, unknown> | undefined {
  const document = parseDocument(text, { customTags: [...CLOUDFORMATION_TAGS] });
  expect(document.errors).toEqual([]);
  expect(document.warnings).toEqual([]);
  return (document.toJS() as JsonTemplate).Resources[logicalId]?.Properties.ResourcesVpcConfig;
}

const yamlCluster = { name: 'cfn-yaml', region: 'us-east-1', logicalId: 'EksCluster' };
const jsonCluster = { name: 'cfn-json', region: 'us-east-1', logicalId: 'ControlPlane' };

describe('cloudFormationFormat.accepts', () => {
  it('takes YAML and JSON templates and leaves other YAML alone', () => {
    expect(cloudFormationFormat.accepts(readFixture(YAML_FIXTURE))).toBe(true);
    expect(cloudFormationFormat.accepts(readFixture(JSON_FIXTURE))).toBe(true);
    expect(
      cloudFormationFormat.accepts({
        path: 'stack.template',
        text: 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n',
      }),
    ).toBe(true);
    expect(cloudFormationFormat.accepts(readFixture('fixtures/iac/eksctl/cluster.yaml'))).toBe(
      false,
    );
    expect(
      cloudFormationFormat.accepts({ path: 'main.tf', text: 'AWSTemplateFormatVersion' }),
    ).toBe(false);
  });
});

describe('CloudFormation YAML template', () => {
  const source = readFixture(YAML_FIXTURE);

  it('finds the AWS::EKS::Cluster with its literal name, logical id and line', async () => {
    const definition = await onlyDefinition(source);
    expect(definition.location).toEqual({
      tool: 'cloudformation',
      file: YAML_FIXTURE,
      line: 50,
      address: 'Resources.EksCluster',
    });
    expect(definition.logicalId).toBe('EksCluster');
    expect(definition.name).toEqual({
      resolved: true,
      value: 'cfn-yaml',
      from: {
        tool: 'cloudformation',
        file: YAML_FIXTURE,
        line: 53,
        address: 'Resources.EksCluster.Properties.Name',
      },
    });
    expect(definition.region).toBeUndefined();
  });

  it('private mode: flips EndpointPublicAccess in place (comment kept) and adds EndpointPrivateAccess', async () => {
    const definition = await onlyDefinition(source);
    const patched = patchText(definition, source, targetFor(PRIVATE, yamlCluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 60,
        removed: ['        EndpointPublicAccess: true # TODO(platform): lock down before GA'],
        added: [
          '        EndpointPublicAccess: false # TODO(platform): lock down before GA',
          '        EndpointPrivateAccess: true',
        ],
      },
    ]);
    expect(patched.changes).toEqual([
      'ResourcesVpcConfig.EndpointPublicAccess: false',
      'ResourcesVpcConfig.EndpointPrivateAccess: true',
    ]);
    expect(patched.notes).toEqual([`${KEEP_PROPERTIES_NOTE} (added: EndpointPrivateAccess).`]);
    expect(vpcConfigOf(patched.text, 'EksCluster')).toMatchObject({
      EndpointPublicAccess: false,
      EndpointPrivateAccess: true,
    });
  });

  it('keeps every short-form tag exactly as written', async () => {
    const definition = await onlyDefinition(source);
    const patched = patchText(definition, source, targetFor(PRIVATE, yamlCluster));
    const tags = (text: string) => text.match(/!\w+[^\n]*/g);
    expect(tags(patched.text)).toEqual(tags(source.text));
    expect(patched.text).toContain('        SubnetIds: !Ref SubnetIds\n');
    expect(patched.text).toContain('      RoleArn: !GetAtt ClusterRole.Arn\n');
    expect(patched.text).toContain("      RoleName: !Sub '${AWS::StackName}-cluster-role'\n");
  });

  it('allowlist mode: leaves public access, adds private access and a block list of CIDRs', async () => {
    const definition = await onlyDefinition(source);
    const patched = patchText(definition, source, targetFor(ALLOWLIST, yamlCluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 61,
        removed: [],
        added: [
          '        EndpointPrivateAccess: true',
          '        PublicAccessCidrs:',
          '          - 203.0.113.0/24',
          '          - 198.51.100.7/32',
        ],
      },
    ]);
    expect(patched.notes).toEqual([
      `${KEEP_PROPERTIES_NOTE} (added: EndpointPrivateAccess, PublicAccessCidrs).`,
    ]);
    expect(vpcConfigOf(patched.text, 'EksCluster')).toMatchObject({
      EndpointPublicAccess: true,
      EndpointPrivateAccess: true,
      PublicAccessCidrs: ALLOWLIST_CIDRS,
    });
  });

  it('a second patch of the patched template changes nothing', async () => {
    const definition = await onlyDefinition(source);
    const once = patchText(definition, source, targetFor(ALLOWLIST, yamlCluster));
    const again = await onlyDefinition({ path: YAML_FIXTURE, text: once.text });
    const twice = patchText(
      again,
      { path: YAML_FIXTURE, text: once.text },
      targetFor(ALLOWLIST, yamlCluster),
    );
    expect(twice.edits).toEqual([]);
    expect(twice.text).toBe(once.text);
  });
});

describe('CloudFormation JSON template', () => {
  const source = readFixture(JSON_FIXTURE);

  it('finds ControlPlane, named by Fn::Sub: matched by logical id only', async () => {
    const definition = await onlyDefinition(source);
    expect(definition.location).toEqual({
      tool: 'cloudformation',
      file: JSON_FIXTURE,
      line: 14,
      address: 'Resources.ControlPlane',
    });
    expect(definition.logicalId).toBe('ControlPlane');
    expect(definition.name).toEqual({
      resolved: false,
      reason: 'Name is { "Fn::Sub": "${AWS::StackName}-cluster" }; matched by logical id only',
    });
  });

  it('private mode: adds "EndpointPublicAccess": false, with the siblings\' indentation and flips private access', async () => {
    const definition = await onlyDefinition(source);
    const patched = patchText(definition, source, targetFor(PRIVATE, jsonCluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      { line: 21, removed: [], added: ['          "EndpointPublicAccess": false,'] },
      {
        line: 22,
        removed: ['          "EndpointPrivateAccess": false,'],
        added: ['          "EndpointPrivateAccess": true,'],
      },
    ]);
    const config = (JSON.parse(patched.text) as JsonTemplate).Resources.ControlPlane?.Properties
      .ResourcesVpcConfig;
    expect(config).toEqual({
      SubnetIds: { Ref: 'SubnetIds' },
      EndpointPublicAccess: false,
      EndpointPrivateAccess: true,
      PublicAccessCidrs: ['0.0.0.0/0'],
    });
  });

  it('allowlist mode: replaces the CIDR list inline, JSON style', async () => {
    const definition = await onlyDefinition(source);
    const patched = patchText(definition, source, targetFor(ALLOWLIST, jsonCluster));
    expect(lineDiff(source.text, patched.text)).toEqual([
      {
        line: 22,
        removed: [
          '          "EndpointPrivateAccess": false,',
          '          "PublicAccessCidrs": ["0.0.0.0/0"]',
        ],
        added: [
          '          "EndpointPrivateAccess": true,',
          '          "PublicAccessCidrs": ["203.0.113.0/24", "198.51.100.7/32"]',
        ],
      },
    ]);
    expect(patched.notes).toEqual([]);
    expect(
      (JSON.parse(patched.text) as JsonTemplate).Resources.ControlPlane?.Properties
        .ResourcesVpcConfig,
    ).toMatchObject({ EndpointPrivateAccess: true, PublicAccessCidrs: ALLOWLIST_CIDRS });
  });

  it('keeps tab indentation and adds CIDRs inline when the key is absent', async () => {
    const text =
      '{\n\t"Resources": {\n\t\t"Eks": {\n\t\t\t"Type": "AWS::EKS::Cluster",\n' +
      '\t\t\t"Properties": {\n\t\t\t\t"Name": "tabs",\n\t\t\t\t"ResourcesVpcConfig": {\n' +
      '\t\t\t\t\t"SubnetIds": ["subnet-1"]\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n';
    const file = { path: 'tabs.json', text };
    const definition = await onlyDefinition(file);
    const patched = patchText(
      definition,
      file,
      targetFor(ALLOWLIST, { name: 'tabs', region: 'eu-west-1' }),
    );
    expect(lineDiff(text, patched.text)).toEqual([
      {
        line: 8,
        removed: [],
        added: [
          '\t\t\t\t\t"EndpointPrivateAccess": true,',
          '\t\t\t\t\t"PublicAccessCidrs": ["203.0.113.0/24", "198.51.100.7/32"],',
        ],
      },
    ]);
    expect(JSON.parse(patched.text)).toBeTruthy();
  });
});

interface JsonTemplate {
  Resources: Record<string, { Properties: { ResourcesVpcConfig: Record<string, unknown> } }>;
}

describe('CloudFormation short-form tags', () => {
  const everyTag = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Conditions:',
    '  Prod: !Equals [!Ref Env, prod]',
    '  NotProd: !Not [!Condition Prod]',
    '  Both: !And [!Condition Prod, !Or [!Condition Prod, !Condition NotProd]]',
    'Resources:',
    '  Eks:',
    '    Type: AWS::EKS::Cluster',
    '    Properties:',
    '      Name: !Join ["-", [!Ref AWS::StackName, !Select [0, !GetAZs ""]]]',
    '      RoleArn: !ImportValue shared-eks-role',
    '      Version: !FindInMap [Versions, !Ref Env, Kubernetes]',
    '      EncryptionConfig: !If',
    '        - Prod',
    '        - - Resources: [secrets]',
    '        - !Ref AWS::NoValue',
    '      ResourcesVpcConfig:',
    '        SubnetIds: !Split [",", !ImportValue subnets]',
    '        SecurityGroupIds: [!GetAtt Sg.GroupId]',
    '      Tags:',
    '        - Key: cidr',
    '          Value: !Select [0, !Cidr [10.0.0.0/16, 4, 8]]',
    '        - Key: data',
    '          Value: !Base64 { "Fn::Sub": "${AWS::Region}" }',
    '',
  ].join('\n');

  it('parse without warnings and stay byte for byte through a patch', async () => {
    const document = parseDocument(everyTag, { customTags: [...CLOUDFORMATION_TAGS] });
    expect(document.errors).toEqual([]);
    expect(document.warnings).toEqual([]);
    const file = { path: 'every-tag.yaml', text: everyTag };
    const definition = await onlyDefinition(file);
    expect(definition.name).toEqual({
      resolved: false,
      reason:
        'Name is !Join ["-", [!Ref AWS::StackName, !Select [0, !GetAZs ""]]]; matched by logical id only',
    });
    const patched = patchText(definition, file, targetFor(PRIVATE, { name: 'x', region: 'r' }));
    expect(lineDiff(everyTag, patched.text)).toEqual([
      {
        line: 20,
        removed: [],
        added: ['        EndpointPublicAccess: false', '        EndpointPrivateAccess: true'],
      },
    ]);
  });
});

describe('CloudFormation values eksposure does not edit', () => {
  const template = (vpcConfig: string) =>
    'AWSTemplateFormatVersion: "2010-09-09"\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n' +
    'Resources:\n  Eks:\n    Type: AWS::EKS::Cluster\n    Properties:\n' +
    '      Name: !Sub "${AWS::StackName}-eks"\n' +
    `      ResourcesVpcConfig:\n${vpcConfig}`;

  it('names an unresolved !Sub name', async () => {
    const definition = await onlyDefinition({
      path: 't.yaml',
      text: template('        SubnetIds: [a]\n'),
    });
    expect(definition.name).toEqual({
      resolved: false,
      reason: 'Name is !Sub "${AWS::StackName}-eks"; matched by logical id only',
    });
  });

  it('refuses a short-form intrinsic with file:line', async () => {
    const file = {
      path: 'stacks/eks.yaml',
      text: template(
        '        SubnetIds: [a]\n        EndpointPublicAccess: !If [Prod, false, true]\n',
      ),
    };
    const outcome = (await onlyDefinition(file)).patch(
      targetFor(PRIVATE, { name: 'x', region: 'r' }),
    );
    expect(outcome).toEqual({
      ok: false,
      reason: expect.stringContaining(
        'ResourcesVpcConfig.EndpointPublicAccess is the intrinsic function !If [Prod, false, true] (stacks/eks.yaml:11)',
      ),
    });
  });

  it('refuses a long-form intrinsic, and a CIDR list built by !Split', async () => {
    const longForm = {
      path: 'a.yaml',
      text: template('        EndpointPrivateAccess:\n          Fn::If: [Prod, true, false]\n'),
    };
    const outcome = (await onlyDefinition(longForm)).patch(
      targetFor(PRIVATE, { name: 'x', region: 'r' }),
    );
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining('Fn::If') });
    const split = {
      path: 'b.yaml',
      text: template('        PublicAccessCidrs: !Split [",", !Ref Cidrs]\n'),
    };
    const refused = (await onlyDefinition(split)).patch(
      targetFor(ALLOWLIST, { name: 'x', region: 'r' }),
    );
    expect(refused).toEqual({
      ok: false,
      reason: expect.stringContaining('!Split [",", !Ref Cidrs] (b.yaml:10)'),
    });
  });

  it('refuses ResourcesVpcConfig given by !If', async () => {
    const file = {
      path: 'c.yaml',
      text:
        'Resources:\n  Eks:\n    Type: AWS::EKS::Cluster\n    Properties:\n' +
        '      ResourcesVpcConfig: !If [Prod, {SubnetIds: [a]}, {SubnetIds: [b]}]\n',
    };
    const outcome = (await onlyDefinition(file)).patch(
      targetFor(PRIVATE, { name: 'x', region: 'r' }),
    );
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining('(c.yaml:5)') });
  });

  it('adds to a YAML flow mapping before its first key, and replaces a quoted boolean in its quotes', async () => {
    const file = {
      path: 'd.yaml',
      text: template('        { SubnetIds: [a, b], EndpointPublicAccess: "true" }\n'),
    };
    const definition = await onlyDefinition(file);
    const patched = patchText(definition, file, targetFor(PRIVATE, { name: 'x', region: 'r' }));
    expect(lineDiff(file.text, patched.text)).toEqual([
      {
        line: 10,
        removed: ['        { SubnetIds: [a, b], EndpointPublicAccess: "true" }'],
        added: [
          '        { EndpointPrivateAccess: true, SubnetIds: [a, b], EndpointPublicAccess: "false" }',
        ],
      },
    ]);
  });

  it('reports a template that does not parse, with its line, and still reads the others', async () => {
    const broken = {
      path: 'broken.yaml',
      text: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Eks:\n    Type: AWS::EKS::Cluster\n   Properties: [\n',
    };
    const reading = await cloudFormationFormat.read([broken, readFixture(YAML_FIXTURE)]);
    expect(reading.definitions.map((d) => d.location.address)).toEqual(['Resources.EksCluster']);
    expect(reading.failures).toEqual([
      {
        file: 'broken.yaml',
        line: 5,
        message: 'All mapping items must start at the same column at line 5, column 1',
      },
    ]);
  });
});
