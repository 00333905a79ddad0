import { probeCluster, probeOne, type ProbeOutcome } from '../../app/probe-endpoint.js';
import { probeOneKubelet } from '../../app/probe-kubelet.js';
import type { KubeletProbeResult } from '../../model/node-probe.js';
import { probeKubelet as probeKubeletWith } from '../../probe/kubelet-prober.js';
import { accountPort } from '../../aws/account-port.js';
import type { ProbeReport } from '../../model/probe.js';
import { probeText } from '../../probe/probe-report.js';
import { probeEndpoint } from '../../probe/prober.js';
import { VERDICT_SEVERITY } from '../../rules/eks-probe-001-api-reachable.js';
import { type AwsConnectionArgs, resolveAwsConnection } from '../options/aws-options.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { type ProbeTuningArgs, resolveProbeTuning } from '../options/probe-options.js';
import { kubeletAddressOf, type KubeletTargetArgs } from '../options/kubelet-target.js';
import { readCaFile, type UrlTargetArgs, urlTarget } from '../options/probe-target.js';
import { clockOf, interruptScanOnSignal, openScanSession, type ScanInterrupt } from '../session.js';

/** schemas/probe-report.schema.json mirrors this. */
export const PROBE_REPORT_SCHEMA_VERSION = '1.0.0';
/** `probe --kubelet --output json`: the KubeletProbeResult of src/model/node-probe.ts. */
export const KUBELET_PROBE_REPORT_SCHEMA_VERSION = '1.0.0';

export interface ProbeArgs
  extends AwsConnectionArgs, ProbeTuningArgs, UrlTargetArgs, KubeletTargetArgs {
  readonly output: 'table' | 'json';
  readonly 'log-level': string;
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
  if (args.kubelet !== undefined) return probeKubelet(deps, args, tuning.timeoutMs, tuning.vantage);
  if (args.url === undefined && args.cluster === undefined) {
    throw new CliError(
      'give the API server as a URL (with --ca-file or --insecure), or --cluster NAME --region REGION',
    );
  }
  const ports = { clock: clockOf(deps), probeEndpoint };
  if (args.cluster === undefined) {
    const target = urlTarget(args);
    const interrupt = interruptScanOnSignal(deps);
    const outcome = await probeOne(ports, target, { ...tuning, signal: interrupt.signal });
    return reportProbe(deps, args, interrupt, outcome);
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
    const aws = accountPort(session.clients);
    const outcome = await probeCluster(
      { ...ports, describeCluster: aws.describeCluster },
      { region, name: args.cluster },
      { ...tuning, signal: session.interrupt.signal },
    );
    return reportProbe(deps, args, session.interrupt, outcome);
  } finally {
    session.clients.destroy();
  }
}

/** Prints the report; a signal ends the probe at once and the command with 130/143. */
function reportProbe(
  deps: CliDeps,
  args: ProbeArgs,
  interrupt: ScanInterrupt,
  outcome: ProbeOutcome,
): number {
  // A cluster that could not be read says so, signal or not, as it always has.
  if (outcome.kind === 'unreadable') {
    deps.stderr.write(`${outcome.message}\n`);
    return 3;
  }
  interrupt.throwIfInterrupted();
  if (outcome.kind === 'interrupted') throw new Error('interrupted without a signal');
  const { report } = outcome;
  const json = {
    kind: 'eksposure-probe-report',
    schemaVersion: PROBE_REPORT_SCHEMA_VERSION,
    ...report,
  };
  deps.stdout.write(args.output === 'json' ? `${JSON.stringify(json, null, 2)}\n` : render(report));
  if (outcome.resolveError !== null) {
    // A typo in the host looks like an endpoint shut to the internet: never a clean exit.
    deps.stderr.write(
      `eksposure: ${outcome.host} does not resolve from here (${outcome.resolveError}): nothing was probed; check the host name.\n`,
    );
    return 3;
  }
  return VERDICT_SEVERITY[report.verdict] === null ? 0 : 1;
}

function renderKubelet(result: KubeletProbeResult, vantage: string | null): string {
  const host = result.family === 6 ? `[${result.address}]` : result.address;
  const from = vantage ? ` from ${vantage}` : '';
  const tls =
    result.tls === null
      ? ''
      : result.tls.verified
        ? ' [TLS verified]'
        : ` [TLS NOT VERIFIED: ${result.tls.problem ?? 'unknown'}]`;
  const paths = result.paths.map((p) => `${p.path} ${p.status ?? p.failure ?? '?'}`).join(', ');
  return `kubelet ${result.scheme}://${host}:${result.port}  observed${from}: ${result.verdict}${tls}\n  ${result.summary}\n  ${paths} (${result.durationMs} ms)\n`;
}

/** `probe --kubelet ADDRESS[:PORT]`: one node's kubelet; exit 1 when it answered at all. */
async function probeKubelet(
  deps: CliDeps,
  args: ProbeArgs,
  timeoutMs: number,
  vantage: string | null,
): Promise<number> {
  if (args.url !== undefined || args.cluster !== undefined || args.insecure) {
    throw new CliError(
      '--kubelet probes one node by its address: drop the URL, --cluster and --insecure (--ca-file is optional)',
    );
  }
  const { address, port } = kubeletAddressOf(args.kubelet ?? '');
  const caPem = args['ca-file'] === undefined ? null : readCaFile(args['ca-file']);
  const interrupt = interruptScanOnSignal(deps);
  const outcome = await probeOneKubelet(
    { probeKubelet: probeKubeletWith },
    { address, port, caPem },
    { timeoutMs, signal: interrupt.signal, now: () => deps.clock().getTime() },
  );
  interrupt.throwIfInterrupted();
  if (outcome.kind === 'interrupted') throw new Error('interrupted without a signal');
  const { result } = outcome;
  const json = {
    kind: 'eksposure-kubelet-probe-report',
    schemaVersion: KUBELET_PROBE_REPORT_SCHEMA_VERSION,
    vantage,
    ...result,
  };
  deps.stdout.write(
    args.output === 'json' ? `${JSON.stringify(json, null, 2)}\n` : renderKubelet(result, vantage),
  );
  return result.verdict === 'not-reachable' ? 0 : 1;
}
