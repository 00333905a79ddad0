/**
 * What the use cases need from outside, as small interfaces: src/aws implements the AWS ones with
 * the SDK, src/cli wires them with the journal file, the terminal and the signals. A test hands a
 * use case fakes of these, never a mocked SDK.
 */
import type { Logger } from 'pino';
import type { AccountTarget, OrganizationListing } from '../model/accounts.js';
import type { ErrorInfo } from '../model/errors.js';
import type { RegionNodes } from '../model/nodes.js';
import type {
  CallerAccount,
  RegionList,
  RegionScan,
  RegionScanOptions,
  ScanProgress,
} from '../model/scan.js';
import type {
  AsffFinding,
  FindingsListing,
  ImportOutcome,
  SecurityHubQuery,
} from '../model/security-hub.js';
import type { ChangePort } from '../remediation/change-port.js';

/** One account's Security Hub (`audit --security-hub`), region by region. */
export interface SecurityHubAws {
  /** GetFindings to the last page, filtered as `query` says; never throws. */
  getSecurityHubFindings(
    query: SecurityHubQuery,
    signal: AbortSignal | undefined,
  ): Promise<FindingsListing>;
  /** One BatchImportFindings call in `region`, at most 100 findings; never throws. */
  importSecurityHubFindings(
    region: string,
    findings: readonly AsffFinding[],
    signal: AbortSignal | undefined,
  ): Promise<ImportOutcome>;
}

/** One account's AWS calls, with that account's credentials (its role, in a run across accounts). */
export interface AccountAws extends ChangePort, SecurityHubAws {
  /** EC2 DescribeRegions in `homeRegion`; never throws. */
  listRegions(homeRegion: string, signal: AbortSignal | undefined): Promise<RegionList>;
  /** ListClusters to the last page, each cluster described; never throws. */
  scanRegion(
    region: string,
    options: RegionScanOptions,
    progress: ScanProgress,
  ): Promise<RegionScan>;
  /**
   * The region's nodes of the clusters named: DescribeInstances (running and pending, tagged for a
   * cluster) to the last page, their security groups, and the prefix lists those name; never throws.
   */
  describeNodes(
    region: string,
    clusterNames: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<RegionNodes>;
  /** STS GetCallerIdentity: the account these credentials act in; never throws. */
  callerAccount(region: string, signal: AbortSignal | undefined): Promise<CallerAccount>;
  /** Ends every call in flight (it fails with an AbortError), refuses new ones, closes connections. */
  destroy(): void;
}

/** An account's AWS, its role assumed, or why it cannot be had. */
export type OpenedAccount =
  | { readonly ok: true; readonly aws: AccountAws }
  | { readonly ok: false; readonly error: ErrorInfo };

/** The caller's own credentials, and how the other accounts of a run are reached from them. */
export interface CallerAws {
  /** The caller's own account. */
  readonly own: AccountAws;
  /** Organizations ListAccounts (or, under an OU, the accounts beneath it); never throws. */
  listOrganizationAccounts(
    parentId: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<OrganizationListing>;
  /** Assumes the target's role now and makes its clients; the caller destroys them when done. */
  openAccount(target: AccountTarget): Promise<OpenedAccount>;
}

/** Where a use case's log lines go (pino's interface; a test passes a silent one). */
export type Log = Logger;

/** One human line per event, for stderr (the CLI prefixes it with "eksposure: "). */
export type ProgressLine = (line: string) => void;
