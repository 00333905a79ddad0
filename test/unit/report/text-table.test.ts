import { renderTable, wrapParagraph, wrapText } from '../../../src/report/text-table.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));
const words = (text: string) => text.split(/[\s,]+/).filter((w) => w.length > 0 && w !== '·');

describe('wrapText', () => {
  it('breaks at spaces, never inside a word that fits', () => {
    const lines = wrapText('Private access stays on, so nodes keep reaching the API', 20);
    expect(lines).toEqual(['Private access stays', 'on, so nodes keep', 'reaching the API']);
  });

  it('breaks a long list after its commas, and keeps it whole when told to', () => {
    const list = '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16';
    expect(wrapText(list, 26)).toEqual(['10.0.0.0/8,172.16.0.0/12,', '192.168.0.0/16']);
    expect(wrapText(`--cidrs ${list}`, 26, 26, true)).toEqual(['--cidrs', list]);
  });

  it('gives the first line its own width', () => {
    expect(wrapText('aa bb cc dd', 5, 2)).toEqual(['aa', 'bb cc', 'dd']);
  });
});

describe('wrapParagraph', () => {
  it('keeps the indent and hangs the following lines', () => {
    expect(wrapParagraph('  one two three four', { width: 12 }, '  ')).toBe(
      '  one two\n    three\n    four',
    );
  });

  it('leaves the text alone without a width', () => {
    expect(wrapParagraph('  one two three four', {})).toBe('  one two three four');
  });
});

describe('renderTable', () => {
  const header = ['RESULT', 'CLUSTER', 'DETAIL'];
  const rows = [
    ['FAIL', 'payments-prod', 'public open (private off), reachable from any address'],
    ['PASS', 'ml', 'private only'],
  ];

  it('aligns columns on one line per row when there is no limit or room enough', () => {
    const table = renderTable(header, rows);
    expect(table.split('\n')).toHaveLength(3);
    expect(renderTable(header, rows, { width: 200 })).toBe(table);
    expect(table.split('\n')[1]).toBe(
      'FAIL    payments-prod  public open (private off), reachable from any address',
    );
  });

  it('wraps the last column under itself when it still has room', () => {
    const table = renderTable(header, rows, { width: 50 });
    expect(widest(table)).toBeLessThanOrEqual(50);
    expect(table.split('\n').slice(1, 3)).toEqual([
      'FAIL    payments-prod  public open (private off),',
      '                       reachable from any address',
    ]);
  });

  it('stacks the other cells under the key columns when the last has no room', () => {
    const wide = [['FAIL', 'us-east-1', 'a-cluster-with-a-long-name', 'public open', 'ACTIVE']];
    const table = renderTable(['RESULT', 'REGION', 'CLUSTER', 'ACCESS', 'STATUS'], wide, {
      width: 46,
      keyColumns: 3,
    });
    expect(table.split('\n')).toEqual([
      'RESULT  REGION     CLUSTER',
      '  ACCESS · STATUS',
      'FAIL    us-east-1  a-cluster-with-a-long-name',
      '  public open · ACTIVE',
    ]);
  });

  it('keeps every value whole, whatever the width', () => {
    for (const width of [20, 40, 60, 80]) {
      const table = renderTable(header, rows, { width });
      expect(words(table).sort()).toEqual(words([header, ...rows].flat().join(' ')).sort());
    }
  });
});
