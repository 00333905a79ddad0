import type { Options } from 'yargs';
import { CliError } from '../cli-error.js';

/** Flags of every command that submits or watches updates (remediate --apply, apply, rollback, resume). */
export const watchOptions = {
  timeout: {
    type: 'string',
    default: '30m',
    describe: 'How long to watch each update before leaving it running in AWS (e.g. 90s, 30m, 1h)',
  },
  'poll-interval': {
    type: 'number',
    default: 5,
    describe: 'Seconds before the first DescribeUpdate poll; later polls back off up to 30 s',
  },
  output: {
    choices: ['text', 'json'] as const,
    default: 'text' as const,
    describe: 'Result format on stdout',
  },
} as const satisfies Record<string, Options>;

export const confirmOption = {
  yes: {
    type: 'boolean',
    default: false,
    describe: 'Apply without asking (required when there is no terminal to ask on)',
  },
} as const satisfies Record<string, Options>;

export const JOURNAL_DIR = '.eksposure';
export const defaultJournalPath = (planId: string) => `${JOURNAL_DIR}/journal-${planId}.ndjson`;

const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** "90s", "30m", "1h", "45" (seconds) to milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smh]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1) : NaN;
  if (!(seconds > 0) || seconds > 24 * 3600) {
    throw new CliError(
      `--${flag} "${text}" is not a duration: give seconds, minutes or hours such as 90s, 30m or 1h (at most 24h).`,
    );
  }
  return Math.round(seconds * 1000);
}

export function parsePollInterval(seconds: number): number {
  if (!(seconds >= 0.05 && seconds <= 300)) {
    throw new CliError(`--poll-interval must be 0.05 to 300 seconds, got ${String(seconds)}.`);
  }
  return Math.round(seconds * 1000);
}
