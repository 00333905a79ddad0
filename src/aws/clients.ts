import http from 'node:http';
import https from 'node:https';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';

export type CredentialsProvider = ReturnType<typeof fromNodeProviderChain>;

export interface AwsClientOptions {
  readonly credentials: CredentialsProvider;
  /** An endpoint per service, for every region; calls are still signed with their own region. */
  readonly endpoints?: { readonly eks?: string | undefined; readonly ec2?: string | undefined };
  readonly maxAttempts: number;
  /** Sockets per regional client: the region's concurrency plus room for listing. */
  readonly maxSockets: number;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export interface AwsClients {
  eks(region: string): EKSClient;
  ec2(region: string): EC2Client;
  destroy(): void;
}

/**
 * One EKS and one EC2 client per region, created on first use. Each client has its own
 * connection pool, as it would against AWS's per-region hosts, and the SDK's standard retry
 * with a larger attempt budget: a scan where one call in five is throttled must still finish.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const eksClients = new Map<string, EKSClient>();
  const ec2Clients = new Map<string, EC2Client>();

  const configFor = (region: string, endpoint: string | undefined) => ({
    region,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts,
    retryMode: 'standard',
    ...(endpoint ? { endpoint } : {}),
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    },
  });

  const cached = <T>(cache: Map<string, T>, region: string, create: () => T): T => {
    let client = cache.get(region);
    if (!client) {
      client = create();
      cache.set(region, client);
    }
    return client;
  };

  return {
    eks: (region) =>
      cached(eksClients, region, () => new EKSClient(configFor(region, options.endpoints?.eks))),
    ec2: (region) =>
      cached(ec2Clients, region, () => new EC2Client(configFor(region, options.endpoints?.ec2))),
    destroy: () => {
      for (const client of [...eksClients.values(), ...ec2Clients.values()]) client.destroy();
    },
  };
}
