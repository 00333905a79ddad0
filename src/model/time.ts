/**
 * Time as the use cases and the domain see it: passed in, never read from the process, so a test
 * drives it with a fake clock and never waits for real.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or early (without an error) once `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** What a signal aborts with when its deadline passes: the SDK treats a TimeoutError as retryable. */
function deadlineReached(ms: number): Error {
  return Object.assign(new Error(`the deadline of ${ms} ms passed`), { name: 'TimeoutError' });
}

/**
 * A signal that aborts when `parent` aborts or when `ms` have passed on `clock`, whichever comes
 * first. `release()` once the work it bounds is done: the clock then stops waiting.
 */
export function withDeadline(
  clock: Clock,
  ms: number,
  parent: AbortSignal,
): { readonly signal: AbortSignal; release(): void } {
  const bound = new AbortController();
  const released = new AbortController();
  const onParent = () => bound.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  void clock.sleep(Math.max(0, ms), released.signal).then(() => {
    if (!released.signal.aborted) bound.abort(deadlineReached(ms));
  });
  return {
    signal: bound.signal,
    release: () => {
      released.abort();
      parent.removeEventListener('abort', onParent);
    },
  };
}

/** Runs `work` with a signal bounded by `deadline` (ms since the epoch) as well as by `signal`. */
export async function beforeDeadline<T>(
  clock: Clock,
  signal: AbortSignal,
  deadline: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const bounded = withDeadline(clock, Math.max(1, deadline - clock.now()), signal);
  try {
    return await work(bounded.signal);
  } finally {
    bounded.release();
  }
}
