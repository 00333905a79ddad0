import { metadata as eks001 } from '../../src/rules/eks-001-endpoint-public-access.js';
import {
  type AccountResult,
  type AuditReport,
  type Finding,
  type RegionResult,
} from '../../src/model/findings.js';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';

/** Text a formatter must escape in every format: markup, quotes, separators, a line break. */
export const HOSTILE_TEXT = `<script>alert("x")</script> & 'q', "a|b"\nnext`;

/*
 * The samples are built as plain objects and cast: they carry the fields of report 2.0.0
 * (accountId, accounts[]; exemption, evidence, suppressed), and a finding with `accountId: null`
 * has none (a report before 2.0.0).
 */
type FindingInput = Partial<Omit<Finding, 'accountId' | 'exemption'>> & {
  readonly clusterName: string;
  readonly accountId?: string | null;
  readonly exemption?: {
    readonly reason: string;
    readonly expires: string;
    readonly expired: boolean;
  };
};

export function sampleFinding(input: FindingInput): Finding {
  const region = input.region ?? 'us-east-1';
  const { accountId = ACCOUNT_A, ...rest } = input;
  const account = accountId ?? ACCOUNT_A;
  const open = input.status === 'FAIL';
  const finding = {
    ...(accountId === null ? {} : { accountId }),
    ruleId: 'EKS-001',
    status: 'PASS',
    severity: 'medium',
    region,
    arn: `arn:aws:eks:${region}:${account}:cluster/${input.clusterName}`,
    clusterStatus: 'ACTIVE',
    endpointPublicAccess: true,
    endpointPrivateAccess: true,
    publicAccessCidrs: open ? ['0.0.0.0/0'] : ['203.0.113.0/24'],
    accessMode: open ? 'public-open' : 'public-restricted',
    accessDescription: open
      ? 'public open (private on)'
      : 'public restricted to 1 CIDR (private on)',
    message: open
      ? 'API endpoint is public and open to the internet (0.0.0.0/0).'
      : 'API endpoint is public restricted to 1 CIDR (private on).',
    error: null,
    evidence: null,
    exemption: null,
    ...rest,
  };
  return finding as unknown as Finding;
}

/** An account of a report, read as asked. */
export const accountResult = (
  accountId: string,
  extra: Partial<AccountResult> = {},
): AccountResult => ({
  accountId,
  name: null,
  status: 'ok',
  roleArn: null,
  error: null,
  reason: null,
  ...extra,
});

/** A region of a report, read with no cluster in it unless `extra` says otherwise. */
export const regionResult = (
  accountId: string,
  name: string,
  extra: Partial<RegionResult> = {},
): RegionResult => ({
  accountId,
  region: name,
  status: 'ok',
  optInStatus: 'opt-in-not-required',
  clusterCount: 0,
  error: null,
  reason: null,
  ...extra,
});

/**
 * Two accounts; failing (one past its exemption's expiry), passing, suppressed and unreadable
 * clusters; a region denied;
 * a message full of characters every format must escape.
 */
export function sampleReport(findings: readonly Finding[] = sampleFindings()): AuditReport {
  const fail = findings.filter((f) => f.status === 'FAIL').length;
  const pass = findings.filter((f) => f.status === 'PASS').length;
  const error = findings.filter((f) => f.status === 'ERROR').length;
  const suppressed = findings.filter((f) => (f.status as string) === 'SUPPRESSED').length;
  const accountIds = [ACCOUNT_A, ACCOUNT_B];
  const report = {
    schemaVersion: '2.0.0',
    tool: { name: 'eksposure', version: '0.1.0' },
    startedAt: '2026-11-25T10:00:00.000Z',
    finishedAt: '2026-11-25T10:00:02.500Z',
    homeRegion: 'us-east-1',
    requestedRegions: null,
    shard: null,
    complete: false,
    summary: {
      accounts: 2,
      accountsScanned: 2,
      accountsFailed: 0,
      accountsSkipped: 0,
      regionsScanned: 3,
      regionsSkipped: 0,
      regionsFailed: 1,
      clusters: findings.length,
      pass,
      fail,
      error,
      suppressed,
    },
    rules: [{ id: eks001.id, title: eks001.title, severity: eks001.severity, aliases: [] }],
    accounts: accountIds.map((accountId) => accountResult(accountId)),
    exemptions: [],
    regions: [
      regionResult(ACCOUNT_A, 'us-east-1', { clusterCount: 3 }),
      regionResult(ACCOUNT_B, 'eu-west-1', { clusterCount: 2 }),
      regionResult(ACCOUNT_A, 'ap-south-1', {
        status: 'error',
        clusterCount: null,
        error: {
          code: 'AccessDeniedException',
          message: 'not authorized to perform: eks:ListClusters',
        },
      }),
    ],
    findings,
  };
  return report as unknown as AuditReport;
}

export function sampleFindings(): Finding[] {
  return [
    sampleFinding({ clusterName: 'payments-prod', status: 'FAIL', message: HOSTILE_TEXT }),
    sampleFinding({ clusterName: 'billing', status: 'PASS' }),
    sampleFinding({
      clusterName: 'legacy',
      status: 'FAIL',
      exemption: { reason: 'migration, ticket SEC-99', expires: '2026-01-15', expired: true },
    }),
    sampleFinding({
      clusterName: 'sandbox-demo',
      status: 'SUPPRESSED',
      publicAccessCidrs: ['0.0.0.0/0'],
      exemption: { reason: 'vendor demo, ticket SEC-142', expires: '2027-03-31', expired: false },
    }),
    sampleFinding({
      clusterName: 'broken',
      accountId: ACCOUNT_A,
      status: 'ERROR',
      arn: null,
      clusterStatus: null,
      endpointPublicAccess: null,
      endpointPrivateAccess: null,
      publicAccessCidrs: null,
      accessMode: null,
      accessDescription: null,
      message: 'The cluster could not be described.',
      error: { code: 'ThrottlingException', message: 'Rate exceeded' },
    }),
    sampleFinding({
      clusterName: 'eu-open',
      region: 'eu-west-1',
      accountId: ACCOUNT_B,
      status: 'FAIL',
    }),
    sampleFinding({
      clusterName: 'eu-private',
      region: 'eu-west-1',
      accountId: ACCOUNT_B,
      endpointPublicAccess: false,
      accessMode: 'private',
      accessDescription: 'private only',
    }),
  ];
}

export const SAMPLE_RULES = [eks001];
