/**
 * The floor under row 4: the same ListClusters and DescribeCluster calls as the audit, sent ten at
 * a time per region with nothing else of eksposure (no pacing, no evaluation, no report). Run as
 * its own process, with the usage probe, against the emulator at AWS_ENDPOINT_URL; the regions are
 * its arguments. It prints the calls it made.
 *
 * By default through a bare EKSClient with the SDK's defaults. With `--eksposure-clients` first,
 * through the clients eksposure builds (its request handler, cached middleware, one signer per
 * client): what the SDK costs as eksposure uses it, so the rest of the audit's cost is its own.
 */
import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { createAwsClients } from '../aws/clients.js';

const CONCURRENCY = 10;

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

const args = process.argv.slice(2);
const throughEksposure = args[0] === '--eksposure-clients';
const regions = throughEksposure ? args.slice(1) : args;
const endpoint = process.env.AWS_ENDPOINT_URL;
let calls: number[];
if (throughEksposure) {
  const { fromEnv } = await import('@aws-sdk/credential-providers');
  const clients = createAwsClients({
    credentials: fromEnv(),
    endpoints: { eks: endpoint },
    maxAttempts: 3,
    maxSockets: CONCURRENCY + 2,
    requestTimeoutMs: 30_000,
    connectTimeoutMs: 5_000,
  });
  calls = await Promise.all(regions.map((region) => scanRegion(clients.eks(region))));
  clients.destroy();
} else {
  calls = await Promise.all(
    regions.map(async (region) => {
      const eks = new EKSClient({ region, endpoint });
      const made = await scanRegion(eks);
      eks.destroy();
      return made;
    }),
  );
}
process.stdout.write(`${calls.reduce((a, b) => a + b, 0)}\n`);
