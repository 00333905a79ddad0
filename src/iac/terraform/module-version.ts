/**
 * Which release of terraform-aws-modules/eks a module block uses, and so which attribute names and
 * defaults apply:
 *   - up to v18: cluster_name, cluster_endpoint_*; public on and private off by default;
 *   - v19 and v20: the same names; public off and private on by default;
 *   - v21 on: name, endpoint_*; public off and private on by default.
 */

/** The majors a version constraint allows: lowest..highest (highest null: no upper bound). */
export interface MajorRange {
  readonly lowest: number;
  readonly highest: number | null;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The majors a Terraform version constraint allows ("~> 20.0", "20.8.4", ">= 19.0, < 21.0"),
 * with Terraform's reading of "~>": only the rightmost component given may grow, so "~> 20"
 * allows 21 and later while "~> 20.0" does not. undefined when it cannot be read or allows nothing.
 */
export function majorsAllowed(constraint: string): MajorRange | undefined {
  let lowest = 0;
  let highest: number | null = null;
  const lower = (major: number) => (lowest = Math.max(lowest, major));
  const upper = (major: number) => (highest = highest === null ? major : Math.min(highest, major));
  const terms = constraint.split(',').map((term) => term.trim());
  for (const term of terms) {
    const match = /^(~>|>=|<=|!=|=|>|<)?\s*(\S+)$/.exec(term);
    const version = match?.[2] === undefined ? null : VERSION.exec(match[2]);
    if (match === null || version === null) return undefined;
    const parts = version
      .slice(1)
      .filter((part) => part !== undefined)
      .map(Number);
    const major = parts[0] ?? 0;
    const restIsZero = parts.slice(1).every((part) => part === 0);
    switch (match[1] ?? '=') {
      case '=':
        lower(major);
        upper(major);
        break;
      case '>':
      case '>=':
        lower(major);
        break;
      case '<':
        upper(restIsZero ? major - 1 : major);
        break;
      case '<=':
        upper(major);
        break;
      case '~>':
        lower(major);
        if (parts.length > 1) upper(major);
        break;
      default: // '!=' rules out one release, not a major
    }
  }
  return highest !== null && highest < lowest ? undefined : { lowest, highest };
}

/**
 * The registry module terraform-aws-modules/eks/aws, or its git repository. Its submodules
 * (//modules/karpenter, //modules/eks-managed-node-group, ...) take the name of a cluster they do
 * not define, so they are not definitions.
 */
export function isEksModuleSource(source: string): boolean {
  const registry =
    /^(?:registry\.terraform\.io\/)?terraform-aws-modules\/eks\/aws(?:\/\/([^?]*))?$/i;
  const git =
    /^(?:git::)?(?:https:\/\/|ssh:\/\/git@|git@)?github\.com[/:]terraform-aws-modules\/terraform-aws-eks(?:\.git)?(?:\/\/([^?]*))?(?:\?.*)?$/i;
  const match = registry.exec(source.trim()) ?? git.exec(source.trim());
  if (match === null) return false;
  const subdirectory = (match[1] ?? '').replace(/^\.?\/*/, '');
  return !subdirectory.startsWith('modules/');
}

/** The version a git source pins with ?ref=v20.8.4, as a constraint; undefined for a branch or a sha. */
export function refVersion(source: string): string | undefined {
  const ref = /[?&]ref=([^&]+)/.exec(source)?.[1];
  return ref !== undefined && VERSION.test(ref) ? ref.replace(/^v/, '') : undefined;
}

export type Generation = 'v18' | 'v19-v20' | 'v21';

export const generationOf = (major: number): Generation =>
  major <= 18 ? 'v18' : major <= 20 ? 'v19-v20' : 'v21';

/** The attribute names of one naming scheme. */
export interface ModuleNames {
  readonly name: string;
  readonly public: string;
  readonly private: string;
  readonly cidrs: string;
}

export const LEGACY_NAMES: ModuleNames = {
  name: 'cluster_name',
  public: 'cluster_endpoint_public_access',
  private: 'cluster_endpoint_private_access',
  cidrs: 'cluster_endpoint_public_access_cidrs',
};

export const V21_NAMES: ModuleNames = {
  name: 'name',
  public: 'endpoint_public_access',
  private: 'endpoint_private_access',
  cidrs: 'endpoint_public_access_cidrs',
};

const DEFAULTS: Record<Generation, { readonly public: boolean; readonly private: boolean }> = {
  v18: { public: true, private: false },
  'v19-v20': { public: false, private: true },
  v21: { public: false, private: true },
};

/** The names and defaults that apply to one module block, and why. */
export interface ModuleSchema {
  readonly names: ModuleNames;
  /** The module's defaults; undefined when the versions it may be differ on it. */
  readonly defaults: { readonly public?: boolean; readonly private?: boolean };
  /** "v20", "v19–v20", "v18 or before": what "the module's default for …" names. */
  readonly label: string;
  /** One sentence for the reviewer: which names, and why. */
  readonly why: string;
}

export type SchemaChoice =
  | { readonly ok: true; readonly schema: ModuleSchema }
  | { readonly ok: false; readonly reason: string };

/** What the block itself says: its version constraint (or git ref) and which attributes it sets. */
export interface ModuleFacts {
  readonly address: string;
  /** The constraint as written, or undefined when there is none (or it is not a literal). */
  readonly constraint: string | undefined;
  readonly has: (attribute: string) => boolean;
}

const LEGACY_MARKERS = ['cluster_name', 'cluster_version', 'cluster_addons', LEGACY_NAMES.public];
const V21_MARKERS = ['name', 'kubernetes_version', 'addons', V21_NAMES.public];

/**
 * The names and defaults for a module block. A constraint that allows one naming scheme decides;
 * otherwise (no constraint, or one that crosses v21) the attributes the block sets decide:
 * cluster_name, cluster_version, cluster_addons, cluster_endpoint_public_access (up to v20) against
 * name, kubernetes_version, addons, endpoint_public_access (from v21).
 */
export function chooseModuleSchema(facts: ModuleFacts): SchemaChoice {
  const range = facts.constraint === undefined ? undefined : majorsAllowed(facts.constraint);
  const written =
    facts.constraint === undefined
      ? `${facts.address} has no version constraint`
      : range === undefined
        ? `${facts.address}'s version constraint "${facts.constraint}" cannot be read`
        : `${facts.address}'s version "${facts.constraint}" allows ${rangeLabel(range)}`;
  if (range !== undefined) {
    const generations = generationsIn(range);
    if (generations.every((generation) => generation === 'v21')) {
      return chosen(V21_NAMES, generations, rangeLabel(range), `${written}, so its names are`);
    }
    if (!generations.includes('v21')) {
      return chosen(LEGACY_NAMES, generations, rangeLabel(range), `${written}, so its names are`);
    }
  }
  const legacy = LEGACY_MARKERS.filter(facts.has);
  const current = V21_MARKERS.filter(facts.has);
  // Here a range, when there is one, allows both v21 and an earlier major.
  if (legacy.length > 0 && current.length === 0) {
    const upToV20 = range === undefined ? undefined : { lowest: range.lowest, highest: 20 };
    return chosen(
      LEGACY_NAMES,
      upToV20 === undefined ? ['v18', 'v19-v20'] : generationsIn(upToV20),
      upToV20 === undefined ? 'v20 or before' : rangeLabel(upToV20),
      `${written}; it sets ${legacy.join(', ')}, which v21 renamed, so its names are`,
    );
  }
  if (current.length > 0 && legacy.length === 0) {
    return chosen(
      V21_NAMES,
      ['v21'],
      rangeLabel({ lowest: 21, highest: range?.highest ?? null }),
      `${written}; it sets ${current.join(', ')}, named as from v21, so its names are`,
    );
  }
  return {
    ok: false,
    reason:
      legacy.length > 0
        ? `${written}, and it sets both ${legacy.join(', ')} (up to v20) and ${current.join(', ')} (from v21): pin the version`
        : `${written}, and it sets neither cluster_name (up to v20) nor name (from v21): pin the version`,
  };
}

const ALL_GENERATIONS: readonly Generation[] = ['v18', 'v19-v20', 'v21'];

function generationsIn(range: MajorRange): Generation[] {
  const highest = generationOf(range.highest ?? Number.MAX_SAFE_INTEGER);
  const lowest = generationOf(range.lowest);
  return ALL_GENERATIONS.slice(
    ALL_GENERATIONS.indexOf(lowest),
    ALL_GENERATIONS.indexOf(highest) + 1,
  );
}

function chosen(
  names: ModuleNames,
  generations: readonly Generation[],
  label: string,
  why: string,
): SchemaChoice {
  const agreed = (pick: (generation: Generation) => boolean) => {
    const values = new Set(generations.map(pick));
    return values.size === 1 ? [...values][0] : undefined;
  };
  const defaults = {
    public: agreed((generation) => DEFAULTS[generation].public),
    private: agreed((generation) => DEFAULTS[generation].private),
  };
  const prefix = names === V21_NAMES ? 'endpoint_*' : 'cluster_endpoint_*';
  return {
    ok: true,
    schema: {
      names,
      defaults,
      label,
      why: `${why} ${names.name} and ${prefix}${defaultsSentence(defaults, label)}`,
    },
  };
}

function defaultsSentence(defaults: ModuleSchema['defaults'], label: string): string {
  if (defaults.public === undefined || defaults.private === undefined) {
    return ` (the defaults changed in v19, so eksposure writes every endpoint setting it needs)`;
  }
  return ` (defaults for ${label}: public ${String(defaults.public)}, private ${String(defaults.private)})`;
}

export const rangeLabel = (range: MajorRange): string =>
  range.highest === range.lowest
    ? `v${range.lowest}`
    : range.highest === null
      ? `v${range.lowest} and later`
      : `v${range.lowest}–v${range.highest}`;
