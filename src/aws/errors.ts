/** AWS and network failures turned into plain values that reports can carry. */
export interface AwsErrorInfo {
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

export function toErrorInfo(error: unknown): AwsErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const name = typeof code === 'string' && error.name === 'Error' ? code : error.name;
    return { code: name, message: firstLine(error.message) || name };
  }
  return { code: 'UnknownError', message: firstLine(String(error)) };
}

export function isCredentialError(info: AwsErrorInfo): boolean {
  return CREDENTIAL_ERROR_CODES.has(info.code);
}

export function formatErrorInfo(info: AwsErrorInfo): string {
  return info.message.startsWith(info.code) ? info.message : `${info.code}: ${info.message}`;
}
