import { fixesAsCode, type IacCluster } from '../../../src/iac/fix-as-code.js';
import type { Definition, IacFormat, SourceFile } from '../../../src/iac/types.js';
import { applyEdits } from '../../../src/iac/unified-diff.js';

/**
 * A toy format, one definition per line: `cluster NAME [region=R] public=true|false|var.x`. It
 * stands in for the real formats (tested on their own) so matching, ambiguity, conflicts and the
 * diff can be checked line by line.
 */
const toyFormat: IacFormat = {
  tool: 'terraform',
  accepts: (file) => file.path.endsWith('.toy'),
  read: (files) => {
    const definitions: Definition[] = [];
    for (const file of files) {
      let offset = 0;
      file.text.split('\n').forEach((line, i) => {
        const m = /^cluster (\S+)(?: region=(\S+))? public=(\S+)$/.exec(line);
        if (m) {
          const [, name = '', region, value = ''] = m;
          const start = offset + line.lastIndexOf('=') + 1;
          definitions.push({
            location: { tool: 'terraform', file: file.path, line: i + 1, address: `toy.${name}` },
            name: name.startsWith('var.')
              ? { resolved: false, reason: `${name} has no default` }
              : { resolved: true, value: name },
            ...(region ? { region } : {}),
            patch: (target) => {
              if (value.startsWith('var.')) return { ok: false, reason: `public is ${value}` };
              const wanted = String(target.change.endpointPublicAccess);
              return {
                ok: true,
                edits: value === wanted ? [] : [{ start, end: start + value.length, text: wanted }],
                changes: value === wanted ? [] : [`public = ${wanted} (was ${value})`],
                notes: [],
              };
            },
          });
        }
        offset += line.length + 1;
      });
    }
    return Promise.resolve({ definitions, failures: [] });
  },
};

const PRIVATE = { endpointPublicAccess: false, endpointPrivateAccess: true } as const;

const cluster = (name: string, region = 'us-east-1'): IacCluster => ({
  key: `arn:aws:eks:${region}:123456789012:cluster/${name}`,
  managedBy: { tool: 'unknown', evidence: [] },
  target: {
    clusterName: name,
    region,
    after: { ...PRIVATE, publicAccessCidrs: ['0.0.0.0/0'] },
    change: PRIVATE,
  },
});

const file = (path: string, text: string): SourceFile => ({ path, text });

/** The toy format, each definition it reads changed by `change`. */
const toyWith = (change: (definition: Definition) => Definition): IacFormat => ({
  ...toyFormat,
  read: async (files) => {
    const { definitions, failures } = await toyFormat.read(files);
    return { failures, definitions: definitions.map(change) };
  },
});

describe('fixes as code', () => {
  it('patches the one definition that names the cluster, and diffs only its line', async () => {
    const main = file(
      'infra/main.toy',
      '# prod\ncluster web public=true\ncluster api public=true\n',
    );
    const found = await fixesAsCode([toyFormat], [main], [cluster('web')]);
    expect(found.fixes.get(cluster('web').key)).toEqual({
      status: 'patched',
      location: { tool: 'terraform', file: 'infra/main.toy', line: 2, address: 'toy.web' },
      changes: ['public = false (was true)'],
      notes: [],
    });
    expect(found.files).toEqual(['infra/main.toy']);
    expect(found.patch).toBe(
      [
        '--- a/infra/main.toy',
        '+++ b/infra/main.toy',
        '@@ -1,3 +1,3 @@',
        ' # prod',
        '-cluster web public=true',
        '+cluster web public=false',
        ' cluster api public=true',
        '',
      ].join('\n'),
    );
  });

  it('names both definitions and patches neither when two match', async () => {
    const found = await fixesAsCode(
      [toyFormat],
      [file('a.toy', 'cluster web public=true\n'), file('b.toy', 'cluster web public=true\n')],
      [cluster('web')],
    );
    const fix = found.fixes.get(cluster('web').key);
    expect(fix?.status).toBe('ambiguous');
    expect(fix?.status === 'ambiguous' && fix.reason).toContain('a.toy:1 toy.web; b.toy:1 toy.web');
    expect(found.patch).toBe('');
  });

  it('tells a definition in another region apart', async () => {
    const found = await fixesAsCode(
      [toyFormat],
      [
        file(
          'a.toy',
          'cluster web region=eu-west-1 public=true\ncluster web region=us-east-1 public=true\n',
        ),
      ],
      [cluster('web', 'us-east-1')],
    );
    const fix = found.fixes.get(cluster('web').key);
    expect(fix?.status === 'patched' && fix.location.line).toBe(2);
  });

  it('reports where an unreadable name leads, with a snippet, when nothing names the cluster', async () => {
    const found = await fixesAsCode(
      [toyFormat],
      [file('a.toy', 'cluster var.name public=true\n')],
      [cluster('web')],
    );
    const fix = found.fixes.get(cluster('web').key);
    expect(fix?.status).toBe('not-found');
    if (fix?.status !== 'not-found') return;
    expect(fix.reason).toContain('a.toy:1 toy.var.name (var.name has no default)');
    expect(fix.snippets.map((s) => s.tool)).toEqual(['cdk', 'pulumi']);
    expect(fix.snippets[0]?.text).toContain('eks.EndpointAccess.PRIVATE');
  });

  it('says the code already holds the fix when nothing needs to change', async () => {
    const found = await fixesAsCode(
      [toyFormat],
      [file('a.toy', 'cluster web public=false\n')],
      [cluster('web')],
    );
    expect(found.fixes.get(cluster('web').key)?.status).toBe('unchanged');
    expect(found.patch).toBe('');
  });

  it('patches a definition two clusters share once, when they want the same change', async () => {
    const shared = file('a.toy', 'cluster web public=true\n');
    const found = await fixesAsCode(
      [toyFormat],
      [shared],
      [cluster('web', 'us-east-1'), { ...cluster('web', 'eu-west-1') }],
    );
    expect([...found.fixes.values()].map((f) => f.status)).toEqual(['patched', 'patched']);
    expect(found.patch).toContain('+cluster web public=false\n');
    expect(found.patch.match(/^\+cluster/gm)).toHaveLength(1);
  });

  it('refuses a definition two clusters share when they want different changes, even inserts at one place', async () => {
    const inserting = toyWith((d) => ({
      ...d,
      patch: (target) => ({
        ok: true,
        edits: [{ start: 0, end: 0, text: `# ${target.region}\n` }],
        changes: ['added'],
        notes: [],
      }),
    }));
    const found = await fixesAsCode(
      [inserting],
      [file('a.toy', 'cluster web public=true\n')],
      [cluster('web', 'us-east-1'), cluster('web', 'eu-west-1')],
    );
    expect([...found.fixes.values()].map((f) => f.status)).toEqual(['patched', 'unresolved']);
    expect(found.patch.match(/^\+# /gm)).toHaveLength(1);
  });

  it('blocks rather than patches a cluster that is one of a for_each', async () => {
    const fleet = toyWith((d) => ({
      ...d,
      name: { resolved: false, reason: 'for_each (web, api)', candidates: ['web', 'api'] },
    }));
    const found = await fixesAsCode(
      [fleet],
      [file('a.toy', 'cluster fleet public=true\n')],
      [cluster('web'), cluster('other')],
    );
    const web = found.fixes.get(cluster('web').key);
    expect(web).toMatchObject({ status: 'unresolved', reason: 'for_each (web, api)' });
    const other = found.fixes.get(cluster('other').key);
    expect(other?.status === 'not-found' && other.reason).not.toContain('for_each');
    expect(found.patch).toBe('');
  });

  it('keeps the reason a definition cannot be patched', async () => {
    const found = await fixesAsCode(
      [toyFormat],
      [file('a.toy', 'cluster web public=var.open\n')],
      [cluster('web')],
    );
    const fix = found.fixes.get(cluster('web').key);
    expect(fix?.status === 'unresolved' && fix.reason).toBe('public is var.open');
  });
});

describe('applying edits', () => {
  it('makes every edit, in order, and refuses overlapping ones', () => {
    expect(
      applyEdits('abcdef', [
        { start: 4, end: 5, text: 'E' },
        { start: 0, end: 1, text: 'A' },
      ]),
    ).toBe('AbcdEf');
    expect(() =>
      applyEdits('abcdef', [
        { start: 0, end: 3, text: 'x' },
        { start: 2, end: 4, text: 'y' },
      ]),
    ).toThrow(RangeError);
  });
});
