import type { Update } from '@aws-sdk/client-eks';
import { waitForUpdate } from '../../../src/remediation/wait-for-update.js';
import { fakeClock } from '../../support/fake-clock.js';

/** A fake clock that moves when only waiting is left, and DescribeUpdate answers scripted one per call. */
function scripted(answers: (Update | Error)[]) {
  const clock = fakeClock({ autoAdvance: true });
  const sleeps: number[] = [];
  const seen: string[] = [];
  let call = 0;
  const deps = {
    describe: () => {
      const answer = answers[Math.min(call++, answers.length - 1)] ?? new Error('no answer');
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    clock: {
      now: clock.now,
      // The pauses between polls, each slept to its end (a call's deadline is released early).
      sleep: async (ms: number, signal: AbortSignal) => {
        await clock.sleep(ms, signal);
        if (!signal.aborted) sleeps.push(ms);
      },
    },
    onStatus: (u: Update) => void seen.push(u.status ?? ''),
  };
  return { deps, sleeps, seen, calls: () => call };
}

const options = (deadline: number, signal = new AbortController().signal) => ({
  deadline,
  firstIntervalMs: 1000,
  maxIntervalMs: 4000,
  signal,
});

describe('waitForUpdate', () => {
  it('polls with growing pauses, capped, until a terminal status; reports each change once', async () => {
    const run = scripted([
      ...Array.from({ length: 6 }, () => ({ id: 'u', status: 'InProgress' as const })),
      { id: 'u', status: 'Successful' },
    ]);
    const result = await waitForUpdate(run.deps, options(60_000));
    expect(result).toMatchObject({ kind: 'ended', update: { status: 'Successful' } });
    expect(run.sleeps).toEqual([1000, 1500, 2250, 3375, 4000, 4000]);
    expect(run.seen).toEqual(['InProgress', 'Successful']);
  });

  it.each(['Failed', 'Cancelled'])('ends on %s', async (status) => {
    const run = scripted([{ id: 'u', status } as Update]);
    expect(await waitForUpdate(run.deps, options(10_000))).toMatchObject({
      kind: 'ended',
      update: { status },
    });
  });

  it('gives up at the deadline, saying the update is still running', async () => {
    const run = scripted([{ id: 'u', status: 'InProgress' }]);
    const result = await waitForUpdate(run.deps, options(5_000));
    expect(result).toEqual({ kind: 'timed-out', lastStatus: 'InProgress' });
    expect(run.sleeps.reduce((a, b) => a + b, 0)).toBe(5_000);
  });

  it('rides out DescribeUpdate errors, and reports them if they last to the deadline', async () => {
    const flaky = scripted([new Error('boom'), { id: 'u', status: 'Successful' }]);
    expect(await waitForUpdate(flaky.deps, options(10_000))).toMatchObject({ kind: 'ended' });
    const broken = scripted([
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    ]);
    expect(await waitForUpdate(broken.deps, options(3_000))).toEqual({
      kind: 'unreadable',
      error: { code: 'ThrottlingException', message: 'Rate exceeded' },
    });
  });

  it('stops at once when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = scripted([{ id: 'u', status: 'InProgress' }]);
    expect(await waitForUpdate(run.deps, options(60_000, controller.signal))).toEqual({
      kind: 'interrupted',
      lastStatus: '',
    });
    expect(run.calls()).toBe(0);
  });
});
