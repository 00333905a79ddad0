/**
 * Row 4's other floor: the same calls as sdk-floor.ts, through the AWS clients eksposure builds
 * (its request handler, the SDK's cached middleware, one signer per client) and nothing else of
 * eksposure: what the SDK costs as eksposure uses it, so that the rest of the audit's cost is its own.
 */
import { fromEnv } from '@aws-sdk/credential-providers';
import { createAwsClients } from '../aws/clients.js';
import { FLOOR_SOCKETS, scanAndPrint } from './sdk-scan.js';

const clients = createAwsClients({
  credentials: fromEnv(),
  endpoints: { eks: process.env.AWS_ENDPOINT_URL },
  maxAttempts: 3,
  maxSockets: FLOOR_SOCKETS,
  requestTimeoutMs: 30_000,
  connectTimeoutMs: 5_000,
});
await scanAndPrint(process.argv.slice(2), (region) => clients.eks(region));
clients.destroy();
