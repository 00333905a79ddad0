import {
  clusterArn,
  FINDING_TYPE,
  findingUid,
  type FormatContext,
  partitionOf,
  ruleMetadata,
  truncate,
} from './context.js';
import {
  exemptionOf,
  findingAccounts,
  findingsJsonList,
  managerEvidence,
  probeNote,
  statusOf,
} from './report-view.js';
import { type AuditReport, type Finding } from '../../model/findings.js';
import type { AsffFinding } from '../../model/security-hub.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

const COMPLIANCE = {
  PASS: 'PASSED',
  FAIL: 'FAILED',
  SUPPRESSED: 'FAILED',
  ERROR: 'NOT_AVAILABLE',
} as const;

/**
 * Security Hub's default product for findings a customer imports: it accepts only findings of the
 * account that calls BatchImportFindings, in the region it is called in.
 */
export function defaultProductArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

function productFields(f: Finding): Record<string, string> {
  const exemption = exemptionOf(f);
  const fields: Record<string, string | null | undefined> = {
    'eksposure/Status': f.status,
    'eksposure/AccessMode': f.accessMode,
    'eksposure/AccessDescription': f.accessDescription,
    'eksposure/EndpointPublicAccess': f.endpointPublicAccess?.toString(),
    'eksposure/EndpointPrivateAccess': f.endpointPrivateAccess?.toString(),
    // The ASFF AwsEksCluster details have no field for the allowlist.
    'eksposure/PublicAccessCidrs': f.publicAccessCidrs?.join(','),
    'eksposure/ErrorCode': f.error?.code,
    'eksposure/ExemptionReason': exemption?.reason,
    'eksposure/ExemptionExpires': exemption?.expires,
    'eksposure/ExemptionExpired': exemption?.expired.toString(),
    'eksposure/ManagedBy': f.managedBy?.tool,
    'eksposure/ManagedByEvidence': managerEvidence(f),
    // With --baseline: new, unchanged, changed, resolved or not-rescanned since that report.
    'eksposure/Change': f.change,
  };
  // Security Hub refuses empty values: a field that says nothing is left out.
  return Object.fromEntries(
    Object.entries(fields).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
    ),
  );
}

/** The generator of a rule's findings: what `audit --security-hub` finds its earlier findings by. */
export const generatorIdOf = (ruleId: string) => `eksposure/${ruleId}`;

function asffFinding(
  report: AuditReport,
  f: Finding,
  account: string,
  context: FormatContext,
): AsffFinding {
  const rule = ruleMetadata(context, f.ruleId);
  const status = statusOf(f);
  const arn = clusterArn(f.arn, account, f.region, f.clusterName);
  const title = `${f.ruleId} ${rule?.title ?? ''}: ${f.clusterName} (${f.region})`.replace(
    '  ',
    ' ',
  );
  const description = [f.message, probeNote(f), rule?.rationale].filter(Boolean).join(' ');
  const reference = rule?.references[0];
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingUid(account, f.region, f.clusterName, f.ruleId),
    ProductArn: defaultProductArn(account, f.region),
    ProductName: 'eksposure',
    CompanyName: 'eksposure',
    GeneratorId: generatorIdOf(f.ruleId),
    AwsAccountId: account,
    Types: [FINDING_TYPE],
    CreatedAt: report.finishedAt,
    UpdatedAt: report.finishedAt,
    FirstObservedAt: report.finishedAt,
    LastObservedAt: report.finishedAt,
    // Security Hub's own controls rate a passed check INFORMATIONAL; Original keeps the rule's.
    Severity: {
      Label:
        status === 'FAIL' || status === 'SUPPRESSED' ? f.severity.toUpperCase() : 'INFORMATIONAL',
      Original: f.severity.toUpperCase(),
    },
    Title: truncate(title, 256),
    Description: truncate(description, 1024),
    ...(rule
      ? {
          Remediation: {
            Recommendation: {
              Text: truncate(rule.remediation.summary, 512),
              ...(reference ? { Url: reference } : {}),
            },
          },
        }
      : {}),
    ProductFields: productFields(f),
    Resources: [
      {
        Type: 'AwsEksCluster',
        Id: arn,
        Partition: partitionOf(f.region),
        Region: f.region,
        Details: {
          AwsEksCluster: {
            Name: f.clusterName,
            Arn: arn,
            ...(f.clusterStatus ? { Status: f.clusterStatus } : {}),
            ...(f.endpointPublicAccess === null
              ? {}
              : { ResourcesVpcConfig: { EndpointPublicAccess: f.endpointPublicAccess } }),
          },
        },
      },
    ],
    // PASSED resolves what an earlier scan reported FAILED for the same Id.
    Compliance: { Status: COMPLIANCE[status] },
    RecordState: 'ACTIVE',
  };
}

/**
 * Each finding of the report beside its ASFF form (the Id is stable: account, region, cluster and
 * rule, so a later run updates the same Security Hub finding).
 */
export function asffFindings(
  report: AuditReport,
  context: FormatContext,
): { readonly finding: Finding; readonly asff: AsffFinding }[] {
  const accountOf = findingAccounts(report);
  return report.findings.map((finding) => ({
    finding,
    asff: asffFinding(report, finding, accountOf(finding), context),
  }));
}

/**
 * The findings in AWS Security Finding Format, as the JSON list that
 * `aws securityhub batch-import-findings --findings file://...` takes (at most 100 a call: split
 * it). A region that could not be listed has no cluster to be a resource: it is in the other
 * formats, not here.
 */
export function formatAsff(report: AuditReport, context: FormatContext): string {
  return findingsJsonList(report, (f, account) => asffFinding(report, f, account, context));
}
