import { parseCredentialScope } from '../../../src/emulator/sigv4.js';

describe('parseCredentialScope', () => {
  it('reads region and service from a SigV4 Authorization header', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261124/eu-west-1/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    expect(parseCredentialScope(header)).toEqual({
      accessKeyId: 'AKIAEXAMPLE',
      region: 'eu-west-1',
      service: 'eks',
    });
  });

  it.each([undefined, '', 'Bearer token', 'AWS4-HMAC-SHA256 Credential=AKIA/2026/us-east-1/eks'])(
    'finds no scope in %p',
    (header) => {
      expect(parseCredentialScope(header)).toBeUndefined();
    },
  );
});
