import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** @smithy/signature-v4's hash interface over node:crypto. */
class Sha256 {
  private readonly hash;

  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export interface SignedCall {
  readonly endpoint: string;
  readonly service: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
}

/** A POST signed with SigV4 as the SDKs sign it: for calls the project has no SDK client for. */
export async function signedPost(
  call: SignedCall,
  headers: Record<string, string>,
  body: string,
): Promise<Response> {
  const url = new URL(call.endpoint);
  const signer = new SignatureV4({
    service: call.service,
    region: call.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: call.accessKeyId,
      secretAccessKey: call.secretAccessKey ?? 'x',
      ...(call.sessionToken ? { sessionToken: call.sessionToken } : {}),
    },
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, ...headers },
    body,
  });
  return fetch(url, {
    method: 'POST',
    headers: signed.headers,
    body,
    signal: AbortSignal.timeout(5000),
  });
}

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** A JSON 1.1 call (Organizations, ...): `target` goes in X-Amz-Target. */
export async function signedJsonCall(
  call: SignedCall & { readonly target: string; readonly input: Record<string, unknown> },
): Promise<JsonAnswer> {
  const response = await signedPost(
    call,
    { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': call.target },
    JSON.stringify(call.input),
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A query-protocol call (STS, ...): the answer's status and XML text. */
export async function signedQueryCall(
  call: SignedCall,
  params: Record<string, string>,
): Promise<{ readonly status: number; readonly xml: string }> {
  const response = await signedPost(
    call,
    { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    new URLSearchParams(params).toString(),
  );
  return { status: response.status, xml: await response.text() };
}

/** The text of the first <name> element, for small XML answers. */
export function xmlText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}
