import { existsSync, readFileSync } from 'node:fs';
import { type EksposureConfig, EMPTY_CONFIG, parseConfig } from '../../config/config.js';
import { describeSelector } from '../../config/exemptions.js';
import { parseCidr } from '../../net/cidr.js';
import type { FailOn } from '../../report/fail-on.js';
import { eksProbe001ApiReachable } from '../../rules/eks-probe-001-api-reachable.js';
import {
  rules as allRules,
  knownRuleNames,
  selectRules,
  defaultRules,
} from '../../rules/registry.js';
import type { Rule, RuleContext } from '../../rules/types.js';
import { CliError } from '../cli-error.js';
import type { OutputStream } from '../deps.js';
import { type ConfigArgs, DEFAULT_CONFIG_FILE, type RuleArgs } from './rule-options.js';
import { type AuditReport } from '../../model/findings.js';

export interface LoadedConfig {
  /** The file read, or null when there was none. */
  readonly path: string | null;
  readonly config: EksposureConfig;
}

/** --config FILE, else .eksposure.json when it exists; a file that does not parse or validate is one line, exit 2. */
export function loadConfig(args: ConfigArgs): LoadedConfig {
  const path = args.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (path === undefined) return { path: null, config: EMPTY_CONFIG };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read the config file ${path}: ${(error as Error).message}; name a readable file with --config.`,
    );
  }
  const parsed = parseConfig(text);
  if (!parsed.ok) {
    throw new CliError(
      `config file ${path}: ${parsed.problem}; fix it (schemas/config.schema.json describes it). Nothing was scanned.`,
    );
  }
  return { path, config: parsed.config };
}

const splitList = (values: readonly string[]) =>
  values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/**
 * --rules: ids or aliases, in registry order; an unknown one is one line, exit 2. `all` is every
 * rule but EKS-PROBE-001, which --probe adds.
 */
export function resolveRules(values: readonly string[] | undefined): readonly Rule[] {
  if (values === undefined) return defaultRules;
  const listed = splitList(values);
  const all = listed.some((n) => n.toLowerCase() === 'all');
  const names = all
    ? [
        ...listed.filter((n) => n.toLowerCase() !== 'all'),
        ...allRules.filter((r) => r !== eksProbe001ApiReachable).map((r) => r.metadata.id),
      ]
    : listed;
  const selected = selectRules(names);
  if (!selected.ok) {
    throw new CliError(
      `--rules: unknown rule ${selected.unknown.join(', ')}; known rules (id / aliases): ${knownRuleNames()}.`,
    );
  }
  if (selected.rules.length === 0)
    throw new CliError('--rules names no rule; e.g. --rules EKS-001.');
  return selected.rules;
}

function resolveApprovedCidrs(
  values: readonly string[] | undefined,
  config: EksposureConfig,
): readonly string[] | null {
  if (values === undefined) return config.approvedCidrs;
  const cidrs = splitList(values);
  const bad = cidrs.filter((c) => !parseCidr(c).ok);
  if (bad.length > 0 || cidrs.length === 0) {
    throw new CliError(
      `--approved-cidrs ${bad.map((b) => `"${b}"`).join(', ') || '""'} is not a CIDR list; give IPv4 or IPv6 CIDRs, e.g. --approved-cidrs 203.0.113.0/24,2001:db8::/32.`,
    );
  }
  return cidrs;
}

export interface RuleSetup {
  readonly rules: readonly Rule[];
  readonly ruleContext: RuleContext;
  readonly failOn: FailOn;
  readonly configPath: string | null;
  readonly config: EksposureConfig;
}

/** Every rule flag and the config file, checked before any AWS call. */
export function resolveRuleSetup(args: RuleArgs): RuleSetup {
  const rules = resolveRules(args.rules);
  const { path, config } = loadConfig(args);
  return {
    rules,
    ruleContext: { approvedCidrs: resolveApprovedCidrs(args['approved-cidrs'], config) },
    failOn: args['fail-on'] ?? 'any',
    configPath: path,
    config,
  };
}

/** One line on stderr per exemption that matched no finding: a typo, a cluster gone, a rule not run. */
export function warnUnusedExemptions(
  stderr: OutputStream,
  report: AuditReport,
  setup: Pick<RuleSetup, 'config' | 'configPath'>,
): void {
  for (const usage of report.exemptions) {
    if (!usage.unused) continue;
    const exemption = setup.config.exemptions[usage.index];
    const selector = exemption ? ` (${describeSelector(exemption)})` : '';
    stderr.write(
      `eksposure: unused exemption: exemptions[${usage.index}]${selector} in ${setup.configPath ?? 'the config'} matched no finding; remove it or correct it.\n`,
    );
  }
}

/** --probe adds EKS-PROBE-001 to the rules run (in registry order). */
export function withProbeRule<P>(
  setup: RuleSetup,
  probe: P | null,
): RuleSetup & { readonly probe: P | null } {
  if (!probe) {
    // Without a probe the rule could only pass every cluster: a green that means nothing.
    if (setup.rules.includes(eksProbe001ApiReachable)) {
      throw new CliError(
        '--rules EKS-PROBE-001 reports what a probe observed: add --probe, or leave it out of --rules',
      );
    }
    return { ...setup, probe };
  }
  const rules = allRules.filter((r) => setup.rules.includes(r) || r === eksProbe001ApiReachable);
  return { ...setup, rules, probe };
}
