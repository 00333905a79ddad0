/**
 * The smallest edit that gives a Terraform block the endpoint settings of a fix: a literal value
 * that differs is replaced, an absent attribute whose default differs is added, and everything
 * else (comments, order, other lines) is left byte for byte. A value that is not a literal is not
 * guessed at: the patch is refused with the place and the expression.
 */
import type { EndpointChange } from '../../model/endpoint.js';
import type { PatchOutcome, TextEdit } from '../types.js';
import {
  findAttribute,
  hclList,
  literalBool,
  literalStrings,
  oneLine,
  quoteHcl,
  type HclAttribute,
  type HclBlock,
} from './hcl.js';
import {
  eolAt,
  indentOf,
  insertLines,
  replaceValues,
  type FileText,
  type NewLine,
  type Replacement,
} from './layout.js';

/** The attribute names of the three endpoint settings in one kind of block. */
export interface EndpointNames {
  readonly public: string;
  readonly private: string;
  readonly cidrs: string;
}

/** Where the settings live and what applies when one is not written. */
export interface EndpointSite {
  readonly file: FileText;
  /** The block whose body holds the settings: vpc_config, or the module block. */
  readonly block: HclBlock;
  readonly names: EndpointNames;
  /** The defaults; undefined when they cannot be known (the version in use is not pinned). */
  readonly defaults: { readonly public?: boolean; readonly private?: boolean };
  /** "aws_eks_cluster's default", "the module's default for v20". */
  readonly defaultOwner: string;
  /** What to say when a default cannot be known, per setting. */
  readonly unknownDefault: { readonly public: string; readonly private: string };
  /** Notes to pass on (the names chosen for a module, ...). */
  readonly notes: readonly string[];
}

/** Both the AWS API and the module default the allowlist to everywhere. */
const DEFAULT_CIDRS: readonly string[] = ['0.0.0.0/0'];

type Setting =
  | {
      readonly kind: 'bool';
      readonly name: string;
      readonly want: boolean;
      readonly fallback: boolean | undefined;
      readonly unknown: string;
    }
  | {
      readonly kind: 'list';
      readonly name: string;
      readonly want: readonly string[];
      readonly fallback: readonly string[];
    };

const render = (value: boolean | readonly string[]): string =>
  typeof value === 'boolean' ? String(value) : hclList(value);

const sameValue = (a: boolean | readonly string[], b: boolean | readonly string[]): boolean =>
  typeof a === 'boolean' || typeof b === 'boolean'
    ? a === b
    : new Set(a).size === new Set(b).size && a.every((value) => b.includes(value));

export function patchEndpoint(site: EndpointSite, change: EndpointChange): PatchOutcome {
  const { names, defaults } = site;
  const settings: Setting[] = [
    {
      kind: 'bool',
      name: names.public,
      want: change.endpointPublicAccess,
      fallback: defaults.public,
      unknown: site.unknownDefault.public,
    },
    {
      kind: 'bool',
      name: names.private,
      want: change.endpointPrivateAccess,
      fallback: defaults.private,
      unknown: site.unknownDefault.private,
    },
  ];
  if (change.publicAccessCidrs !== undefined) {
    const want = change.publicAccessCidrs;
    settings.push({ kind: 'list', name: names.cidrs, want, fallback: DEFAULT_CIDRS });
  }
  const replacements: Replacement[] = [];
  const changes: string[] = [];
  const notes = [...site.notes];
  const added: NewLine[] = [];
  for (const setting of settings) {
    const attribute = findAttribute(site.block.body, setting.name);
    const wanted = render(setting.want);
    if (attribute === undefined) {
      if (setting.fallback !== undefined && sameValue(setting.fallback, setting.want)) {
        notes.push(
          `${setting.name} is not set; ${site.defaultOwner} is ${wanted}, as the fix wants`,
        );
        continue;
      }
      added.push({ name: setting.name, value: wanted });
      const why =
        setting.kind === 'bool' && setting.fallback === undefined
          ? setting.unknown
          : `${site.defaultOwner} is ${render(setting.fallback ?? DEFAULT_CIDRS)}`;
      changes.push(`${setting.name} = ${wanted} (added; ${why})`);
      continue;
    }
    const current =
      setting.kind === 'bool' ? literalBool(attribute.value) : literalStrings(attribute.value);
    if (current === undefined) {
      return {
        ok: false,
        reason: `${site.file.path}:${attribute.startRow + 1}: ${setting.name} = ${oneLine(attribute.value.text)} is not a literal, so eksposure cannot tell what it evaluates to; set it to ${wanted} where its value comes from`,
      };
    }
    if (sameValue(current, setting.want)) continue;
    if (setting.kind === 'list' && hasComment(attribute.value.text)) {
      return {
        ok: false,
        reason: `${site.file.path}:${attribute.startRow + 1}: ${setting.name} has comments inside its list, which rewriting it would lose; set it to ${wanted} by hand`,
      };
    }
    const text =
      setting.kind === 'list' && attribute.value.startRow !== attribute.value.endRow
        ? multiLineList(site.file.text, attribute, setting.want)
        : wanted;
    replacements.push({ attribute, value: text });
    changes.push(`${setting.name} = ${wanted} (was ${render(current)})`);
  }
  const replaced = replaceValues(site.file, replacements);
  const edits: TextEdit[] = [...replaced.edits];
  notes.push(...replaced.notes);
  if (added.length > 0) {
    const layout = insertLines(site.file, site.block, anchorOf(site), added);
    if (!layout.ok) return layout;
    edits.push(layout.edit);
  }
  if (edits.length === 0) notes.push('the definition already has the endpoint the fix sets');
  edits.sort((a, b) => a.start - b.start);
  return { ok: true, edits, changes, notes };
}

/** New lines go after the last endpoint setting already written, else after the last attribute. */
function anchorOf(site: EndpointSite): HclAttribute | undefined {
  const { attributes } = site.block.body;
  const endpoint = [site.names.public, site.names.private, site.names.cidrs];
  return (
    attributes.filter((attribute) => endpoint.includes(attribute.name)).at(-1) ?? attributes.at(-1)
  );
}

/** A comment inside a list of quoted CIDRs (which hold neither # nor /). */
const hasComment = (listText: string) => /#|\/\/|\/\*/.test(listText.replace(/"[^"]*"/g, '""'));

/** A list written over several lines stays so: one value a line, indented like the old ones. */
function multiLineList(text: string, attribute: HclAttribute, values: readonly string[]): string {
  if (values.length === 0) return '[]';
  const { value } = attribute;
  const eol = eolAt(text, value.start);
  const outer = indentOf(text, attribute.start) ?? '';
  const first = value.kind === 'tuple' ? value.items[0] : undefined;
  const inner =
    (first !== undefined && first.startRow > value.startRow
      ? indentOf(text, first.start)
      : undefined) ?? `${outer}  `;
  const closing = indentOf(text, value.end - 1) ?? outer;
  return `[${eol}${values.map((cidr) => `${inner}${quoteHcl(cidr)},${eol}`).join('')}${closing}]`;
}
