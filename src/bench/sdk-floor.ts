/**
 * The floor under row 4: the audit's ListClusters and DescribeCluster calls sent by a bare
 * EKSClient with the SDK's defaults, and nothing of eksposure (no pacing, no evaluation, no report,
 * none of its code loaded). Run as its own process, with the usage probe, against the emulator at
 * AWS_ENDPOINT_URL; the regions are its arguments.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { endpointOf, scanAndPrint } from './sdk-scan.js';

const endpoint = endpointOf(process.env.AWS_ENDPOINT_URL ?? '');
const clients: EKSClient[] = [];
await scanAndPrint(process.argv.slice(2), (region) => {
  const eks = new EKSClient({ region, endpoint });
  clients.push(eks);
  return eks;
});
for (const eks of clients) eks.destroy();
