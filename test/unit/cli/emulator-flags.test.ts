import {
  faultsFromFlags,
  updateDurationFromFlags,
} from '../../../src/cli/commands/emulator.handler.js';
import { CliError } from '../../../src/cli/cli-error.js';

const args = { fixtures: 'f.json', port: 0, host: '127.0.0.1', seed: 1 };

describe('emulator update flags', () => {
  it('turns --fail-update and --cancel-update into UpdateClusterConfig rules per cluster', () => {
    const rules = faultsFromFlags({
      ...args,
      'fail-update': ['prod', 'dev'],
      'cancel-update': ['ci'],
    });
    expect(rules.slice(1)).toEqual([
      {
        service: 'eks',
        operation: 'UpdateClusterConfig',
        cluster: 'prod',
        updateOutcome: 'Failed',
      },
      { service: 'eks', operation: 'UpdateClusterConfig', cluster: 'dev', updateOutcome: 'Failed' },
      {
        service: 'eks',
        operation: 'UpdateClusterConfig',
        cluster: 'ci',
        updateOutcome: 'Cancelled',
      },
    ]);
  });

  it.each([
    [
      { 'fail-update': [''] },
      "--fail-update needs a cluster name (letters, digits, - and _), got ''.",
    ],
    [{ 'cancel-update': ['a b'] }, '--cancel-update needs a cluster name'],
    [
      { 'fail-update': ['prod'], 'cancel-update': ['prod'] },
      '--fail-update and --cancel-update both name cluster prod.',
    ],
  ])('refuses %p in one line', (flags, message) => {
    expect(() => faultsFromFlags({ ...args, ...flags })).toThrow(CliError);
    expect(() => faultsFromFlags({ ...args, ...flags })).toThrow(message);
  });

  it('checks --update-duration-ms', () => {
    expect(updateDurationFromFlags({ ...args, 'update-duration-ms': 250 })).toBe(250);
    expect(updateDurationFromFlags(args)).toBeUndefined();
    expect(() => updateDurationFromFlags({ ...args, 'update-duration-ms': -1 })).toThrow(
      '--update-duration-ms must be a whole number of milliseconds, got -1.',
    );
  });
});
