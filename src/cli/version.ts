import { readFileSync } from 'node:fs';

/** Set by the esbuild bundle (scripts/build.js) to package.json's version; absent when run from src/. */
declare const EKSPOSURE_VERSION: string | undefined;

/** The package version: inlined in the bundle, else read from package.json next to src/. */
export const toolVersion: string =
  typeof EKSPOSURE_VERSION === 'string'
    ? EKSPOSURE_VERSION
    : (
        JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
          version: string;
        }
      ).version;
