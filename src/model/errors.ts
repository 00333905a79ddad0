import { types } from 'node:util';

/** AWS and network failures turned into plain values that reports can carry. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** Error codes meaning "these credentials are not accepted", as opposed to "not allowed" or "not there". */
const CREDENTIAL_ERROR_CODES = new Set([
  'AuthFailure',
  'ExpiredToken',
  'ExpiredTokenException',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'RequestExpired',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
]);

/** Reports, tables and one-line refusals carry one line; the SDK's deserialisation errors run to several. */
export const firstLine = (text: string) => text.split('\n')[0]?.trim() ?? '';

/**
 * Whether a thrown value is an Error, whichever realm made it: Node's own errors (DNS, sockets)
 * come from the main realm, and `instanceof Error` is false for them in another (a vm context).
 */
export const isError = (value: unknown): value is Error =>
  value instanceof Error || types.isNativeError(value);

export function toErrorInfo(error: unknown): ErrorInfo {
  if (isError(error)) {
    const code = (error as { code?: unknown }).code;
    const name = typeof code === 'string' && error.name === 'Error' ? code : error.name;
    return { code: name, message: firstLine(error.message) || name };
  }
  return { code: 'UnknownError', message: firstLine(String(error)) };
}

export function isCredentialError(info: ErrorInfo): boolean {
  return CREDENTIAL_ERROR_CODES.has(info.code);
}

export function formatErrorInfo(info: ErrorInfo): string {
  return info.message.startsWith(info.code) ? info.message : `${info.code}: ${info.message}`;
}
