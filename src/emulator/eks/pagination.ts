import { ApiError } from '../errors.js';
import { decodePageToken, encodePageToken } from '../page-token.js';

const MAX_RESULTS = 100;

function decodeNextToken(token: string, scope: string): number {
  const offset = decodePageToken(token, scope);
  if (offset !== undefined) return offset;
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
  return next < items.length ? { page, nextToken: encodePageToken(scope, next) } : { page };
}
