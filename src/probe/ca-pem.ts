import { X509Certificate } from 'node:crypto';
import { isObject } from '../model/json-shape.js';
import { isError } from '../model/errors.js';

const BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Pure: why a PEM cannot be the CA a probe verifies against, or null when each of its certificates
 * parses. Node (20 and 22) never says so itself: `https.request({ ca })` silently drops a block it
 * cannot parse and every block after it, then connects with what is left (often nothing), so a
 * broken CA would surface only as a server "not trusted" or, on a closed port, "not reachable".
 */
export function caPemProblem(pem: string): string | null {
  const begins = pem.split(BEGIN).length - 1;
  if (begins === 0) return `no ${BEGIN} block`;
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length < begins) return `a ${BEGIN} block has no END line`;
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      const which =
        blocks.length > 1 ? `certificate ${index + 1} of ${blocks.length}` : 'the certificate';
      return `${which} cannot be parsed (${parseErrorOf(error)})`;
    }
  }
  return null;
}

/** OpenSSL's reason ("bad base64 decode") and node's code for it. */
function parseErrorOf(error: unknown): string {
  const message = isError(error) ? error.message : String(error);
  const reason = message.split('::').pop() ?? message;
  const code = isObject(error) && typeof error.code === 'string' ? error.code : null;
  return code ? `${reason}, ${code}` : reason;
}
