import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { isolatedAwsEnv, runCli, startCli } from '../support/cli.js';
import {
  type ApiBehaviour,
  EKS_DEFAULT,
  makeTestPki,
  type Pem,
  type RunningApiServer,
  startApiServer,
  startStallServer,
  versionBody,
} from '../support/kube-tls.js';
import { findingFor, parseReport } from '../support/report.js';
import { cliAgainst, tempDir } from '../support/remediation.js';
import { schemaErrors } from '../support/schema.js';

const REGION = 'us-east-1';
const pki = makeTestPki();
const base64 = (text: string) => Buffer.from(text).toString('base64');
const caData = base64(pki.ca.cert);

let servers: Record<
  'usual' | 'anonymous' | 'stranger' | 'private' | 'unverifiable',
  RunningApiServer
>;
let emulator: RunningEmulator;

const serve = (behaviour: ApiBehaviour, cert: Pem = pki.server) => startApiServer(cert, behaviour);
const at = (server: RunningApiServer) => `https://127.0.0.1:${server.port}`;

beforeAll(async () => {
  servers = {
    usual: await serve(EKS_DEFAULT),
    anonymous: await serve({
      '/version': { status: 200, body: versionBody('v1.27.16-eks-a18cd3a') },
      '/api': { status: 200, body: { kind: 'APIVersions', versions: ['v1'] } },
    }),
    stranger: await serve(EKS_DEFAULT, pki.wrongCa),
    private: await serve(EKS_DEFAULT),
    unverifiable: await serve(EKS_DEFAULT),
  };
  const cluster = (name: string, server: RunningApiServer, extra = {}) => ({
    name,
    endpoint: at(server),
    certificateAuthority: caData,
    ...extra,
  });
  const fixture: Fixture = {
    accountId: '111122223333',
    regions: {
      [REGION]: {
        clusters: [
          cluster('usual', servers.usual),
          cluster('anonymous', servers.anonymous),
          cluster('stranger', servers.stranger),
          cluster('private', servers.private, {
            endpointPublicAccess: false,
            endpointPrivateAccess: true,
          }),
          cluster('broken-ca', servers.unverifiable, {
            certificateAuthority: base64(
              '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n',
            ),
          }),
          cluster('no-ca', servers.unverifiable, { certificateAuthority: base64('not a PEM') }),
        ],
      },
    },
  };
  emulator = await startEmulator({ fixture });
});

afterAll(async () => {
  await emulator.close();
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

const audit = (...args: string[]) =>
  cliAgainst(emulator, 'audit', '--regions', REGION, '--probe', '--probe-timeout', '3', ...args);

describe('audit --probe', () => {
  it('reports configured and observed exposure side by side, TLS checked against each cluster CA', async () => {
    const run = await audit('--my-ip', '198.51.100.7', '--output', 'json');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    expect(findingFor(report, REGION, 'usual', 'EKS-001').probe).toMatchObject({
      verdict: 'version-disclosed',
      gitVersion: 'v1.29.15-eks-4e5c6b0',
      vantage: '198.51.100.7',
      insecure: false,
    });
    expect(findingFor(report, REGION, 'anonymous', 'EKS-PROBE-001')).toMatchObject({
      status: 'FAIL',
      severity: 'critical',
    });
    expect(findingFor(report, REGION, 'stranger', 'EKS-001').probe?.verdict).toBe('tls-mismatch');
    expect(findingFor(report, REGION, 'private', 'EKS-PROBE-001')).toMatchObject({
      status: 'PASS',
      message: 'Not probed: the public endpoint is off.',
    });
    expect(servers.private.requests).toEqual([]);
    expect(servers.usual.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('never trusts, nor calls unreachable, a cluster whose CA cannot be used, and sends it no request', async () => {
    const run = await audit('--output', 'json');
    const report = parseReport(run.stdout);
    expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
    for (const [name, why] of [
      ['broken-ca', "the cluster's CA could not be used: the certificate cannot be parsed"],
      ['no-ca', 'the cluster gave no usable CA'],
    ] as const) {
      const probe = findingFor(report, REGION, name, 'EKS-001').probe;
      expect(probe).toMatchObject({
        verdict: 'tls-mismatch',
        addresses: [{ address: '127.0.0.1', verdict: 'tls-mismatch' }],
      });
      expect(probe?.summary).toContain(why);
      expect(findingFor(report, REGION, name, 'EKS-PROBE-001')).toMatchObject({
        status: 'FAIL',
        message: probe?.summary,
      });
    }
    expect(servers.unverifiable.requests).toEqual([]);
  });

  it('shows the observation in the table', async () => {
    const run = await audit('--my-ip', '198.51.100.7');
    expect(run.stdout).toContain(
      'observed from 198.51.100.7: anonymous-api-access (v1.27.16-eks-a18cd3a)',
    );
  });

  it.each([
    [['--my-ip', 'not-an-ip'], '--my-ip must be an IPv4 or IPv6 address'],
    [['--probe-timeout', '0'], '--probe-timeout must be a number of seconds'],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const run = await audit(...args);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });

  it('refuses a probe flag without --probe', async () => {
    const run = await runCli(['audit', '--my-ip', '198.51.100.7', '--endpoint-url', emulator.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--my-ip applies only with --probe');
  });

  it('refuses --rules EKS-PROBE-001 without --probe rather than passing every cluster', async () => {
    const run = await runCli(['audit', '--rules', 'EKS-PROBE-001', '--endpoint-url', emulator.url]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('--rules EKS-PROBE-001 reports what a probe observed: add --probe'),
    ]);
  });
});

describe('probe', () => {
  const dir = tempDir();
  const caFile = join(dir, 'ca.pem');
  const notPem = join(dir, 'not.pem');
  writeFileSync(caFile, pki.ca.cert);
  writeFileSync(notPem, 'hello\n');
  const probe = (...args: string[]) => runCli(['probe', ...args, '--probe-timeout', '3']);

  it('probes any API server with the CA given, and says what it saw (exit 1: it answered)', async () => {
    const run = await probe(at(servers.usual), '--ca-file', caFile, '--output', 'json');
    expect(run.code).toBe(1);
    expect(schemaErrors('probe-report.schema.json', JSON.parse(run.stdout))).toEqual([]);
    expect(JSON.parse(run.stdout)).toMatchObject({
      verdict: 'version-disclosed',
      insecure: false,
      addresses: [{ address: '127.0.0.1', apiStatus: 403 }],
    });
  });

  it('reads an EKS cluster endpoint and CA with DescribeCluster', async () => {
    const run = await cliAgainst(emulator, 'probe', '--cluster', 'stranger', '--region', REGION);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('tls-mismatch');
  });

  it('with --insecure, says the certificate was not verified', async () => {
    const run = await probe(at(servers.stranger), '--insecure');
    expect(run.stdout).toContain('TLS NOT VERIFIED');
  });

  it('a host name that does not resolve probed nothing: exit 3, never a clean "not reachable"', async () => {
    const run = await probe('https://no-such-cluster.invalid', '--ca-file', caFile);
    expect(run.code).toBe(3);
    // ENOTFOUND where DNS answers, EAI_AGAIN where none does (as on some CI machines).
    expect(run.stderr).toMatch(
      /no-such-cluster\.invalid does not resolve from here \(\w+\): nothing was probed/,
    );
  });

  it.each([
    [['not a url', '--insecure'], 'is not a URL'],
    [['https://127.0.0.1:1', '--ca-file', join(dir, 'missing.pem')], 'cannot be read'],
    [
      ['https://127.0.0.1:1', '--ca-file', notPem],
      'is not a usable PEM certificate: no -----BEGIN CERTIFICATE----- block',
    ],
    [
      ['https://127.0.0.1:1', '--ca-file', caFile, '--insecure'],
      '--insecure is only for a URL without a CA',
    ],
    [['https://127.0.0.1:1'], 'needs --ca-file'],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const run = await probe(...args);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });
});

/** An account whose `count` public clusters all point at one server that never answers after the handshake. */
async function withSilentClusters(
  count: number,
  body: (quiet: RunningEmulator, silent: { reached: Promise<void> }) => Promise<void>,
): Promise<void> {
  const silent = await startStallServer('silent', pki.server);
  const cluster = { endpoint: `https://127.0.0.1:${silent.port}`, certificateAuthority: caData };
  const quiet = await startEmulator({
    fixture: { regions: { [REGION]: { generate: [{ count, namePrefix: 'mute-', cluster }] } } },
  });
  try {
    await body(quiet, silent);
  } finally {
    await quiet.close();
    await silent.close();
  }
}

describe('an endpoint whose name does not resolve from here', () => {
  it('is an EKS-PROBE-001 ERROR and an incomplete audit (exit 3), never a pass', async () => {
    const lost = await startEmulator({
      fixture: {
        regions: {
          [REGION]: {
            clusters: [
              {
                name: 'typo',
                endpoint: 'https://no-such-cluster.invalid',
                certificateAuthority: caData,
              },
            ],
          },
        },
      },
    });
    try {
      const run = await cliAgainst(
        lost,
        'audit',
        '--regions',
        REGION,
        '--probe',
        '--probe-timeout',
        '3',
        '--output',
        'json',
      );
      expect(run.code).toBe(3);
      const report = parseReport(run.stdout);
      expect(schemaErrors('audit-report.schema.json', report)).toEqual([]);
      expect(findingFor(report, REGION, 'typo', 'EKS-PROBE-001')).toMatchObject({
        status: 'ERROR',
        error: { code: 'EndpointNotResolved' },
      });
    } finally {
      await lost.close();
    }
  });
});

describe('probes and signals', () => {
  it.each([
    ['audit --probe', ['audit', '--regions', REGION, '--probe']],
    ['probe --cluster', ['probe', '--cluster', 'mute-1', '--region', REGION]],
  ])(
    'SIGINT during %s ends the probes in flight at once: exit 130, no report',
    async (_, args) => {
      await withSilentClusters(2, async (quiet, silent) => {
        const running = startCli([...args, '--probe-timeout', '60', '--endpoint-url', quiet.url]);
        await Promise.race([
          silent.reached,
          running.exited.then((r) => {
            throw new Error(`exited before probing (${r.code}): ${r.stderr}`);
          }),
        ]);
        const signalledAt = Date.now();
        running.signal('SIGINT');
        const run = await running.exited;
        expect(Date.now() - signalledAt).toBeLessThan(5_000);
        expect(run.code).toBe(130);
        expect(run.stdout).toBe('');
      });
    },
    20_000,
  );

  it('many probes in flight are no reason for a Node warning on stderr', async () => {
    await withSilentClusters(8, async (quiet) => {
      const run = await runCli(
        [
          'audit',
          '--regions',
          REGION,
          '--probe',
          '--probe-timeout',
          '1',
          '--endpoint-url',
          quiet.url,
        ],
        isolatedAwsEnv({ NODE_NO_WARNINGS: undefined }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain('MaxListenersExceededWarning');
    });
  }, 20_000);
});
