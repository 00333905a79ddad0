import { caPemProblem } from '../../../src/probe/ca-pem.js';
import { makeTestPki } from '../../support/kube-tls.js';

const pki = makeTestPki();
const brokenBlock = '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n';

describe('a CA PEM the probe can verify with', () => {
  it('accepts a certificate, and a bundle of certificates', () => {
    expect(caPemProblem(pki.ca.cert)).toBeNull();
    expect(caPemProblem(`${pki.ca.cert}${pki.otherCa.cert}`)).toBeNull();
  });

  it('refuses text that is no PEM', () => {
    expect(caPemProblem('hello')).toBe('no -----BEGIN CERTIFICATE----- block');
    expect(caPemProblem('')).toBe('no -----BEGIN CERTIFICATE----- block');
  });

  it('refuses a PEM header whose body does not parse, saying why', () => {
    expect(caPemProblem(brokenBlock)).toMatch(
      /^the certificate cannot be parsed \(bad base64 decode, ERR_OSSL_PEM_BAD_BASE64_DECODE\)$/,
    );
    const truncated = pki.ca.cert.split('\n').slice(0, 3).join('\n');
    expect(caPemProblem(`${truncated}\n-----END CERTIFICATE-----\n`)).toMatch(
      /^the certificate cannot be parsed/,
    );
    expect(caPemProblem('-----BEGIN CERTIFICATE-----\nMIIB\n')).toBe(
      'a -----BEGIN CERTIFICATE----- block has no END line',
    );
  });

  // Node would keep the certificates before a broken one and drop the rest without a word.
  it('refuses a bundle with one broken certificate, wherever it is', () => {
    expect(caPemProblem(`${pki.ca.cert}${brokenBlock}`)).toMatch(
      /^certificate 2 of 2 cannot be parsed/,
    );
    expect(caPemProblem(`${brokenBlock}${pki.ca.cert}`)).toMatch(
      /^certificate 1 of 2 cannot be parsed/,
    );
  });
});
