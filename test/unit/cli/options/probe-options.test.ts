import { CliError } from '../../../../src/cli/cli-error.js';
import {
  DEFAULT_PROBE_TIMEOUT_S,
  resolveAuditProbe,
  resolveProbeTuning,
} from '../../../../src/cli/options/probe-options.js';

/** The CliError a call throws (exit 2, one line), to check its message. */
function refusal(call: () => unknown): CliError {
  try {
    call();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError, got none');
}

describe('--probe-timeout', () => {
  it(`defaults to ${DEFAULT_PROBE_TIMEOUT_S} s and takes fractions of a second`, () => {
    expect(resolveProbeTuning({}).timeoutMs).toBe(DEFAULT_PROBE_TIMEOUT_S * 1000);
    expect(resolveProbeTuning({ 'probe-timeout': 0.25 }).timeoutMs).toBe(250);
  });

  it('accepts 0.1 s, the least, and 120 s, the most', () => {
    expect(resolveProbeTuning({ 'probe-timeout': 0.1 }).timeoutMs).toBe(100);
    expect(resolveProbeTuning({ 'probe-timeout': 120 }).timeoutMs).toBe(120_000);
  });

  it.each([0.0001, 0.09, 0, -1, Number.NaN, 120.5, Number.POSITIVE_INFINITY])(
    'refuses %p in one line, exit 2, naming the value',
    (seconds) => {
      const error = refusal(() => resolveProbeTuning({ 'probe-timeout': seconds }));
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(
        `--probe-timeout must be a number of seconds from 0.1 to 120 (got ${String(seconds)})`,
      );
    },
  );
});

describe('--my-ip', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['2001:db8::7', '2001:db8::7'],
    ['  198.51.100.7 \n', '198.51.100.7'],
  ])('records %j as the vantage point %j', (given, vantage) => {
    expect(resolveProbeTuning({ 'my-ip': given }).vantage).toBe(vantage);
  });

  it('is null when not given', () => {
    expect(resolveProbeTuning({}).vantage).toBeNull();
  });

  it.each(['not-an-ip', '198.51.100.0/24', '198.51.100.256', '', 'https://198.51.100.7'])(
    'refuses %j in one line, exit 2',
    (given) => {
      const error = refusal(() => resolveProbeTuning({ 'my-ip': given }));
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(`--my-ip must be an IPv4 or IPv6 address (got "${given.trim()}")`);
    },
  );
});

describe('audit --probe', () => {
  it('probes nothing without --probe', () => {
    expect(resolveAuditProbe({})).toBeNull();
    expect(resolveAuditProbe({ probe: false })).toBeNull();
  });

  it('takes the tuning flags with --probe', () => {
    expect(resolveAuditProbe({ probe: true, 'probe-timeout': 3, 'my-ip': '198.51.100.7' })).toEqual(
      { timeoutMs: 3000, vantage: '198.51.100.7', concurrency: 64 },
    );
    expect(() => resolveAuditProbe({ probe: true, 'probe-timeout': 0 })).toThrow(
      '--probe-timeout must be',
    );
  });

  it.each([
    [{ 'probe-timeout': 3 }, '--probe-timeout'],
    [{ 'my-ip': '198.51.100.7' }, '--my-ip'],
    [{ probe: false, 'my-ip': '198.51.100.7' }, '--my-ip'],
    [{ 'probe-concurrency': 8 }, '--probe-concurrency'],
  ])('refuses the stray flag of %j without --probe', (args, flag) => {
    const error = refusal(() => resolveAuditProbe(args));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${flag} applies only with --probe: add --probe, or drop ${flag}`);
  });
});
