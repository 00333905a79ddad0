/**
 * Terraform: `resource "aws_eks_cluster"` blocks and `module` blocks of terraform-aws-modules/eks.
 * Names are read through variables, locals and .tfvars of the same directory; patches edit the
 * endpoint attributes in place.
 */
import type { Definition, IacFormat, ParseFailure, SourceFile } from '../types.js';
import { findAttribute, findBlocks, literalString, type HclBlock, type HclBody } from './hcl.js';
import type { FileText } from './layout.js';
import {
  chooseModuleSchema,
  isEksModuleSource,
  refVersion,
  type ModuleSchema,
} from './module-version.js';
import { loadHclParser } from './parse.js';
import { patchEndpoint } from './patch.js';
import { buildScopes, directoryOf, resolveName, type DirectoryScope } from './resolve.js';

/**
 * .tf and .tfvars files. JSON Terraform (.tf.json, .tfvars.json) is not read: it is generated
 * more often than written, and patching it would need a JSON patcher of its own. Modules that
 * `terraform init` downloaded under .terraform/ are not the user's code.
 */
const accepts = (file: SourceFile): boolean =>
  /\.(?:tf|tfvars)$/.test(file.path) && !/(?:^|\/)\.terraform\//.test(file.path);

interface ReadFile extends FileText {
  readonly body: HclBody;
}

export const terraformFormat: IacFormat = {
  tool: 'terraform',
  accepts,
  async read(files) {
    const parser = await loadHclParser();
    const parsed: ReadFile[] = [];
    const failures: ParseFailure[] = [];
    for (const file of files.filter(accepts)) {
      const result = parser.parse(file.text);
      if (!result.ok) {
        failures.push({ file: file.path, line: result.line, message: result.message });
        continue;
      }
      parsed.push({
        path: file.path,
        text: file.text,
        body: result.body,
        comments: result.comments,
      });
    }
    const scopes = buildScopes(parsed);
    const definitions = parsed
      .filter((file) => file.path.endsWith('.tf'))
      .flatMap((file) => {
        const scope = scopes.get(directoryOf(file.path)) as DirectoryScope;
        return file.body.blocks.flatMap((block) => definitionsIn(file, block, scope));
      });
    return { definitions, failures };
  },
};

function definitionsIn(file: ReadFile, block: HclBlock, scope: DirectoryScope): Definition[] {
  const [first, second] = block.labels;
  if (block.type === 'resource' && first === 'aws_eks_cluster' && second !== undefined) {
    return [clusterResource(file, block, `aws_eks_cluster.${second}`, scope)];
  }
  const source = literalString(findAttribute(block.body, 'source')?.value);
  if (block.type === 'module' && first !== undefined && source !== undefined) {
    return isEksModuleSource(source) ? [eksModule(file, block, `module.${first}`, scope)] : [];
  }
  return [];
}

const locationOf = (file: ReadFile, block: HclBlock, address: string) =>
  ({ tool: 'terraform', file: file.path, line: block.startRow + 1, address }) as const;

/** A note when one block makes several clusters: the patch changes all of them. */
function iterationNotes(block: HclBlock, address: string): string[] {
  const meta = ['for_each', 'count'].filter((name) => findAttribute(block.body, name));
  return meta.map(
    (name) => `${address} has ${name}: this patch changes every instance it makes, not one cluster`,
  );
}

function clusterResource(
  file: ReadFile,
  block: HclBlock,
  address: string,
  scope: DirectoryScope,
): Definition {
  const location = locationOf(file, block, address);
  return {
    location,
    name: resolveName({ address, attributeName: 'name', body: block.body, scope }),
    patch(target) {
      const vpcConfigs = findBlocks(block.body, 'vpc_config');
      const [vpcConfig] = vpcConfigs;
      if (vpcConfig === undefined || vpcConfigs.length > 1) {
        const dynamic = findBlocks(block.body, 'dynamic').some((d) => d.labels[0] === 'vpc_config');
        const what =
          vpcConfigs.length > 1
            ? `has ${vpcConfigs.length} vpc_config blocks`
            : dynamic
              ? 'sets vpc_config with a dynamic block, which eksposure does not patch'
              : 'has no vpc_config block, which aws_eks_cluster requires';
        return { ok: false, reason: `${file.path}:${location.line}: ${address} ${what}` };
      }
      return patchEndpoint(
        {
          file,
          block: vpcConfig,
          names: {
            public: 'endpoint_public_access',
            private: 'endpoint_private_access',
            cidrs: 'public_access_cidrs',
          },
          defaults: { public: true, private: false },
          defaultOwner: "aws_eks_cluster's default",
          unknownDefault: { public: '', private: '' },
          notes: iterationNotes(block, address),
        },
        target.change,
      );
    },
  };
}

function eksModule(
  file: ReadFile,
  block: HclBlock,
  address: string,
  scope: DirectoryScope,
): Definition {
  const location = locationOf(file, block, address);
  const source = literalString(findAttribute(block.body, 'source')?.value) ?? '';
  const version = findAttribute(block.body, 'version')?.value;
  const choice = chooseModuleSchema({
    address,
    constraint:
      version === undefined ? refVersion(source) : (literalString(version) ?? version.text),
    has: (name) => findAttribute(block.body, name) !== undefined,
  });
  if (!choice.ok) {
    return {
      location,
      name: { resolved: false, reason: choice.reason },
      patch: () => ({ ok: false, reason: `${file.path}:${location.line}: ${choice.reason}` }),
    };
  }
  const { schema } = choice;
  return {
    location,
    name: resolveName({ address, attributeName: schema.names.name, body: block.body, scope }),
    patch: (target) =>
      patchEndpoint(
        {
          file,
          block,
          names: schema.names,
          defaults: schema.defaults,
          defaultOwner: `the module's default for ${schema.label}`,
          unknownDefault: unknownDefaults(schema),
          notes: [schema.why, ...iterationNotes(block, address)],
        },
        target.change,
      ),
  };
}

const unknownDefaults = (schema: ModuleSchema) => ({
  public: `the module's default for ${schema.label} is true up to v18 and false from v19`,
  private: `the module's default for ${schema.label} is false up to v18 and true from v19`,
});
