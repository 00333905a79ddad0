import {
  clusterArn,
  FINDING_TYPE,
  findingUid,
  type FormatContext,
  partitionOf,
  ruleMetadata,
} from './context.js';
import {
  exemptionOf,
  exemptionText,
  findingsJsonList,
  statusOf,
  suppressionOf,
  probeNote,
} from './report-view.js';
import { type AuditReport, type Finding } from '../../model/findings.js';

export const OCSF_VERSION = '1.5.0';

// OCSF 1.5.0 enumerations (schema.ocsf.io, class Detection Finding).
const SEVERITY_IDS: Readonly<Record<string, [number, string]>> = {
  informational: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};
const STATUS_NEW: [number, string] = [1, 'New'];
const STATUS_SUPPRESSED: [number, string] = [3, 'Suppressed'];
const ACTIVITY_CREATE: [number, string] = [1, 'Create'];
const CLASS_DETECTION_FINDING = 2004;
const CATEGORY_FINDINGS = 2;
const ACCOUNT_TYPE_AWS = 10;

function ocsfFinding(
  report: AuditReport,
  f: Finding,
  account: string,
  context: FormatContext,
): object {
  const rule = ruleMetadata(context, f.ruleId);
  const time = Date.parse(report.finishedAt);
  const [severityId, severity] = SEVERITY_IDS[f.severity] ?? [0, 'Unknown'];
  const suppression = suppressionOf(f);
  const [statusId, statusName] = suppression ? STATUS_SUPPRESSED : STATUS_NEW;
  const status = statusOf(f);
  const arn = clusterArn(f.arn, account, f.region, f.clusterName);
  const probe = probeNote(f);
  return {
    message: probe ? `${f.message} (${probe})` : f.message,
    metadata: {
      event_code: f.ruleId,
      product: {
        name: 'eksposure',
        uid: 'eksposure',
        vendor_name: 'eksposure',
        version: report.tool.version,
      },
      profiles: ['cloud', 'datetime'],
      version: OCSF_VERSION,
    },
    severity_id: severityId,
    severity,
    // Prowler's status_code: PASS or FAIL; a suppressed finding still fails (status_id says Suppressed).
    status_code: status === 'SUPPRESSED' ? 'FAIL' : status,
    status_detail: suppression
      ? `${f.message} ${exemptionText(f) ?? 'suppressed'}.`
      : f.error
        ? `${f.message} ${f.error.code}: ${f.error.message}`
        : f.message,
    status_id: statusId,
    status: statusName,
    activity_id: ACTIVITY_CREATE[0],
    activity_name: ACTIVITY_CREATE[1],
    type_uid: CLASS_DETECTION_FINDING * 100 + ACTIVITY_CREATE[0],
    type_name: `Detection Finding: ${ACTIVITY_CREATE[1]}`,
    category_uid: CATEGORY_FINDINGS,
    category_name: 'Findings',
    class_uid: CLASS_DETECTION_FINDING,
    class_name: 'Detection Finding',
    time,
    time_dt: report.finishedAt,
    finding_info: {
      uid: findingUid(account, f.region, f.clusterName, f.ruleId),
      title: rule?.title ?? f.ruleId,
      desc: rule?.rationale ?? f.message,
      name: f.clusterName,
      types: [FINDING_TYPE],
      created_time: time,
      created_time_dt: report.finishedAt,
    },
    risk_details: rule?.rationale ?? f.message,
    remediation: {
      desc: rule ? `${rule.remediation.summary} AWS CLI: ${rule.remediation.cli}` : f.message,
      references: rule ? [...rule.references] : [],
    },
    resources: [
      {
        uid: arn,
        name: f.clusterName,
        type: 'AwsEksCluster',
        region: f.region,
        cloud_partition: partitionOf(f.region),
        group: { name: 'eks' },
        labels: [],
        data: {
          details: f.accessDescription ?? f.message,
          metadata: {
            clusterStatus: f.clusterStatus,
            endpointPublicAccess: f.endpointPublicAccess,
            endpointPrivateAccess: f.endpointPrivateAccess,
            publicAccessCidrs: f.publicAccessCidrs,
            accessMode: f.accessMode,
            managedBy: f.managedBy ?? null,
          },
        },
      },
    ],
    cloud: {
      provider: 'aws',
      region: f.region,
      account: { uid: account, type_id: ACCOUNT_TYPE_AWS, type: 'AWS Account' },
    },
    unmapped: {
      eksposure_status: f.status,
      ...(f.change ? { eksposure_change: f.change } : {}),
      ...(f.error ? { error: f.error } : {}),
      ...(exemptionOf(f) ? { exemption: exemptionOf(f) } : {}),
    },
  };
}

/** The findings as a JSON list of OCSF 1.5.0 Detection Findings (class 2004), the shape Prowler writes. */
export function formatOcsf(report: AuditReport, context: FormatContext): string {
  return findingsJsonList(report, (f, account) => ocsfFinding(report, f, account, context));
}
