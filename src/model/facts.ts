/** What the pre-flight checks read from AWS about one cluster, each fact with why it could not be read. */
import type { ErrorInfo } from './errors.js';

/** A fact read from AWS for the checks, or why it could not be read. */
export type Fact<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

export interface VpcDns {
  readonly vpcId: string;
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
}
