/**
 * The parts of a SigV4 credential scope the emulator needs: which region and service a call is
 * for, and the access key id, which says which account it acts in.
 */
export interface CredentialScope {
  readonly region: string;
  readonly service: string;
  readonly accessKeyId: string;
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Reads `AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/eks/aws4_request, ...`. */
export function parseCredentialScope(
  authorization: string | undefined,
): CredentialScope | undefined {
  if (!authorization?.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  const match = SCOPE.exec(authorization);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { accessKeyId: match[1], region: match[2], service: match[3] };
}
