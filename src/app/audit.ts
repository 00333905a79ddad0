import type { Exemption } from '../config/config.js';
import type { DeclaredManager } from '../model/managed-by.js';
import type { AuditReport } from '../model/findings.js';
import type { ProbeReport } from '../model/probe.js';
import type { AccountScanResult } from '../model/scan.js';
import { probeTargets } from '../probe/probe-clusters.js';
import type { Rule, RuleContext } from '../rules/types.js';
import type { NotSelected, Refused } from './outcomes.js';
import { scan, type ScanPorts, type ScanRequest } from './scan-accounts.js';

/** --probe on an audit: each public endpoint probed from this machine. */
export interface AuditProbe {
  readonly timeoutMs: number;
  /** --my-ip: where "not reachable" holds from. */
  readonly vantage: string | null;
  /** Endpoints probed at once. */
  readonly concurrency: number;
}

export interface AuditPorts extends ScanPorts {
  /**
   * Probes every public endpoint of the scanned accounts, TLS verified against each cluster's CA;
   * once `signal` aborts, those in flight end and no more start. Keyed by cluster ARN.
   */
  probeEndpoints(
    accounts: readonly AccountScanResult[],
    probe: AuditProbe,
    signal: AbortSignal,
  ): Promise<ReadonlyMap<string, ProbeReport>>;
}

export interface AuditRequest extends Omit<ScanRequest, 'afterScan' | 'evaluation'> {
  readonly rules: readonly Rule[];
  readonly ruleContext: RuleContext;
  readonly exemptions: readonly Exemption[];
  readonly managers: readonly DeclaredManager[];
  /** --probe, with its settings; null without. */
  readonly probe: AuditProbe | null;
}

export type AuditRunOutcome =
  | { readonly kind: 'report'; readonly report: AuditReport }
  /** SIGINT/SIGTERM: a scan cut short is not reported (its errors are ours, not the account's). */
  | { readonly kind: 'interrupted' }
  | Refused
  | NotSelected;

/** audit: every account and region in scope read, every cluster judged by the rules asked for. */
export async function audit(ports: AuditPorts, request: AuditRequest): Promise<AuditRunOutcome> {
  const { probe, signal } = request;
  const outcome = await scan(ports, {
    ...request,
    evaluation: {
      rules: request.rules,
      ruleContext: request.ruleContext,
      exemptions: request.exemptions,
      managers: request.managers,
      ...(probe && {
        keepCertificateAuthority: true,
        probe: async (accounts) => {
          const endpoints = probeTargets(accounts).length;
          ports.logger.info({ endpoints, vantage: probe.vantage }, 'probing public endpoints');
          const probes = await ports.probeEndpoints(accounts, probe, signal);
          ports.logger.info({ endpoints: probes.size }, 'probes done');
          return probes;
        },
      }),
    },
  });
  if (outcome.kind === 'not-selected') return outcome;
  if (signal.aborted) return { kind: 'interrupted' };
  if (outcome.kind === 'refused') return outcome;
  return { kind: 'report', report: outcome.report };
}
