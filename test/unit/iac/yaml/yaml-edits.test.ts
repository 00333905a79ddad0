import { parseDocument } from 'yaml';
import {
  indentStepOf,
  planMappingEdits,
  replaceSequenceEdit,
  type DesiredEntry,
  type EditContext,
} from '../../../../src/iac/yaml/yaml-edits.js';
import {
  describeNode,
  literalBoolean,
  literalStrings,
  mapAt,
  nodeAt,
  type MapNode,
  type SeqNode,
} from '../../../../src/iac/yaml/yaml-nodes.js';
import { parseYamlSource } from '../../../../src/iac/yaml/yaml-source.js';
import { applyTextEdits, LineIndex, normalizeEdits } from '../../../../src/iac/yaml/text-edits.js';
import { lineDiff } from './edit-helpers.js';

function contextOf(text: string) {
  const parsed = parseYamlSource({ path: 'f.yaml', text });
  if (!parsed.ok) throw new Error(parsed.failure.message);
  const document = parsed.source.documents[0];
  const root = mapAt(document?.contents, []) as MapNode;
  const context: EditContext = {
    file: 'f.yaml',
    text,
    lines: parsed.source.lines,
    indentStep: indentStepOf(parsed.source.lines, document?.contents ?? null),
  };
  return { context, root };
}

const bool = (key: string, value: boolean, whenAbsent: boolean): DesiredEntry => ({
  key,
  value: { kind: 'boolean', value, whenAbsent },
});

function plan(text: string, path: (string | number)[], entries: DesiredEntry[]) {
  const { context, root } = contextOf(text);
  const map = path.length ? (mapAt(root, path) as MapNode) : root;
  const result = planMappingEdits(context, map, path.join('.'), entries);
  if (!result.ok) throw new Error(result.reason);
  return { ...result, text: applyTextEdits(text, result.edits) };
}

describe('LineIndex', () => {
  it('turns offsets into 1-based lines, line starts and columns', () => {
    const lines = new LineIndex('ab\ncd\n\nef');
    expect([0, 2, 3, 5, 6, 7, 9, 50].map((o) => lines.lineOf(o))).toEqual([1, 1, 2, 2, 3, 4, 4, 4]);
    expect(lines.lineStartOf(4)).toBe(3);
    expect(lines.columnOf(4)).toBe(1);
    expect(lines.nextLineStartOf(4)).toBe(6);
    expect(lines.nextLineStartOf(8)).toBe(9);
  });
});

describe('normalizeEdits and applyTextEdits', () => {
  it('applies edits from the end, joining insertions at one offset in order', () => {
    const edits = [
      { start: 4, end: 4, text: 'X' },
      { start: 0, end: 1, text: 'A' },
      { start: 4, end: 4, text: 'Y' },
    ];
    expect(normalizeEdits(edits)).toEqual([
      { start: 0, end: 1, text: 'A' },
      { start: 4, end: 4, text: 'XY' },
    ]);
    expect(applyTextEdits('abcdef', edits)).toBe('AbcdXYef');
  });

  it('throws on overlapping edits', () => {
    expect(() =>
      normalizeEdits([
        { start: 0, end: 3, text: '' },
        { start: 2, end: 4, text: '' },
      ]),
    ).toThrow('overlapping edits');
  });
});

describe('parseYamlSource', () => {
  it('gives the 1-based line of the first error as a one-line message', () => {
    const parsed = parseYamlSource({ path: 'bad.yaml', text: 'a: 1\nb:\n  - c\n  d: [\n' });
    expect(parsed).toEqual({
      ok: false,
      failure: {
        file: 'bad.yaml',
        line: 4,
        message: 'All mapping items must start at the same column at line 4, column 1',
      },
    });
  });

  it('parses every document of a stream', () => {
    const parsed = parseYamlSource({ path: 'two.yaml', text: 'a: 1\n---\nb: 2\n' });
    expect(parsed.ok && parsed.source.documents.map((d) => d.toJS() as unknown)).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
  });
});

describe('literal readers', () => {
  const text =
    'a: true\nb: "false"\nc: yes\nd: "yes"\ne: !Ref X\nf: [x, "y"]\ng: [x, !Ref Y]\nh: 3\n';
  const doc = parseDocument(text, {
    customTags: [{ tag: '!Ref', resolve: (v: string) => v }],
  });
  const node = (key: string) => nodeAt(doc.contents, [key]);

  it('reads booleans written literally, and nothing else', () => {
    expect(['a', 'b', 'c', 'd', 'e', 'h'].map((k) => literalBoolean(node(k)))).toEqual([
      true,
      false,
      true,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reads lists of literal strings only', () => {
    expect(literalStrings(node('f'))).toEqual(['x', 'y']);
    expect(literalStrings(node('g'))).toBeUndefined();
  });

  it('describes a node as written, its tag put back', () => {
    expect(describeNode(text, node('e') as MapNode)).toBe('!Ref X');
  });
});

describe('planMappingEdits', () => {
  it('adds keys on a new line after the last entry of a block mapping, before the comments that follow it', () => {
    const text =
      'spec:\n  script: |\n    echo hi\n    echo there\n  other: 1   # note\n' +
      '  # a comment that belongs to the next key\nnext: 2\n';
    const result = plan(text, ['spec'], [bool('enabled', false, true)]);
    expect(lineDiff(text, result.text)).toEqual([
      { line: 6, removed: [], added: ['  enabled: false'] },
    ]);
  });

  it('adds after a trailing block scalar too', () => {
    const text = 'spec:\n  script: |\n    echo hi\nnext: 2\n';
    const result = plan(text, ['spec'], [bool('enabled', false, true)]);
    expect(result.text).toBe('spec:\n  script: |\n    echo hi\n  enabled: false\nnext: 2\n');
  });

  it("creates nested mappings with the document's indentation step", () => {
    const text = 'top:\n    child: 1\nother:\n    x: y\n';
    const result = plan(
      text,
      ['other'],
      [
        {
          key: 'nested',
          value: {
            kind: 'mapping',
            entries: [bool('a', true, false), bool('b', true, true), bool('c', false, true)],
          },
        },
      ],
    );
    expect(result.text).toBe(
      'top:\n    child: 1\nother:\n    x: y\n    nested:\n        a: true\n        c: false\n',
    );
    expect(result.changes).toEqual(['other.nested.a: true', 'other.nested.c: false']);
    expect(result.added).toEqual(['other.nested', 'other.nested.a', 'other.nested.c']);
  });

  it('adds nothing when absence already means the desired value', () => {
    const text = 'spec:\n  x: 1\n';
    const result = plan(
      text,
      ['spec'],
      [
        bool('a', true, true),
        {
          key: 'cidrs',
          value: { kind: 'strings', value: ['0.0.0.0/0'], whenAbsent: ['0.0.0.0/0'] },
        },
      ],
    );
    expect(result.edits).toEqual([]);
    expect(result.text).toBe(text);
  });

  it('keeps the quotes of a replaced scalar', () => {
    const text = 'spec:\n  a: \'true\'\n  b: "False"\n';
    const result = plan(text, ['spec'], [bool('a', false, true), bool('b', true, false)]);
    expect(result.text).toBe('spec:\n  a: \'false\'\n  b: "true"\n');
  });

  it('quotes list items that would not read back as strings', () => {
    const text = 'spec:\n  x: 1\n';
    const result = plan(
      text,
      ['spec'],
      [{ key: 'list', value: { kind: 'strings', value: ['::/0', '10.0.0.0/8', '1.5', 'yes'] } }],
    );
    expect(result.text).toBe(
      'spec:\n  x: 1\n  list:\n    - "::/0"\n    - 10.0.0.0/8\n    - "1.5"\n    - "yes"\n',
    );
    expect(parseDocument(result.text).toJS()).toEqual({
      spec: { x: 1, list: ['::/0', '10.0.0.0/8', '1.5', 'yes'] },
    });
  });

  it("writes new lines with the file's CRLF line endings", () => {
    const text = 'spec:\r\n  x: 1 # one\r\n  list:\r\n    - a\r\nnext: 2\r\n';
    const result = plan(
      text,
      ['spec'],
      [
        bool('enabled', false, true),
        { key: 'list', value: { kind: 'strings', value: ['b', 'c'] } },
      ],
    );
    expect(result.text).toBe(
      'spec:\r\n  x: 1 # one\r\n  list:\r\n    - b\r\n    - c\r\n  enabled: false\r\nnext: 2\r\n',
    );
  });

  it('adds a nested mapping to a flow mapping inline', () => {
    const text = 'vpc: { cidr: 10.0.0.0/16 }\n';
    const result = plan(
      text,
      ['vpc'],
      [
        {
          key: 'clusterEndpoints',
          value: { kind: 'mapping', entries: [bool('privateAccess', true, false)] },
        },
      ],
    );
    expect(result.text).toBe(
      'vpc: { clusterEndpoints: { privateAccess: true }, cidr: 10.0.0.0/16 }\n',
    );
    expect(parseDocument(result.text).toJS()).toEqual({
      vpc: { clusterEndpoints: { privateAccess: true }, cidr: '10.0.0.0/16' },
    });
  });

  it('refuses a key without a value, naming file:line', () => {
    const { context, root } = contextOf('spec:\n  a:\n  b: 1\n');
    expect(
      planMappingEdits(context, mapAt(root, ['spec']) as MapNode, 'spec', [bool('a', false, true)]),
    ).toEqual({
      ok: false,
      reason:
        'spec.a has no value (f.yaml:2); eksposure edits literal values only, so change it by hand',
    });
  });

  it('refuses to add to an empty flow mapping', () => {
    const { context, root } = contextOf('spec: {}\n');
    const result = planMappingEdits(context, mapAt(root, ['spec']) as MapNode, 'spec', [
      bool('a', false, true),
    ]);
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining('empty mapping at f.yaml:1'),
    });
  });
});

describe('replaceSequenceEdit', () => {
  const replace = (text: string, values: string[]) => {
    const { context, root } = contextOf(text);
    const edit = replaceSequenceEdit(context, nodeAt(root, ['list']) as SeqNode, values);
    if ('reason' in edit) throw new Error(edit.reason);
    return applyTextEdits(text, [edit]);
  };

  it('keeps a multi-line flow sequence multi-line, brackets and indentation included', () => {
    const text = '{\n  "list": [\n    "0.0.0.0/0"\n  ],\n  "x": 1\n}\n';
    expect(replace(text, ['a', 'b'])).toBe(
      '{\n  "list": [\n    "a",\n    "b"\n  ],\n  "x": 1\n}\n',
    );
  });

  it('replaces a block sequence at its dash column, leaving a trailing comment line alone', () => {
    const text = 'list:\n- a   # first\n- b\n# end\nx: 1\n';
    expect(replace(text, ['c'])).toBe('list:\n- c\n# end\nx: 1\n');
  });

  it('writes an empty flow sequence inline', () => {
    expect(replace('list: []\n', ['a'])).toBe('list: ["a"]\n');
  });
});
