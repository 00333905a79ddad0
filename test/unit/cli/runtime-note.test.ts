import { outputWidth } from '../../../src/cli/deps.js';
import { nodeSupportNote, SDK_NODE_WARNING_SWITCH } from '../../../src/cli/runtime-note.js';

describe('the note about Node versions', () => {
  it('is one line on Node 20, naming the date and the version to move to', () => {
    const note = nodeSupportNote('v20.20.2', {});
    expect(note).toBe(
      'eksposure: note: the AWS SDK supports Node 20 until January 2027; use Node 22 or later.',
    );
  });

  it('is nothing on Node 22 and later, or when warnings are silenced', () => {
    expect(nodeSupportNote('v22.1.0', {})).toBeUndefined();
    expect(nodeSupportNote('v24.0.0', {})).toBeUndefined();
    expect(nodeSupportNote('v20.20.2', { NODE_NO_WARNINGS: '1' })).toBeUndefined();
    expect(nodeSupportNote('v20.20.2', { [SDK_NODE_WARNING_SWITCH]: 'true' })).toBeUndefined();
  });
});

describe('the width output is fitted to', () => {
  it('is the terminal’s', () => {
    expect(outputWidth({ isTTY: true, columns: 80 }, { COLUMNS: '120' })).toBe(80);
  });

  it('off a terminal is COLUMNS when exported, else no limit', () => {
    expect(outputWidth({ isTTY: false }, { COLUMNS: '100' })).toBe(100);
    expect(outputWidth({ isTTY: false }, { COLUMNS: 'wide' })).toBeUndefined();
    expect(outputWidth({ isTTY: false }, {})).toBeUndefined();
  });
});
