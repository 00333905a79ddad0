/** A parsed JSON value that is an object (not null, not an array): the first check on any file or body read. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
