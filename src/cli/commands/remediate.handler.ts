import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { confirmAndApply } from '../../app/apply-plan.js';
import { type AsCodeRequest, planFixesAsCode } from '../../app/fix-as-code.js';
import { planRemediation } from '../../app/plan-remediation.js';
import { CLUSTER_NAME_PATTERN } from '../../model/aws-names.js';
import { parseIpv4Address } from '../../net/cidr.js';
import {
  type AllowlistEntry,
  parseAllowlist,
  readAllowlistFile,
} from '../../remediation/allowlist.js';
import type { RemediationPlan } from '../../remediation/plan.js';
import { serializePlan } from '../../remediation/plan-file.js';
import type { RemediationRequest } from '../../remediation/planner.js';
import { formatPlan } from '../../report/plan.format.js';
import { type AccountArgs, resolveAccountScope } from '../options/account-options.js';
import { defaultJournalPath, parseDuration, parsePollInterval } from '../options/apply-options.js';
import {
  type ChangeProbeArgs,
  probeSettings,
  resolveChangeProbe,
} from '../options/apply-probe-options.js';
import {
  type AwsConnectionArgs,
  resolveAwsConnection,
  wholeNumber,
} from '../options/aws-options.js';
import {
  applyOutcomeExitCode,
  applyPorts,
  readInputFile,
  requireWayToConfirm,
} from '../change-command.js';
import { CliError } from '../cli-error.js';
import { readIacSources, writePatch } from '../iac-sources.js';
import type { CliDeps } from '../deps.js';
import { exitCodeForRefusal, planExitCode } from '../exit-codes.js';
import { checkWritableFile, systemErrorCause } from '../options/file-checks.js';
import { loadConfig } from '../options/rule-config.js';
import type { ConfigArgs } from '../options/rule-options.js';
import {
  callerPacerFor,
  pacingFor,
  callerPorts,
  clockOf,
  openScanSession,
  reachCallerAccounts,
} from '../session.js';
import { toolVersion } from '../version.js';

export interface RemediateArgs extends AwsConnectionArgs, AccountArgs, ConfigArgs, ChangeProbeArgs {
  readonly mode: 'private' | 'allowlist';
  readonly 'iac-dir'?: readonly string[];
  readonly 'patch-out'?: string;
  readonly 'allow-drift': boolean;
  readonly nodes?: boolean;
  readonly 'allow-cidr'?: readonly string[];
  readonly 'allow-cidrs-file'?: string;
  readonly cluster?: readonly string[];
  readonly out?: string;
  readonly output: 'text' | 'json';
  readonly apply: boolean;
  readonly yes: boolean;
  readonly journal?: string;
  readonly timeout: string;
  readonly 'poll-interval': number;
  readonly 'apply-concurrency': number;
  readonly 'log-level': string;
}

function readCidrFile(path: string): AllowlistEntry[] {
  return readAllowlistFile(readInputFile('--allow-cidrs-file', path), path);
}

/** Every flag checked before any credential, network or file write: bad input changes nothing. */
export function resolveRequest(args: RemediateArgs): RemediationRequest {
  const flagCidrs = (args['allow-cidr'] ?? []).flatMap((v) =>
    String(v)
      .split(',')
      .map((value) => ({ value: value.trim(), source: '--allow-cidr' })),
  );
  const file = args['allow-cidrs-file'];
  if (args.mode === 'private') {
    if (flagCidrs.length > 0 || file) {
      throw new CliError(
        '--allow-cidr and --allow-cidrs-file only apply to --mode allowlist; private mode turns the public endpoint off.',
      );
    }
    return { mode: 'private' };
  }
  const parsed = parseAllowlist([...flagCidrs, ...(file ? readCidrFile(file) : [])]);
  if (!parsed.ok) throw new CliError(parsed.message);
  return { mode: 'allowlist', allowCidrs: parsed.cidrs };
}

function resolveOperatorIp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (parseIpv4Address(value.trim()) === undefined) {
    throw new CliError(
      `--my-ip "${value}" is not an IPv4 address: give the public address you reach AWS from, e.g. --my-ip 203.0.113.7 (curl -s https://checkip.amazonaws.com).`,
    );
  }
  return value.trim();
}

function resolveClusterNames(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const names = [...new Set(values.flatMap((v) => String(v).split(',')).map((v) => v.trim()))];
  const bad = names.filter((n) => !CLUSTER_NAME_PATTERN.test(n));
  if (bad.length > 0 || names.length === 0) {
    throw new CliError(
      `--cluster ${bad.map((b) => `"${b}"`).join(', ') || '""'} is not a cluster name (letters, digits, - and _, up to 100).`,
    );
  }
  return names;
}

/** --iac-dir read before any AWS call, so a bad directory costs nothing; undefined without it. */
function resolveIacSources(args: RemediateArgs, cwd: string): AsCodeRequest | undefined {
  const dirs = args['iac-dir'];
  if (dirs !== undefined && (dirs.length === 0 || dirs.some((d) => d.trim() === ''))) {
    throw new CliError(
      "--iac-dir needs a directory: the one that holds the clusters' infrastructure code, e.g. --iac-dir infra.",
    );
  }
  if (args['patch-out']?.trim() === '') {
    throw new CliError('--patch-out needs a file name, e.g. --patch-out eks-endpoint.patch.');
  }
  if (dirs === undefined) {
    if (args['patch-out'] !== undefined) {
      throw new CliError(
        "--patch-out needs --iac-dir: give the directory that holds the clusters' infrastructure code.",
      );
    }
    return undefined;
  }
  const { files, unreadable } = readIacSources(dirs, cwd);
  return { dirs, files, unreadable, patchFile: args['patch-out'] ?? null };
}

/** The formats (and their parsers) load only when --iac-dir is given. */
async function fixAsCode(plan: RemediationPlan, iac: AsCodeRequest) {
  const { IAC_FORMATS } = await import('../../iac/formats.js');
  return planFixesAsCode(IAC_FORMATS, plan, iac);
}

function writePlan(path: string, plan: RemediationPlan): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, serializePlan(plan));
  } catch (error) {
    throw new CliError(
      `cannot write the plan to ${path}: ${systemErrorCause(error)}; give a writable path with --out or --journal. Nothing was changed.`,
    );
  }
}

export async function remediate(deps: CliDeps, args: RemediateArgs): Promise<number> {
  const connection = resolveAwsConnection(args, deps.env);
  const request = resolveRequest(args);
  const operatorIp = resolveOperatorIp(args['my-ip']);
  const clusterNames = resolveClusterNames(args.cluster);
  const timeoutMs = parseDuration('timeout', args.timeout);
  const pollIntervalMs = parsePollInterval(args['poll-interval']);
  const applyConcurrency = wholeNumber('apply-concurrency', args['apply-concurrency'], 50);
  if (!args.apply && (args.journal !== undefined || args.yes)) {
    throw new CliError(
      '--journal and --yes only apply with --apply; without it nothing is changed.',
    );
  }
  if (!args.apply && args.probe) {
    throw new CliError(
      '--probe with remediate confirms changes, so it needs --apply; to probe endpoints as they are, run eksposure audit --probe.',
    );
  }
  const probe = resolveChangeProbe(args, ['probe-timeout', 'probe-wait', 'probe-concurrency']);
  checkWritableFile('--out', args.out);
  checkWritableFile('--patch-out', args['patch-out']);
  const iac = resolveIacSources(args, process.cwd());
  checkWritableFile('--journal', args.journal);
  const scope = resolveAccountScope(args);
  if (args.apply) requireWayToConfirm(deps, args.yes);
  const { config } = loadConfig(args);

  const pacing = pacingFor(scope);
  const callerPacer = callerPacerFor(deps, pacing);
  const session = await openScanSession(deps, connection, args['log-level'], callerPacer);
  const { logger, interrupt, clients } = session;
  try {
    const outcome = await planRemediation(
      {
        caller: callerPorts(deps, session, { ...connection, ...scope, pacing }, callerPacer),
        clock: clockOf(deps),
        logger,
        toolVersion,
        peakMemoryKb: () => process.resourceUsage().maxRSS,
      },
      {
        ...connection,
        homeRegion: session.homeRegion,
        scope,
        signal: interrupt.signal,
        remediation: request,
        clusterNames,
        operatorIp,
        exemptions: config.exemptions,
        managers: config.managers,
        allowDrift: args['allow-drift'],
        nodes: args.nodes === true,
        planId: deps.newId(),
      },
    );
    if (outcome.kind === 'not-selected')
      throw new CliError(outcome.message, exitCodeForRefusal(outcome.refusal));
    // Nothing is written from a plan whose facts were cut short.
    interrupt.throwIfInterrupted();
    interrupt.release();
    if (outcome.kind === 'interrupted') throw new Error('interrupted without a signal');
    if (outcome.kind === 'refused')
      throw new CliError(outcome.message, exitCodeForRefusal(outcome.refusal));
    if (outcome.kind === 'not-found') {
      throw new CliError(
        `no cluster named ${outcome.names.join(', ')} in the scanned regions (${outcome.regions.join(', ')}); check the name and --regions.`,
      );
    }
    const { plan, patch } = iac
      ? await fixAsCode(outcome.plan, iac)
      : { plan: outcome.plan, patch: '' };
    if (iac?.patchFile && patch !== '') {
      writePatch(iac.patchFile, patch, process.pid);
      deps.stderr.write(`eksposure: patch written to ${iac.patchFile}\n`);
    } else if (iac?.patchFile) {
      // Emptied rather than left alone: an older patch there is not this run's fix.
      writePatch(iac.patchFile, '', process.pid);
      deps.stderr.write(`eksposure: nothing to patch; ${iac.patchFile} is empty\n`);
    }
    logger.info(
      { throttledCalls: pacing.throttled, pacing: pacing.learned() },
      'throttled calls while planning',
    );

    // Applying without --out still keeps the plan, next to the journal, so a rerun can use it.
    const journalPath = args.journal ?? defaultJournalPath(plan.planId);
    const planPath =
      args.out ?? (args.apply ? join(dirname(journalPath), `plan-${plan.planId}.json`) : undefined);
    if (planPath) {
      writePlan(planPath, plan);
      deps.stderr.write(`eksposure: plan written to ${planPath}\n`);
    }
    if (!args.apply) {
      deps.stdout.write(
        args.output === 'json'
          ? serializePlan(plan)
          : formatPlan(plan, false, { width: deps.stdout.columns }) +
              (iac && !iac.patchFile && patch !== '' ? `\n${patch}` : ''),
      );
      return planExitCode(plan);
    }
    if (args.output === 'text')
      deps.stdout.write(formatPlan(plan, true, { width: deps.stdout.columns }));
    const caller = callerPorts(
      deps,
      session,
      { ...connection, ...scope, pacing, concurrency: applyConcurrency },
      undefined,
    );
    const accounts = await reachCallerAccounts(
      caller,
      session.homeRegion,
      plan.clusters.filter((c) => c.action === 'update'),
      { what: `the plan ${planPath ?? plan.planId}` },
    );
    try {
      const applied = await confirmAndApply(
        applyPorts(deps, { accounts, logger }, args.yes),
        plan,
        {
          journalPath,
          timeoutMs,
          pollIntervalMs,
          concurrency: applyConcurrency,
          probe: probeSettings(probe),
        },
      );
      return applyOutcomeExitCode(deps, plan, applied, args.output);
    } finally {
      accounts.destroy();
    }
  } finally {
    clients.destroy();
  }
}
