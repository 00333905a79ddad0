import { DescribeCluster$ } from '@aws-sdk/client-eks';
import { NormalizedSchema } from '@smithy/core/schema';
import { CLUSTER_TIMESTAMPS, readScanCluster } from '../../../src/aws/scan-describe-cluster.js';

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

describe("the scan's DescribeCluster answer", () => {
  it("checks every timestamp the SDK's deserializer would refuse, as the EKS model has them", () => {
    const output = NormalizedSchema.of(DescribeCluster$[5]);
    const cluster = output.getMemberSchema('cluster');
    expect(timestampsIn(cluster)).toEqual(CLUSTER_TIMESTAMPS);
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
