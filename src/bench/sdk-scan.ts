/**
 * The calls of row 4's floors: ListClusters to the last page, then DescribeCluster ten at a time,
 * in each region given, as the audit makes them. It prints the calls it made.
 */
import { DescribeClusterCommand, type EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';

const CONCURRENCY = 10;

/** Sockets per client: the describes in flight, and room for listing (as the CLI sizes them). */
export const FLOOR_SOCKETS = CONCURRENCY + 2;

async function scanRegion(eks: EKSClient): Promise<number> {
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
  return calls;
}

/**
 * The emulator's URL as an endpoint object: given as a string, the SDK parses it again for every
 * call, which no client talking to AWS itself does.
 */
export function endpointOf(url: string) {
  const { protocol, hostname, port, pathname } = new URL(url);
  return { protocol, hostname, port: port ? Number(port) : undefined, path: pathname };
}

export async function scanAndPrint(
  regions: readonly string[],
  clientFor: (region: string) => EKSClient,
): Promise<void> {
  const calls = await Promise.all(regions.map((region) => scanRegion(clientFor(region))));
  process.stdout.write(`${calls.reduce((a, b) => a + b, 0)}\n`);
}
