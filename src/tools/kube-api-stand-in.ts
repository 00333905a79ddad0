/**
 * Stand-ins for Kubernetes API servers, for the probe's tests and benchmark: CAs and server
 * certificates made on the spot with the `openssl` command, and an HTTPS server that answers
 * /version, /healthz and /api the way its caller says. Never part of the product.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  readonly key: string;
  readonly cert: string;
}

export interface TestPki {
  /** The CA the cluster says it has, and a stranger. */
  readonly ca: Pem;
  readonly otherCa: Pem;
  /** Issued by `ca` for `host` (and 127.0.0.1 / ::1). */
  readonly server: Pem;
  /** Issued by `ca`, for another host name. */
  readonly wrongHost: Pem;
  /** For `host`, issued by `otherCa`. */
  readonly wrongCa: Pem;
}

export const TEST_API_HOST = 'kube.probe.test';

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A new P-256 key, unencrypted, written to NAME.key. */
const newKey = (name: string) => [
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:prime256v1',
  '-nodes',
  '-keyout',
  `${name}.key`,
];

function makeCa(dir: string, name: string): Pem {
  openssl(dir, [
    'req',
    '-x509',
    ...newKey(name),
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  return read(dir, name);
}

function makeServer(dir: string, name: string, ca: string, san: string): Pem {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  openssl(dir, ['req', ...newKey(name), '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
  return read(dir, name);
}

function read(dir: string, name: string): Pem {
  return {
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
  };
}

/**
 * Two CAs and three server certificates (see TestPki); takes a fraction of a second. `extraIps`:
 * more addresses `server` and `wrongCa` name (loopback aliases a test listens on).
 */
export function makeTestPki(extraIps: readonly string[] = []): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'eksposure-pki-'));
  try {
    const ca = makeCa(dir, 'cluster-ca');
    const otherCa = makeCa(dir, 'other-ca');
    const sans = [
      `DNS:${TEST_API_HOST}`,
      ...['127.0.0.1', '::1', ...extraIps].map((ip) => `IP:${ip}`),
    ].join(',');
    return {
      ca,
      otherCa,
      server: makeServer(dir, 'server', 'cluster-ca', sans),
      wrongHost: makeServer(dir, 'wrong-host', 'cluster-ca', 'DNS:elsewhere.probe.test'),
      wrongCa: makeServer(dir, 'wrong-ca', 'other-ca', sans),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CannedAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What a server does per path; a path left out answers 404, `'silent'` never answers at all. */
export type ApiBehaviour =
  Partial<Record<'/version' | '/healthz' | '/api', CannedAnswer>> | 'silent';

export const versionBody = (gitVersion: string) => ({
  major: '1',
  minor: '29',
  gitVersion,
  platform: 'linux/amd64',
});

export const statusBody = (code: number, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: code === 401 ? 'Unauthorized' : 'Forbidden',
  code,
});

/** EKS's usual anonymous answers: /version and /healthz open to system:public-info-viewer, /api refused. */
export const EKS_DEFAULT: ApiBehaviour = {
  '/version': { status: 200, body: versionBody('v1.29.15-eks-4e5c6b0') },
  '/healthz': { status: 200, body: 'ok' },
  '/api': {
    status: 403,
    body: statusBody(403, 'forbidden: User "system:anonymous" cannot get path "/api"'),
  },
};

export interface RunningApiServer {
  readonly port: number;
  /** Every request's path and whether it carried credentials. */
  readonly requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

export async function startApiServer(
  cert: Pem,
  behaviour: ApiBehaviour,
  host = '127.0.0.1',
): Promise<RunningApiServer> {
  const requests: RunningApiServer['requests'] = [];
  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    if (behaviour === 'silent') return;
    const answer = behaviour[req.url as keyof typeof behaviour];
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
