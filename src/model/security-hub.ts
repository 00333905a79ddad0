/**
 * What eksposure sends to and reads from AWS Security Hub (`audit --security-hub`), and what the
 * audit report says of it (`securityHub`, since 2.5.0).
 */
import type { ErrorInfo } from './errors.js';

/**
 * A finding in AWS Security Finding Format, as BatchImportFindings takes it and GetFindings
 * answers it: the fields eksposure reads are typed, the others are carried as they are.
 */
export interface AsffFinding {
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly CreatedAt?: string;
  readonly UpdatedAt?: string;
  readonly FirstObservedAt?: string;
  readonly RecordState?: string;
  readonly Resources?: readonly { readonly Region?: string; readonly [field: string]: unknown }[];
  readonly [field: string]: unknown;
}

/** Which earlier findings GetFindings is asked for: ours, active, in one account and region. */
export interface SecurityHubQuery {
  readonly accountId: string;
  readonly region: string;
  /** The default product of the account in the region (the one eksposure imports into). */
  readonly productArn: string;
  /** `eksposure/<rule id>` of each rule this run covered. */
  readonly generatorIds: readonly string[];
}

/** A finding BatchImportFindings refused, as AWS lists it in FailedFindings. */
export interface FailedFinding {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** One BatchImportFindings call: the findings it refused, or why the whole call failed. */
export type ImportOutcome =
  | { readonly ok: true; readonly failed: readonly FailedFinding[] }
  | { readonly ok: false; readonly error: ErrorInfo };

/** GetFindings to the last page: the findings, or why they could not be read. */
export type FindingsListing =
  | { readonly ok: true; readonly findings: readonly AsffFinding[] }
  | { readonly ok: false; readonly error: ErrorInfo };

/**
 * What became of one account and region: synced; Security Hub not enabled there; an error
 * (GetFindings or BatchImportFindings failed); or skipped (nothing to send and nothing this run
 * may archive, e.g. a region that could not be read).
 */
export type SecurityHubTargetStatus = 'ok' | 'not-enabled' | 'error' | 'skipped';

export interface SecurityHubTarget {
  readonly accountId: string;
  readonly region: string;
  readonly status: SecurityHubTargetStatus;
  /** Findings new to Security Hub (or brought back from archived). */
  readonly imported: number;
  /** Active findings updated in place (same Id). */
  readonly updated: number;
  /** Earlier findings archived: the cluster passes now, is exempted, or is gone. */
  readonly archived: number;
  /** Findings BatchImportFindings refused (listed in `failedFindings`). */
  readonly failed: number;
  /** Why nothing was archived here although the target was synced or skipped; null otherwise. */
  readonly archiveSkipped: string | null;
  readonly error: ErrorInfo | null;
}

/** The report's `securityHub`: totals, each account and region, each refused finding. */
export interface SecurityHubSummary {
  /** --security-hub-regions, or null: every region the run scanned. */
  readonly regions: readonly string[] | null;
  readonly imported: number;
  readonly updated: number;
  readonly archived: number;
  readonly failed: number;
  /** Sorted by account, then region. */
  readonly targets: readonly SecurityHubTarget[];
  readonly failedFindings: readonly (FailedFinding & {
    readonly accountId: string;
    readonly region: string;
  })[];
}
