import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { EKS_CLUSTER_NAME, readPublicAccessCidr } from '../../../src/emulator/validation.js';
import { CLUSTER_NAME_PATTERN } from '../../../src/model/aws-names.js';
import { parseCidr } from '../../../src/net/cidr.js';
import { REPO_ROOT } from '../../support/cli.js';

const EMULATOR = join(REPO_ROOT, 'src', 'emulator');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the emulator stands apart from the product', () => {
  // Its own fixture format (a JSON Schema, checked with Ajv) is the emulator's, not the product's.
  const OWN_SCHEMA = join(REPO_ROOT, 'schemas', 'emulator-fixture.schema.json');
  const LIBRARIES = /^(node:|ajv\/)/;

  it("imports nothing of the product's: node: modules, Ajv and its own fixture schema only", () => {
    const outside = sourceFiles(EMULATOR).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)]
        .map((m) => m[1] ?? '')
        .filter((spec) => {
          if (!spec.startsWith('.')) return !LIBRARIES.test(spec);
          const target = resolve(dirname(file), spec);
          return relative(EMULATOR, target).startsWith('..') && target !== OWN_SCHEMA;
        })
        .map((spec) => `${relative(REPO_ROOT, file)} imports ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});

describe('readPublicAccessCidr', () => {
  it.each([
    ['203.0.113.0/24', { family: 'ipv4', hostBitsSet: false }],
    ['10.0.0.1/24', { family: 'ipv4', hostBitsSet: true }],
    ['0.0.0.0/0', { family: 'ipv4', hostBitsSet: false }],
    ['2001:db8::/32', { family: 'ipv6', hostBitsSet: false }],
    ['2001:DB8:0:0::/64', { family: 'ipv6', hostBitsSet: false }],
    ['2001:db8::1/32', { family: 'ipv6', hostBitsSet: true }],
    ['::/0', { family: 'ipv6', hostBitsSet: false }],
    ['::ffff:192.0.2.0/120', { family: 'ipv6', hostBitsSet: false }],
    ['::ffff:192.0.2.1/120', { family: 'ipv6', hostBitsSet: true }],
  ])('reads %s', (text, expected) => {
    expect(readPublicAccessCidr(text)).toEqual(expected);
  });

  it.each([
    '10.0.0.0',
    ' 10.0.0.0/8',
    '10.0.0.0/33',
    '010.0.0.0/8',
    '256.0.0.0/8',
    '2001:db8::/129',
    '2001:db8:::/32',
    'fe80::1%eth0/64',
    '::ffff:300.0.2.0/120',
    '2001:db8::/x',
  ])('refuses %s', (text) => {
    expect(readPublicAccessCidr(text)).toBeUndefined();
  });

  /** Two parsers written apart must agree; where they do not, one of them is wrong. */
  it("agrees with eksposure's own parser on what is a CIDR and what has host bits", () => {
    const cidr = fc.oneof(
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })),
      fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })),
    );
    fc.assert(
      fc.property(cidr, ([address, prefix]) => {
        const text = `${address}/${prefix}`;
        const product = parseCidr(text);
        const emulator = readPublicAccessCidr(text);
        return (
          product.ok &&
          emulator !== undefined &&
          `ipv${product.value.family}` === emulator.family &&
          product.value.hostBitsSet === emulator.hostBitsSet
        );
      }),
    );
  });
});

describe('EKS_CLUSTER_NAME', () => {
  it('takes 1 to 100 letters, digits, - and _, starting with a letter or digit', () => {
    expect(EKS_CLUSTER_NAME.test('a')).toBe(true);
    expect(EKS_CLUSTER_NAME.test(`a${'-'.repeat(99)}`)).toBe(true);
    expect(EKS_CLUSTER_NAME.test(`a${'-'.repeat(100)}`)).toBe(false);
    expect(EKS_CLUSTER_NAME.test('-a')).toBe(false);
    expect(EKS_CLUSTER_NAME.test('has space')).toBe(false);
  });

  it("agrees with eksposure's own pattern", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[-_a-zA-Z0-9 .]{0,102}$/),
        (name) => EKS_CLUSTER_NAME.test(name) === CLUSTER_NAME_PATTERN.test(name),
      ),
    );
  });
});
