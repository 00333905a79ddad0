import { resolveChangeProbe } from '../../../../src/cli/options/apply-probe-options.js';

describe('resolveChangeProbe', () => {
  const all = ['probe-timeout', 'probe-wait', 'probe-concurrency', 'my-ip'] as const;

  it('without --probe: no probe, and a flag that needs it is refused', () => {
    expect(resolveChangeProbe({}, all)).toBeNull();
    expect(() => resolveChangeProbe({ 'probe-wait': '30s' }, all)).toThrow(
      '--probe-wait applies only with --probe: add --probe, or drop --probe-wait',
    );
    expect(() => resolveChangeProbe({ 'my-ip': '198.51.100.7' }, all)).toThrow(
      '--my-ip applies only with --probe',
    );
    expect(() => resolveChangeProbe({ 'probe-concurrency': 8 }, all)).toThrow(
      '--probe-concurrency applies only with --probe',
    );
    // remediate's own --my-ip means something without --probe.
    expect(
      resolveChangeProbe({ 'my-ip': '198.51.100.7' }, ['probe-timeout', 'probe-wait']),
    ).toBeNull();
  });

  it('with --probe: a minute of probing again by default, 0 for one probe, any duration', () => {
    expect(resolveChangeProbe({ probe: true }, all)).toEqual({
      timeoutMs: 5000,
      vantage: null,
      concurrency: 64,
      waitMs: 60_000,
    });
    expect(resolveChangeProbe({ probe: true, 'probe-wait': '0' }, all)?.waitMs).toBe(0);
    expect(resolveChangeProbe({ probe: true, 'probe-wait': '0s' }, all)?.waitMs).toBe(0);
    expect(resolveChangeProbe({ probe: true, 'probe-wait': '5m' }, all)?.waitMs).toBe(300_000);
    expect(
      resolveChangeProbe({ probe: true, 'my-ip': ' 2001:db8::7 ', 'probe-timeout': 2 }, all),
    ).toMatchObject({ vantage: '2001:db8::7', timeoutMs: 2000 });
  });

  it.each([
    [{ 'probe-wait': 'soon' }, '--probe-wait "soon" is not a duration'],
    [{ 'probe-wait': '-1s' }, '--probe-wait "-1s" is not a duration'],
    [{ 'probe-timeout': 0 }, '--probe-timeout must be a number of seconds'],
    [{ 'my-ip': 'home' }, '--my-ip must be an IPv4 or IPv6 address'],
    [{ 'probe-concurrency': 0 }, '--probe-concurrency must be a whole number from 1 to 128'],
    [{ 'probe-concurrency': 129 }, '--probe-concurrency must be a whole number from 1 to 128'],
    [{ 'probe-concurrency': 2.5 }, '--probe-concurrency must be a whole number from 1 to 128'],
  ])('refuses %j', (args, message) => {
    expect(() => resolveChangeProbe({ probe: true, ...args }, all)).toThrow(message);
  });
});
