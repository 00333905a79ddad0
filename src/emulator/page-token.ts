/**
 * Page tokens, opaque to clients (as AWS's are) and bound to a scope (an operation, a region, a
 * cluster) so that a token cannot be replayed elsewhere. Each service answers a bad one with its own
 * error.
 */
export function encodePageToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

/** The offset a token of this scope stands for; undefined when it is not one (any other text). */
export function decodePageToken(token: string, scope: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { s, o } = parsed as { s?: unknown; o?: unknown };
  return s === scope && typeof o === 'number' && Number.isInteger(o) && o > 0 ? o : undefined;
}
