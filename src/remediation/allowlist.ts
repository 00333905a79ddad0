import {
  coversWholeInternet,
  formatIpv4Cidr,
  parseCidr,
  parseIpv4Address,
  type Ipv4Cidr,
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

/** One problem with one entry, as a sentence fragment naming the value; undefined when it is usable. */
function problemWith(value: string, cidr: ReturnType<typeof parseCidr>): string | undefined {
  if (value === '') return `an empty value is not a CIDR: give one such as 203.0.113.0/24`;
  if (!cidr.ok) {
    if (!value.includes('/') && parseIpv4Address(value) !== undefined) {
      return `${value} is an address, not a CIDR: for that one address use ${value}/32`;
    }
    if (value.includes(':')) return `${value} is IPv6: only IPv4 CIDRs are accepted`;
    return `${value} is not an IPv4 CIDR (${cidr.reason}): write it as 203.0.113.0/24`;
  }
  const parsed = cidr.value;
  if (parsed.family === 6) return `${value} is an IPv6 CIDR: only IPv4 CIDRs are accepted`;
  if (parsed.prefixLength === 0) {
    return `${value} admits the whole internet, which is the finding being fixed: list only the networks that need the API`;
  }
  if (parsed.hostBitsSet) {
    return `${value} has host bits set; did you mean ${formatIpv4Cidr(parsed)}?`;
  }
  return undefined;
}

/**
 * The fewest of the given blocks whose union is the whole IPv4 space, found greedily: at each point,
 * the block starting at or before it that reaches furthest. Only called once the union is known to cover.
 */
function coveringBlocks(blocks: readonly Ipv4Cidr[]): Ipv4Cidr[] {
  const end = (c: Ipv4Cidr) => c.network + 2 ** (32 - c.prefixLength);
  const chosen: Ipv4Cidr[] = [];
  let coveredTo = 0;
  while (coveredTo < 2 ** 32) {
    let best: Ipv4Cidr | undefined;
    for (const block of blocks) {
      if (block.network <= coveredTo && (best === undefined || end(block) > end(best))) {
        best = block;
      }
    }
    if (best === undefined || end(best) <= coveredTo) break;
    chosen.push(best);
    coveredTo = end(best);
  }
  return chosen;
}

/**
 * Turns the operator's CIDRs into the list to apply: IPv4 network CIDRs only, normalised, repeats
 * dropped (first appearance kept), never the whole internet, never more than EKS accepts. The first
 * problem, in input order, is the answer: one line naming the value, where it came from, and the fix.
 */
export function parseAllowlist(entries: readonly AllowlistEntry[]): AllowlistResult {
  if (entries.length === 0) {
    return { ok: false, message: `allowlist mode needs at least one CIDR: ${EXAMPLE}` };
  }
  const cidrs: string[] = [];
  const blocks: Ipv4Cidr[] = [];
  const sourceOf = new Map<string, string>();
  for (const entry of entries) {
    const value = entry.value.trim();
    const parsed = parseCidr(value);
    const problem = problemWith(value, parsed);
    if (problem !== undefined) return { ok: false, message: `${entry.source}: ${problem}` };
    if (!parsed.ok || parsed.value.family !== 4) continue; // unreachable: problemWith refused these
    const normal = formatIpv4Cidr(parsed.value);
    if (sourceOf.has(normal)) continue;
    sourceOf.set(normal, entry.source);
    cidrs.push(normal);
    blocks.push(parsed.value);
  }
  if (coversWholeInternet(cidrs)) {
    const named = coveringBlocks(blocks)
      .map((b) => `${formatIpv4Cidr(b)} (${sourceOf.get(formatIpv4Cidr(b)) ?? '?'})`)
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
