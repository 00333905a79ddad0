import { DescribeCluster$ } from '@aws-sdk/client-eks';
import { NormalizedSchema } from '@smithy/core/schema';
import { slimCluster } from '../../../src/aws/collect-clusters.js';
import {
  CLUSTER_TIMESTAMPS,
  READ,
  readScanCluster,
} from '../../../src/aws/scan-describe-cluster.js';

/** Every timestamp in DescribeCluster's answer, as a path from the cluster; `[]` marks a list or map. */
function timestampsIn(schema: NormalizedSchema, path: string[] = []): string[][] {
  if (schema.isTimestampSchema()) return [path];
  if (schema.isStructSchema())
    return [...schema.structIterator()].flatMap(([member, s]) =>
      timestampsIn(s, [...path, member]),
    );
  if (schema.isListSchema() || schema.isMapSchema())
    return timestampsIn(schema.getValueSchema(), [...path, '[]']);
  return [];
}

/** The member paths `read` touches on the value it is given, found with a recording proxy. */
function pathsRead(read: (value: never) => unknown): string[] {
  const paths = new Set<string>();
  const recorder = (path: string[]): object =>
    new Proxy(
      {},
      {
        get: (_, key) => {
          if (typeof key !== 'string') return undefined;
          const at = [...path, key];
          paths.add(at.join('.'));
          return recorder(at);
        },
      },
    );
  read(recorder([]) as never);
  // A path read only to reach a deeper one is not a member read for its value.
  return [...paths].filter((p) => ![...paths].some((q) => q.startsWith(`${p}.`))).sort();
}

const cluster = () => NormalizedSchema.of(DescribeCluster$[5]).getMemberSchema('cluster');

describe("the scan's DescribeCluster answer", () => {
  it('keeps exactly the members slimCluster reads', () => {
    const kept = Object.entries(READ).flatMap(([member, nested]) =>
      nested ? nested.map((m) => `${member}.${m}`) : [member],
    );
    expect(pathsRead((c) => slimCluster(c, true))).toEqual(kept.sort());
  });

  it('reads members the SDK reads as they come: no renamed, converted or revived member', () => {
    const plain = (schema: NormalizedSchema): boolean => {
      const traits = schema.getMergedTraits();
      if (traits.jsonName !== undefined || traits.mediaType !== undefined) return false;
      if (schema.isStructSchema() && !schema.isUnionSchema()) return true;
      if (schema.isListSchema() || schema.isMapSchema()) return plain(schema.getValueSchema());
      return schema.isStringSchema() || schema.isBooleanSchema();
    };
    for (const [member, nested] of Object.entries(READ)) {
      const schema = cluster().getMemberSchema(member);
      expect([member, plain(schema)]).toEqual([member, true]);
      for (const m of nested ?? []) {
        expect([`${member}.${m}`, plain(schema.getMemberSchema(m))]).toEqual([
          `${member}.${m}`,
          true,
        ]);
      }
    }
    // A big number or a document anywhere in the answer would make the SDK parse it with a reviver.
    const revived = (schema: NormalizedSchema, depth = 0): boolean =>
      depth < 12 &&
      (schema.isBigIntegerSchema() ||
        schema.isBigDecimalSchema() ||
        schema.isDocumentSchema() ||
        (schema.isStructSchema() &&
          [...schema.structIterator()].some(([, s]) => revived(s, depth + 1))) ||
        ((schema.isListSchema() || schema.isMapSchema()) &&
          revived(schema.getValueSchema(), depth + 1)));
    expect(revived(cluster())).toBe(false);
  });

  it("checks every timestamp, the only members the SDK's deserializer may refuse, as the EKS model has them", () => {
    expect(timestampsIn(cluster())).toEqual(CLUSTER_TIMESTAMPS);
  });

  it('leaves an answer it would read differently from the SDK to the SDK', () => {
    expect(readScanCluster({ cluster: { name: 'c', createdAt: 1.7e9 } })).toEqual({
      cluster: { name: 'c' },
    });
    expect(readScanCluster({ cluster: { name: 'c', createdAt: 'yesterday' } })).toBeUndefined();
    expect(readScanCluster({ cluster: { name: 'c', createdAt: Infinity } })).toBeUndefined();
    expect(
      readScanCluster({ cluster: { name: 'c', connectorConfig: { activationExpiry: true } } }),
    ).toBeUndefined();
    expect(readScanCluster({ cluster: { __type: 'Cluster', name: null } })).toBeUndefined();
    expect(readScanCluster({ cluster: [] })).toBeUndefined();
    expect(readScanCluster(null)).toBeUndefined();
    expect(readScanCluster({ cluster: null })).toEqual({});
  });
});
