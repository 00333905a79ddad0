/**
 * The floor under row 4: the same ListClusters and DescribeCluster calls as the audit, sent by a
 * bare EKSClient with the SDK's defaults and nothing of eksposure (no deadline, no pacing, no
 * report), ten at a time per region. Run as its own process, with the usage probe, against the
 * emulator at AWS_ENDPOINT_URL; the regions are its arguments. It prints the calls it made.
 */
import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';

const CONCURRENCY = 10;

async function scanRegion(region: string): Promise<number> {
  const eks = new EKSClient({ region, endpoint: process.env.AWS_ENDPOINT_URL });
  const names: string[] = [];
  let calls = 0;
  let nextToken: string | undefined;
  do {
    const page = await eks.send(new ListClustersCommand({ nextToken, maxResults: 100 }));
    calls += 1;
    names.push(...(page.clusters ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      await eks.send(new DescribeClusterCommand({ name }));
      calls += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  eks.destroy();
  return calls;
}

const calls = await Promise.all(process.argv.slice(2).map(scanRegion));
process.stdout.write(`${calls.reduce((a, b) => a + b, 0)}\n`);
