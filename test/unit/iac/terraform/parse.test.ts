import { loadHclParser, offsetsIn } from '../../../../src/iac/terraform/parse.js';

describe('the tree-sitter Terraform grammar', () => {
  it('is loaded once', async () => {
    const [first, second] = await Promise.all([loadHclParser(), loadHclParser()]);
    expect(second).toBe(first);
  });

  it('reports UTF-16 offsets for a JavaScript string (web-tree-sitter 0.27), which are string indices', async () => {
    const parser = await loadHclParser();
    expect(parser.indexUnit).toBe('utf16');
    const text = '# Café — ☕ 😀\nname = "tf-ünï"\n';
    const parsed = parser.parse(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const [attribute] = parsed.body.attributes;
    expect(text.slice(attribute?.start, attribute?.end)).toBe('name = "tf-ünï"');
    expect(attribute?.value).toMatchObject({ kind: 'string', value: 'tf-ünï', text: '"tf-ünï"' });
    expect(parsed.comments.map((c) => text.slice(c.start, c.end))).toEqual(['# Café — ☕ 😀']);
  });

  it('would turn UTF-8 byte offsets into string indices', () => {
    const text = 'é—😀x';
    const toIndex = offsetsIn(text, 'utf8');
    // é is 2 bytes, — 3, 😀 4 (and 2 UTF-16 code units).
    expect([0, 2, 5, 9, 10].map(toIndex)).toEqual([0, 1, 2, 4, 5]);
    expect(offsetsIn(text, 'utf16')(4)).toBe(4);
  });

  it('reads literals, references, calls and templates', async () => {
    const parser = await loadHclParser();
    const parsed = parser.parse(
      [
        'a = "x\\"y\\\\z $${literal}"',
        'b = (true)',
        'c = var.name',
        'd = toset(["p", "q"])',
        'e = "${local.prefix}-eks"',
        'f = var.list[0]',
        'g = null',
        'h = ["10.0.0.0/8", var.extra]',
      ].join('\n'),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const values = Object.fromEntries(parsed.body.attributes.map((a) => [a.name, a.value]));
    expect(values.a).toMatchObject({ kind: 'string', value: 'x"y\\z ${literal}' });
    expect(values.b).toMatchObject({ kind: 'bool', value: true, text: '(true)' });
    expect(values.c).toMatchObject({ kind: 'reference', root: 'var', path: ['name'] });
    expect(values.d).toMatchObject({ kind: 'call', name: 'toset', args: [{ kind: 'tuple' }] });
    expect(values.e).toMatchObject({ kind: 'template' });
    expect(values.f).toMatchObject({ kind: 'other', text: 'var.list[0]' });
    expect(values.g).toMatchObject({ kind: 'null' });
    expect(values.h).toMatchObject({
      kind: 'tuple',
      items: [{ kind: 'string', value: '10.0.0.0/8' }, { kind: 'reference' }],
    });
  });
});
