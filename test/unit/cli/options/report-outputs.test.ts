import {
  pairOutputTargets,
  reportOutputOptions,
} from '../../../../src/cli/options/report-outputs.js';
import { REPORT_FORMAT_NAMES } from '../../../../src/report/formats/names.js';

describe('--output and --output-file', () => {
  it('offers, and explains in its help, every format of the registry', () => {
    expect(reportOutputOptions.output.choices).toBe(REPORT_FORMAT_NAMES);
    for (const name of REPORT_FORMAT_NAMES)
      expect(reportOutputOptions.output.describe).toContain(`${name}: `);
  });

  it('prints a table on stdout when neither is given', () => {
    expect(pairOutputTargets({})).toEqual([{ format: 'table', file: null }]);
  });

  it('prints one format on stdout, or in the one file given', () => {
    expect(pairOutputTargets({ output: 'csv' })).toEqual([{ format: 'csv', file: null }]);
    expect(pairOutputTargets({ output: 'csv', 'output-file': 'a.csv' })).toEqual([
      { format: 'csv', file: 'a.csv' },
    ]);
    expect(pairOutputTargets({ 'output-file': 'a.txt' })).toEqual([
      { format: 'table', file: 'a.txt' },
    ]);
  });

  it('pairs repeated flags in order', () => {
    expect(
      pairOutputTargets({ output: ['json', 'junit'], 'output-file': ['r.json', 'r.xml'] }),
    ).toEqual([
      { format: 'json', file: 'r.json' },
      { format: 'junit', file: 'r.xml' },
    ]);
  });

  it('refuses counts that differ, and one file named twice, in one line', () => {
    expect(() => pairOutputTargets({ output: ['json', 'csv'] })).toThrow(
      /need one --output-file each/,
    );
    expect(() => pairOutputTargets({ output: ['json', 'csv'], 'output-file': 'r.json' })).toThrow(
      /2 --output formats but 1 --output-file/,
    );
    expect(() => pairOutputTargets({ output: ['json', 'csv'], 'output-file': ['r', 'r'] })).toThrow(
      /named twice/,
    );
  });
});
