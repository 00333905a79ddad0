import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLUSTER_NAME_PATTERN } from '../../aws-names.js';
import { parseIpv4Address } from '../../net/cidr.js';
import {
  type AllowlistEntry,
  parseAllowlist,
  readAllowlistFile,
} from '../../remediation/allowlist.js';
import {
  mergeScannedPlans,
  planFromScans,
  type ScannedPlan,
} from '../../remediation/gather-plan.js';
import type { RemediationPlan } from '../../remediation/plan.js';
import { serializePlan } from '../../remediation/plan-file.js';
import { assemblePlan, type RemediationRequest } from '../../remediation/planner.js';
import { planExitCode } from '../../report/apply-report.js';
import { formatPlan } from '../../report/plan.formatter.js';
import { silentProgress } from '../../report/progress.js';
import { toolVersion } from '../../version.js';
import { type AccountArgs, resolveAccountScope } from '../account-options.js';
import { callerPacerFor, runScan } from '../account-session.js';
import { confirmAndApply, requireWayToConfirm } from '../apply-flow.js';
import { type ChangeProbeArgs, resolveChangeProbe } from '../apply-probe-options.js';
import { callerSessionOf, openAccountSessions } from '../change-accounts.js';
import { defaultJournalPath, parseDuration, parsePollInterval } from '../apply-options.js';
import { type AwsConnectionArgs, resolveAwsConnection, wholeNumber } from '../aws-options.js';
import { logFinished } from '../aws-session.js';
import { readInputFile } from '../change-command.js';
import { CliError } from '../cli-error.js';
import type { CliDeps } from '../deps.js';
import { checkWritableFile, systemErrorCause } from '../file-checks.js';
import { exemptedClusters, exemptedInAccount, loadConfig } from '../rule-config.js';
import type { ConfigArgs } from '../rule-options.js';
import { openScanSession } from '../scan-interrupt.js';

export interface RemediateArgs extends AwsConnectionArgs, AccountArgs, ConfigArgs, ChangeProbeArgs {
  readonly mode: 'private' | 'allowlist';
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
  checkWritableFile('--journal', args.journal);
  const scope = resolveAccountScope(args);
  if (args.apply) requireWayToConfirm(deps, args.yes);
  const { config } = loadConfig(args);

  const severalAccounts = scope.source.kind !== 'caller';
  const callerPacer = callerPacerFor(deps, scope);
  const session = await openScanSession(deps, connection, args['log-level'], callerPacer);
  const { logger, interrupt, clients } = session;
  try {
    const selection = { clusterNames, operatorIp, concurrency: connection.concurrency };
    const judgedAt = deps.clock();
    // Across accounts, each account is planned while its clients (its role) are still open.
    const planned: ScannedPlan[] = [];
    const outcome = await runScan(deps, session, {
      connection,
      scope,
      callerPacer,
      progress: silentProgress,
      toolVersion,
      evaluation: { exemptions: config.exemptions },
      afterScan: async (result, accountClients) => {
        if (!result.ok) return;
        const read = { account: result.target, ok: true as const, clients: accountClients };
        const exempted = exemptedInAccount(result, config.exemptions, judgedAt);
        planned.push(
          await planFromScans([{ ...read, scans: result.scans }], request, {
            ...selection,
            exempted,
          }),
        );
      },
    });
    interrupt.throwIfInterrupted();
    if (outcome.kind === 'refused') throw new CliError(outcome.message, outcome.exitCode);
    const exempted = exemptedClusters(outcome.report);
    for (const account of outcome.accounts) {
      if (!account.ok) {
        planned.push(
          await planFromScans(
            [{ account: account.target, ok: false, error: account.error }],
            request,
            selection,
          ),
        );
      } else if (!severalAccounts) {
        planned.push(
          await planFromScans(
            [{ account: account.target, ok: true, clients, scans: account.scans }],
            request,
            { ...selection, exempted },
          ),
        );
      }
    }
    const scanned = mergeScannedPlans(planned);
    // Nothing is written from a plan whose facts were cut short.
    interrupt.throwIfInterrupted();
    interrupt.release();
    if (scanned.notFound.length > 0) {
      throw new CliError(
        `no cluster named ${scanned.notFound.join(', ')} in the scanned regions (${outcome.report.regions
          .filter((r) => r.status !== 'skipped')
          .map((r) => r.region)
          .join(', ')}); check the name and --regions.`,
      );
    }
    const plan = assemblePlan(
      {
        planId: deps.newId(),
        createdAt: deps.clock(),
        toolVersion,
        mode: request.mode,
        allowCidrs: request.mode === 'allowlist' ? request.allowCidrs : null,
        operatorIp: operatorIp ?? null,
        sourceJournal: null,
        unread: scanned.unread,
      },
      scanned.clusters,
    );
    logFinished(logger, 'plan made', { planId: plan.planId, ...plan.summary });

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
          : formatPlan(plan, false, { width: deps.stdout.columns }),
      );
      return planExitCode(plan);
    }
    if (args.output === 'text')
      deps.stdout.write(formatPlan(plan, true, { width: deps.stdout.columns }));
    const caller = callerSessionOf(deps, session, connection, scope, applyConcurrency);
    const accounts = await openAccountSessions(
      caller,
      plan.clusters.filter((c) => c.action === 'update'),
      { what: `the plan ${planPath ?? plan.planId}` },
    );
    try {
      return await confirmAndApply(deps, { accounts, logger }, plan, {
        yes: args.yes,
        journalPath,
        timeoutMs,
        pollIntervalMs,
        concurrency: applyConcurrency,
        output: args.output,
        probe,
      });
    } finally {
      accounts.destroy();
    }
  } finally {
    clients.destroy();
  }
}
