import { ApiError } from '../errors.js';

const MAX_RESULTS = 100;

/** Opaque to clients; bound to a scope (a region, a cluster) so a token cannot be replayed elsewhere. */
function encodeNextToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ r: scope, o: offset })).toString('base64url');
}

function decodeNextToken(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      r?: unknown;
      o?: unknown;
    };
    if (parsed.r === scope && Number.isInteger(parsed.o) && (parsed.o as number) > 0)
      return parsed.o as number;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'InvalidParameterException', 'The nextToken provided is invalid.');
}

function maxResultsOf(query: URLSearchParams): number {
  const maxText = query.get('maxResults');
  const maxResults = maxText === null ? MAX_RESULTS : Number(maxText);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw new ApiError(
      400,
      'InvalidParameterException',
      `maxResults needs to be between 1 and ${MAX_RESULTS}, got ${maxText}.`,
    );
  }
  return maxResults;
}

/** One page of `items` as the query's maxResults and nextToken ask for. */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  scope: string,
): { page: T[]; nextToken?: string } {
  const maxResults = maxResultsOf(query);
  const token = query.get('nextToken');
  const start = token ? decodeNextToken(token, scope) : 0;
  const page = items.slice(start, start + maxResults);
  const next = start + maxResults;
  return next < items.length ? { page, nextToken: encodeNextToken(scope, next) } : { page };
}
