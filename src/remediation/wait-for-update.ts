import type { Update } from '@aws-sdk/client-eks';
import { type ErrorInfo, toErrorInfo } from '../model/errors.js';
import { beforeDeadline, type Clock } from '../model/time.js';

export interface WaitDeps {
  /** DescribeUpdate; the signal aborts it on the command's signal or at the deadline. */
  readonly describe: (signal: AbortSignal) => Promise<Update>;
  readonly clock: Clock;
  readonly onStatus: (update: Update) => void;
}

export interface WaitOptions {
  readonly deadline: number;
  readonly firstIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly signal: AbortSignal;
}

export type WaitResult =
  | { readonly kind: 'ended'; readonly update: Update }
  | { readonly kind: 'timed-out' | 'interrupted'; readonly lastStatus: string }
  /** DescribeUpdate kept failing (after the SDK's own retries) until the deadline. */
  | { readonly kind: 'unreadable'; readonly error: ErrorInfo };

const TERMINAL = new Set(['Successful', 'Failed', 'Cancelled']);
const BACKOFF = 1.5;

/**
 * Polls DescribeUpdate with growing pauses until the update is Successful, Failed or Cancelled,
 * the deadline passes, or the signal aborts. Calls onStatus whenever the status changes. A
 * DescribeUpdate that never answers is abandoned at the deadline or on the signal.
 */
export async function waitForUpdate(deps: WaitDeps, options: WaitOptions): Promise<WaitResult> {
  let interval = options.firstIntervalMs;
  let lastStatus = '';
  let lastError: ErrorInfo | undefined;
  for (;;) {
    if (options.signal.aborted) return { kind: 'interrupted', lastStatus };
    try {
      // A DescribeUpdate that never answers is abandoned at the deadline.
      const update = await beforeDeadline(deps.clock, options.signal, options.deadline, (s) =>
        deps.describe(s),
      );
      lastError = undefined;
      const status = update.status ?? 'InProgress';
      if (status !== lastStatus) {
        lastStatus = status;
        deps.onStatus(update);
      }
      if (TERMINAL.has(status)) return { kind: 'ended', update };
    } catch (error) {
      lastError = toErrorInfo(error);
    }
    const remaining = options.deadline - deps.clock.now();
    if (remaining <= 0) {
      return lastError
        ? { kind: 'unreadable', error: lastError }
        : { kind: 'timed-out', lastStatus };
    }
    await deps.clock.sleep(Math.min(interval, remaining), options.signal);
    interval = Math.min(
      interval * BACKOFF,
      Math.max(options.maxIntervalMs, options.firstIntervalMs),
    );
  }
}
