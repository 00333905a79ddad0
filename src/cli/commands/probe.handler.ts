import { formatErrorInfo, toErrorInfo } from '../../model/errors.js';
import { describeCluster } from '../../aws/updates.js';
import { caPemOf } from '../../probe/probe-clusters.js';
import {
  type ProbeReport,
  probeText,
  toProbeReport,
  VERDICT_SEVERITY,
} from '../../probe/probe-report.js';
import { probeEndpoint } from '../../probe/prober.js';
import { type AwsConnectionArgs, resolveAwsConnection } from '../aws-options.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { type ProbeTuning, type ProbeTuningArgs, resolveProbeTuning } from '../probe-options.js';
import { type ProbeTarget, type UrlTargetArgs, urlTarget } from '../probe-target.js';
import {
  interruptScanOnSignal,
  openScanSession,
  type ScanInterrupt,
  type ScanSession,
} from '../scan-interrupt.js';

/** schemas/probe-report.schema.json mirrors this. */
export const PROBE_REPORT_SCHEMA_VERSION = '1.0.0';

export interface ProbeArgs extends AwsConnectionArgs, ProbeTuningArgs, UrlTargetArgs {
  readonly output: 'table' | 'json';
  readonly 'log-level': string;
}

/** The endpoint and CA of an EKS cluster, read with DescribeCluster; a number is the exit code. */
async function clusterTarget(
  deps: CliDeps,
  session: ScanSession,
  region: string,
  name: string,
): Promise<ProbeTarget | number> {
  try {
    const cluster = await describeCluster(
      session.clients.eks(region),
      name,
      session.interrupt.signal,
    );
    if (!cluster.endpoint) {
      deps.stderr.write(
        `cluster ${name} in ${region} has no endpoint yet (status ${cluster.status ?? '?'})\n`,
      );
      return 3;
    }
    return { url: new URL(cluster.endpoint), caPem: caPemOf(cluster), insecure: false };
  } catch (error) {
    session.interrupt.throwIfInterrupted();
    deps.stderr.write(
      `DescribeCluster ${name} in ${region} failed: ${formatErrorInfo(toErrorInfo(error))}\n`,
    );
    return 3;
  }
}

function render(report: ProbeReport): string {
  const lines = [`${report.endpoint}  ${probeText(report)}`, `  ${report.summary}`];
  for (const a of report.addresses) {
    const paths = a.paths.map((p) => `${p.path} ${p.status ?? p.failure ?? '?'}`).join(', ');
    lines.push(`  ${a.address} (IPv${a.family}): ${a.verdict}; ${paths}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function probe(deps: CliDeps, args: ProbeArgs): Promise<number> {
  const tuning = resolveProbeTuning(args);
  if (args.url === undefined && args.cluster === undefined) {
    throw new CliError(
      'give the API server as a URL (with --ca-file or --insecure), or --cluster NAME --region REGION',
    );
  }
  if (args.cluster === undefined) {
    return probeAndReport(deps, args, tuning, urlTarget(args), interruptScanOnSignal(deps));
  }
  if (args.url !== undefined || args['ca-file'] !== undefined || args.insecure) {
    throw new CliError(
      '--cluster reads the endpoint and CA from AWS: drop the URL, --ca-file and --insecure',
    );
  }
  const connection = resolveAwsConnection(args, deps.env);
  const region = connection.regions?.length === 1 ? connection.regions[0] : undefined;
  if (region === undefined)
    throw new CliError('--cluster needs exactly one region: --region REGION');
  const session = await openScanSession(deps, connection, args['log-level']);
  try {
    const target = await clusterTarget(deps, session, region, args.cluster);
    if (typeof target === 'number') return target;
    return await probeAndReport(deps, args, tuning, target, session.interrupt);
  } finally {
    session.clients.destroy();
  }
}

/** Probes, then prints the report; a signal ends the probe at once and the command with 130/143. */
async function probeAndReport(
  deps: CliDeps,
  args: ProbeArgs,
  tuning: ProbeTuning,
  target: ProbeTarget,
  interrupt: ScanInterrupt,
): Promise<number> {
  const observed = await probeEndpoint({
    ...target,
    timeoutMs: tuning.timeoutMs,
    signal: interrupt.signal,
  });
  interrupt.throwIfInterrupted();
  const report = toProbeReport(observed, tuning.vantage, deps.clock());
  const json = {
    kind: 'eksposure-probe-report',
    schemaVersion: PROBE_REPORT_SCHEMA_VERSION,
    ...report,
  };
  deps.stdout.write(args.output === 'json' ? `${JSON.stringify(json, null, 2)}\n` : render(report));
  if (observed.resolveError !== null) {
    // A typo in the host looks like an endpoint shut to the internet: never a clean exit.
    deps.stderr.write(
      `eksposure: ${observed.host} does not resolve from here (${observed.resolveError}): nothing was probed; check the host name.\n`,
    );
    return 3;
  }
  return VERDICT_SEVERITY[report.verdict] === null ? 0 : 1;
}
