/**
 * `audit --probe` of 500 public endpoints: half answer as EKS does, half are silent the way an
 * allowlist that leaves the prober out looks from outside (the connection is taken and nothing
 * comes back, so each of those waits out --probe-timeout). The same audit without --probe is the
 * baseline; the probe's cost is the difference. Not part of the tests.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Fixture } from '../emulator/fixture.js';
import { startEmulator } from '../emulator/server.js';
import { EKS_DEFAULT, makeTestPki, startApiServer } from '../tools/kube-api-stand-in.js';
import { emulatorEnv } from '../tools/spawn-cli.js';
import { type BenchRow, round, runProbedCli, verdict } from './measure.js';

const REGION = 'us-east-1';
const ANSWERING = 250;
const SILENT = 250;
const TIMEOUT_S = 2;
/** The probe's cost over the plain audit: 500 endpoints, 250 of them silent, at --probe-timeout 2. */
const ADDED_TARGET_MS = 15_000;

/** Takes each connection and never says a word: a TLS handshake to it times out. */
async function startSilentServer() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
  );
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function probeRows(): Promise<BenchRow[]> {
  const pki = makeTestPki();
  const api = await startApiServer(pki.server, EKS_DEFAULT);
  const silent = await startSilentServer();
  const certificateAuthority = Buffer.from(pki.ca.cert).toString('base64');
  const at = (port: number) => ({ endpoint: `https://127.0.0.1:${port}`, certificateAuthority });
  const fixture: Fixture = {
    regions: {
      [REGION]: {
        generate: [
          { count: ANSWERING, namePrefix: 'answers-', cluster: at(api.port) },
          { count: SILENT, namePrefix: 'silent-', cluster: at(silent.port) },
        ],
      },
    },
  };
  const emulator = await startEmulator({ fixture });
  try {
    const env = emulatorEnv(emulator.url);
    const audit = ['audit', '--regions', REGION, '--output', 'json'];
    const plain = await runProbedCli(audit, env);
    const probed = await runProbedCli(
      [...audit, '--probe', '--probe-timeout', String(TIMEOUT_S)],
      env,
    );
    const report = JSON.parse(probed.stdout) as {
      findings: { ruleId: string; probe?: { verdict: string } }[];
    };
    const verdicts = new Map<string, number>();
    for (const f of report.findings) {
      if (f.ruleId === 'EKS-001' && f.probe)
        verdicts.set(f.probe.verdict, (verdicts.get(f.probe.verdict) ?? 0) + 1);
    }
    const seen = [...verdicts].map(([v, n]) => `${n} ${v}`).join(', ');
    const addedMs = probed.wallMs - plain.wallMs;
    return [
      {
        name: `audit --probe of ${ANSWERING + SILENT} public endpoints (${SILENT} silent), --probe-timeout ${TIMEOUT_S}`,
        figure: `+${round(addedMs / 1000, 1)} s over the audit alone (${round(plain.wallMs / 1000, 1)} s -> ${round(probed.wallMs / 1000, 1)} s; ${seen}; peak RSS ${Math.round(probed.maxRssKb / 1024)} MB)`,
        target: `<= +${ADDED_TARGET_MS / 1000} s, every endpoint judged`,
        verdict: verdict(
          addedMs <= ADDED_TARGET_MS &&
            (verdicts.get('not-reachable') ?? 0) === SILENT &&
            (verdicts.get('version-disclosed') ?? 0) === ANSWERING,
        ),
      },
    ];
  } finally {
    await emulator.close();
    await Promise.all([api.close(), silent.close()]);
  }
}
