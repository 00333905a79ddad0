/** The `probe` command's definition; its handler (and the prober) load only when it runs. */
import type { Argv, CommandModule } from 'yargs';
import { awsConnectionOptions } from '../options/aws-options.js';
import type { CliDeps } from '../deps.js';
import { PROBE_EXAMPLES, withHelp } from '../options/help-examples.js';
import { probeTuningOptions } from '../options/probe-options.js';
import type { ProbeArgs } from './probe.handler.js';

export const PROBE_EXIT_CODES_HELP = `Exit codes:
  0  not reachable from here (refused, reset or timed out)
  1  the endpoint (or the kubelet) answered an anonymous request, or its certificate is not the cluster's
  2  bad usage or input (URL, node address, CA file, --insecure with --ca-file, flags, credentials)
  3  nothing was probed: the host name does not resolve, or DescribeCluster failed`;

export function probeCommand(deps: CliDeps, setExitCode: (code: number) => void): CommandModule {
  return {
    command: 'probe [url]',
    describe:
      'Probe one Kubernetes API server anonymously (GET /version, /healthz, /api), TLS verified against its CA',
    builder: (yargs: Argv) =>
      withHelp(yargs, PROBE_EXAMPLES, PROBE_EXIT_CODES_HELP)
        .positional('url', { type: 'string', describe: 'https://host[:port] of the API server' })
        .options({
          ...awsConnectionOptions,
          regions: {
            ...awsConnectionOptions.regions,
            alias: 'region',
            describe: "The cluster's region, with --cluster (--region works too)",
          },
          cluster: {
            type: 'string',
            requiresArg: true,
            describe:
              'An EKS cluster: its endpoint and CA are read with DescribeCluster (--region R)',
          },
          kubelet: {
            type: 'string',
            requiresArg: true,
            describe:
              "A node's kubelet, ADDRESS[:PORT] (10250 TLS, the default, or 10255 plain HTTP): anonymous GET /pods and /healthz only",
          },
          'ca-file': {
            type: 'string',
            requiresArg: true,
            describe:
              "PEM file of the CA the server's certificate must chain to (with a URL; with --kubelet, checked but not required)",
          },
          insecure: {
            type: 'boolean',
            describe:
              'With a URL and no CA only: do not verify the certificate (the report says so)',
          },
          ...probeTuningOptions,
          output: {
            choices: ['table', 'json'] as const,
            default: 'table' as const,
            describe: 'Format on stdout',
          },
        }),
    handler: async (argv) => {
      const { probe } = await import('./probe.handler.js');
      setExitCode(await probe(deps, argv as unknown as ProbeArgs));
    },
  };
}
