import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type CliDeps, realDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';

const fixture: Fixture = { regions: { 'us-east-1': { clusters: [{ name: 'prod' }] } } };

/** The real CLI in this process, on a pretend terminal whose answer to the question is scripted. */
function terminal(answer: string | undefined) {
  let stdout = '';
  let stderr = '';
  const questions: string[] = [];
  const deps: CliDeps = {
    ...realDeps(),
    stdout: { write: (t) => void (stdout += t), isTTY: true },
    stderr: { write: (t) => void (stderr += t), isTTY: true },
    env: {},
    createLogger: realDeps().createLogger.bind(null, 'silent'),
    createCredentials: () =>
      Promise.resolve(() => Promise.resolve({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' })),
    configuredRegion: () => Promise.resolve('us-east-1'),
    untilSignal: () => new Promise<string>(() => undefined),
    stdinIsTTY: true,
    prompt: (question) => {
      questions.push(question);
      return Promise.resolve(answer);
    },
  };
  return { deps, out: () => stdout, err: () => stderr, questions };
}

describe('confirmation on a terminal', () => {
  let emulator: RunningEmulator;
  beforeEach(async () => {
    emulator = await startEmulator({ fixture, updateDurationMs: 50 });
  });
  afterEach(() => emulator.close());

  const remediate = (deps: CliDeps) =>
    runCli(
      [
        'remediate',
        '--apply',
        '--endpoint-url',
        emulator.url,
        '--poll-interval',
        '0.05',
        '--journal',
        join(mkdtempSync(join(tmpdir(), 'eksposure-confirm-')), 'j.ndjson'),
      ],
      deps,
    );
  const publicAccess = () =>
    emulator.state.regions.get('us-east-1')?.clusters.get('prod')?.resourcesVpcConfig
      .endpointPublicAccess;

  it('lists each change and applies nothing unless the answer is yes', async () => {
    for (const answer of ['no', '', 'y', undefined]) {
      const t = terminal(answer);
      expect(await remediate(t.deps)).toBe(1);
      expect(t.err()).toContain('About to change 1 cluster');
      expect(t.err()).toContain(
        'us-east-1/prod: public on [0.0.0.0/0], private off -> public off, private on',
      );
      expect(t.err()).toContain('not confirmed; nothing was changed');
      expect(t.questions).toEqual(['Type "yes" to apply these changes: ']);
    }
    expect(emulator.stats.calls.get('eks:UpdateClusterConfig')).toBeUndefined();
    expect(publicAccess()).toBe(true);
  });

  it('ends on SIGTERM while the question waits: exit 143, nothing changed', async () => {
    const t = terminal(undefined);
    let signal: (name: string) => void = () => undefined;
    const signalled = new Promise<string>((resolve) => (signal = resolve));
    const deps: CliDeps = {
      ...t.deps,
      untilSignal: () => signalled,
      // Nobody answers: the question is left waiting, and the signal comes instead.
      prompt: () => {
        signal('SIGTERM');
        return new Promise<string | undefined>(() => undefined);
      },
    };
    expect(await remediate(deps)).toBe(143);
    expect(t.err()).toContain(
      'SIGTERM received before the question was answered; nothing was changed.',
    );
    expect(emulator.stats.calls.get('eks:UpdateClusterConfig')).toBeUndefined();
    expect(publicAccess()).toBe(true);
  });

  it('applies after "yes"', async () => {
    const t = terminal('yes');
    expect(await remediate(t.deps)).toBe(0);
    expect(publicAccess()).toBe(false);
    expect(t.out()).toMatch(/VERIFIED\s+us-east-1\/prod/);
  });
});
