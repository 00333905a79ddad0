import type { Clock } from '../../src/model/time.js';

interface Sleeper {
  readonly until: number;
  readonly wake: () => void;
}

export interface FakeClock extends Clock {
  /** Moves time on by `ms`, waking (in order) every sleep that ends by then. */
  advance(ms: number): void;
  /** Sleeps not yet over. */
  sleeping(): number;
}

/**
 * A clock that only moves when told, or (with `autoAdvance`) on its own whenever the code under
 * test has nothing left to do but wait on it: time then jumps to the end of the next sleep. Such a
 * test never waits for real, and a deadline of 30 minutes passes as fast as one of 30 ms.
 * `autoAdvance` suits code whose other edges are fakes that answer at once (or never).
 */
export function fakeClock(options: { start?: number; autoAdvance?: boolean } = {}): FakeClock {
  let now = options.start ?? 0;
  let sleepers: Sleeper[] = [];
  let scheduled = false;
  const wakeDue = () => {
    const due = sleepers.filter((s) => s.until <= now).sort((a, b) => a.until - b.until);
    sleepers = sleepers.filter((s) => s.until > now);
    for (const s of due) s.wake();
  };
  const advance = (ms: number) => {
    now += ms;
    wakeDue();
  };
  // setImmediate runs once every promise callback queued so far has run: nothing else can happen
  // before the clock moves, so jumping to the next sleep's end changes nothing but the wait.
  const jumpWhenIdle = () => {
    if (scheduled || !options.autoAdvance) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const next = Math.min(...sleepers.map((s) => s.until));
      if (Number.isFinite(next)) advance(Math.max(0, next - now));
      if (sleepers.length > 0) jumpWhenIdle();
    });
  };
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) {
          resolve();
          return;
        }
        const sleeper: Sleeper = {
          until: now + Math.max(0, ms),
          wake: () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
        jumpWhenIdle();
      }),
    advance,
    sleeping: () => sleepers.length,
  };
}
