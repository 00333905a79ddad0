import {
  type Cidr,
  coversWholeInternet,
  formatCidr,
  formatIpv6Address,
  parseCidr,
  parseIpv4Address,
  parseIpv6Address,
} from '../net/cidr.js';

/** One CIDR as the operator gave it, and where: "--allow-cidr", "cidrs.txt line 3". */
export interface AllowlistEntry {
  readonly value: string;
  readonly source: string;
}

export type AllowlistResult =
  | { readonly ok: true; readonly cidrs: string[] }
  | { readonly ok: false; readonly message: string };

/** EKS quota "Public endpoint access CIDR ranges per cluster"; not adjustable. */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

const EXAMPLE = '--allow-cidr 203.0.113.0/24 or --allow-cidrs-file FILE';
const WHAT_A_CIDR_LOOKS_LIKE =
  'a CIDR is a network address, "/" and a prefix length, as in 203.0.113.0/24 or 2001:db8::/32';

/** Why a value is not a CIDR, and a fix only where one follows from the value itself. */
function malformed(value: string, reason: string): string {
  if (!value.includes('/') && parseIpv4Address(value) !== undefined) {
    return `${value} is an address, not a CIDR: for that one address use ${value}/32`;
  }
  const v6 = value.includes('/') ? undefined : parseIpv6Address(value);
  if (v6 !== undefined) {
    return `${value} is an address, not a CIDR: for that one address use ${formatIpv6Address(v6)}/128`;
  }
  const pieces = value.split(/[\s,]+/).filter((p) => p !== '');
  if (pieces.length > 1 && pieces.every((p) => parseCidr(p).ok)) {
    return `${value} is ${pieces.length} CIDRs in one value: give each its own --allow-cidr (or line of the file)`;
  }
  return `${value} is not a CIDR (${reason}); ${WHAT_A_CIDR_LOOKS_LIKE}`;
}

/** One problem with one entry, as a sentence fragment naming the value; undefined when it is usable. */
function problemWith(value: string, cidr: ReturnType<typeof parseCidr>): string | undefined {
  if (value === '') return `an empty value is not a CIDR; ${WHAT_A_CIDR_LOOKS_LIKE}`;
  if (!cidr.ok) return malformed(value, cidr.reason);
  const parsed = cidr.value;
  if (parsed.prefixLength === 0) {
    return `${value} admits the whole internet, which is the finding being fixed: list only the networks that need the API`;
  }
  if (parsed.hostBitsSet) {
    return `${value} has host bits set; did you mean ${formatCidr(parsed)}?`;
  }
  return undefined;
}

const bits = (c: Cidr) => (c.family === 4 ? 32 : 128);
const startOf = (c: Cidr) => BigInt(c.network);
const endOf = (c: Cidr) => startOf(c) + (1n << BigInt(bits(c) - c.prefixLength));

/**
 * The fewest of the given blocks (all of one family) whose union is that family's whole space,
 * found greedily: at each point, the block starting at or before it that reaches furthest. Only
 * called once the union is known to cover.
 */
function coveringBlocks(blocks: readonly Cidr[]): Cidr[] {
  const first = blocks[0];
  if (first === undefined) return [];
  const space = 1n << BigInt(bits(first));
  const chosen: Cidr[] = [];
  let coveredTo = 0n;
  while (coveredTo < space) {
    let best: Cidr | undefined;
    for (const block of blocks) {
      if (startOf(block) <= coveredTo && (best === undefined || endOf(block) > endOf(best))) {
        best = block;
      }
    }
    if (best === undefined || endOf(best) <= coveredTo) break;
    chosen.push(best);
    coveredTo = endOf(best);
  }
  return chosen;
}

/**
 * Turns the operator's CIDRs into the list to apply: IPv4 and IPv6 network CIDRs, normalised,
 * repeats dropped (first appearance kept), never the whole internet of either family, never more
 * than EKS accepts. Which entries a given cluster can take (IPv6 only on dual-stack endpoints) is
 * the planner's business. The first problem, in input order, is the answer: one line naming the
 * value, where it came from, and the fix when one follows from the value.
 */
export function parseAllowlist(entries: readonly AllowlistEntry[]): AllowlistResult {
  if (entries.length === 0) {
    return { ok: false, message: `allowlist mode needs at least one CIDR: ${EXAMPLE}` };
  }
  const cidrs: string[] = [];
  const blocks: Cidr[] = [];
  const sourceOf = new Map<string, string>();
  for (const entry of entries) {
    const value = entry.value.trim();
    const parsed = parseCidr(value);
    const problem = problemWith(value, parsed);
    if (problem !== undefined) return { ok: false, message: `${entry.source}: ${problem}` };
    if (!parsed.ok) continue; // unreachable: problemWith refused it
    const normal = formatCidr(parsed.value);
    if (sourceOf.has(normal)) continue;
    sourceOf.set(normal, entry.source);
    cidrs.push(normal);
    blocks.push(parsed.value);
  }
  for (const family of [4, 6] as const) {
    const ofFamily = blocks.filter((b) => b.family === family);
    if (!coversWholeInternet(ofFamily.map(formatCidr))) continue;
    const named = coveringBlocks(ofFamily)
      .map((b) => `${formatCidr(b)} (${sourceOf.get(formatCidr(b)) ?? '?'})`)
      .join(' + ');
    return {
      ok: false,
      message: `${named} together admit the whole internet, which is the finding being fixed: list only the networks that need the API`,
    };
  }
  if (cidrs.length > MAX_PUBLIC_ACCESS_CIDRS) {
    return {
      ok: false,
      message:
        `${cidrs.length} CIDRs given; EKS allows at most ${MAX_PUBLIC_ACCESS_CIDRS} per cluster ` +
        '(quota "Public endpoint access CIDR ranges per cluster", not adjustable): merge neighbouring ranges or drop some',
    };
  }
  return { ok: true, cidrs };
}

/**
 * Reads an allowlist file: one CIDR per line (or several, separated by commas or spaces), blank
 * lines and # comments, whole-line or trailing, ignored. Pure: the caller reads the file.
 */
export function readAllowlistFile(text: string, fileName: string): AllowlistEntry[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const hash = line.indexOf('#');
    const content = hash < 0 ? line : line.slice(0, hash);
    return content
      .split(/[\s,]+/)
      .filter((value) => value !== '')
      .map((value) => ({ value, source: `${fileName} line ${index + 1}` }));
  });
}
