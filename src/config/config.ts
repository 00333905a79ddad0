import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseCidr } from '../net/cidr.js';
import { ruleNamed } from '../rules/registry.js';
import { CONFIG_SCHEMA } from './config-schema.js';
import type { DeclaredManager } from '../model/managed-by.js';

/** One accepted risk. Selectors left out match anything; `rules` holds rule ids (aliases resolved). */
export interface Exemption {
  /** Its place in the file (0-based), as `exemptions[2]` names it. */
  readonly index: number;
  readonly arn?: string;
  readonly cluster?: string;
  readonly tag?: Readonly<Record<string, string>>;
  readonly account?: string;
  readonly rules?: readonly string[];
  readonly reason: string;
  /** As written in the file. */
  readonly expires: string;
  /** The first instant it no longer applies. */
  readonly expiresAt: Date;
}

export interface EksposureConfig {
  readonly exemptions: readonly Exemption[];
  readonly approvedCidrs: readonly string[] | null;
  /** Tags that mean a tool manages a cluster, beyond the ones the tools set themselves. */
  readonly managers: readonly DeclaredManager[];
}

export const EMPTY_CONFIG: EksposureConfig = { exemptions: [], approvedCidrs: null, managers: [] };

export type ConfigResult =
  | { readonly ok: true; readonly config: EksposureConfig }
  | { readonly ok: false; readonly problem: string };

interface RawExemption {
  arn?: string;
  cluster?: string;
  tag?: Record<string, string>;
  account?: string;
  rules?: string[];
  reason: string;
  expires: string;
}

interface RawConfig {
  exemptions?: RawExemption[];
  approvedCidrs?: string[];
  managers?: DeclaredManager[];
}

let validator: ReturnType<Ajv2020['compile']> | undefined;
function validate(value: unknown) {
  // strictRequired would reject the anyOf of required selectors, each declared in properties beside it.
  validator ??= new Ajv2020({ allErrors: false, strict: true, strictRequired: false }).compile(
    CONFIG_SCHEMA,
  );
  const ok = validator(value);
  // An anyOf that failed lists each branch's complaint first; the anyOf itself says what is meant.
  const errors = validator.errors ?? [];
  return { ok, error: errors.find((e) => e.keyword === 'anyOf') ?? errors[0] };
}

/**
 * Pure: a date is in force through that day (UTC), so "2027-03-31" ends at 2027-04-01T00:00Z; a
 * date-time ends at that instant. Undefined for a date that does not exist (2027-02-30).
 */
export function expiryOf(expires: string): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) {
    const day = new Date(`${expires}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== expires) return undefined;
    return new Date(day.getTime() + 24 * 60 * 60 * 1000);
  }
  const at = new Date(expires);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Pure: the config file's text in; the config, or the first problem in one sentence (naming where), out. */
export function parseConfig(text: string): ConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `is not JSON (${(error as Error).message})` };
  }
  const checked = validate(value);
  if (!checked.ok) {
    const e = checked.error;
    const where = e?.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : 'the top level';
    const detail =
      e?.keyword === 'anyOf'
        ? 'must name at least one of arn, cluster, tag or account'
        : e?.keyword === 'additionalProperties'
          ? `has an unknown field "${String(e.params.additionalProperty)}"`
          : (e?.message ?? 'is not valid');
    return { ok: false, problem: `${where.replace(/\.(\d+)/g, '[$1]')} ${detail}` };
  }
  const raw = value as RawConfig;
  const exemptions: Exemption[] = [];
  for (const [index, e] of (raw.exemptions ?? []).entries()) {
    const expiresAt = expiryOf(e.expires);
    if (!expiresAt) {
      return { ok: false, problem: `exemptions[${index}].expires "${e.expires}" is not a date` };
    }
    const unknown = (e.rules ?? []).filter((r) => !ruleNamed(r));
    if (unknown.length > 0) {
      return {
        ok: false,
        problem: `exemptions[${index}].rules names no rule: ${unknown.join(', ')} (eksposure rules lists them)`,
      };
    }
    const rules = e.rules?.map((r) => ruleNamed(r)?.metadata.id ?? r);
    exemptions.push({ ...e, ...(rules ? { rules } : {}), index, expiresAt });
  }
  const badCidrs = (raw.approvedCidrs ?? []).filter((c) => !parseCidr(c.trim()).ok);
  if (badCidrs.length > 0) {
    return {
      ok: false,
      problem: `approvedCidrs holds ${badCidrs.map((c) => `"${c}"`).join(', ')}, not a CIDR (e.g. 203.0.113.0/24)`,
    };
  }
  return {
    ok: true,
    config: {
      exemptions,
      approvedCidrs: raw.approvedCidrs?.map((c) => c.trim()) ?? null,
      managers: raw.managers ?? [],
    },
  };
}
