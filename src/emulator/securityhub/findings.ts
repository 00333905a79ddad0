/**
 * Security Hub's findings in one account and region: BatchImportFindings' checks and GetFindings'
 * filters, apart from the wire (securityhub-api.ts). Where AWS documents a behaviour this follows
 * it; where a comment says "our reading", AWS does not say and this is a guess.
 */
import { ApiError } from '../errors.js';
import { decodePageToken, encodePageToken } from '../page-token.js';
import { isJsonObject, type JsonObject } from '../validation.js';

/** A region's Security Hub: whether the account has enabled it there, and its findings by Id. */
export interface SecurityHubState {
  enabled: boolean;
  /** Insertion order is GetFindings' order. */
  readonly findings: Map<string, JsonObject>;
}

export const newSecurityHub = (enabled = true): SecurityHubState => ({
  enabled,
  findings: new Map(),
});

/** AWS: at most 100 findings a BatchImportFindings call, and 100 a GetFindings page. */
export const MAX_FINDINGS = 100;
/** AWS: "The maximum allowed size for a finding is 240 Kb." */
const MAX_FINDING_BYTES = 240 * 1024;

/**
 * The ASFF attributes AWS requires of every imported finding (Security Hub User Guide, "Required
 * top-level attributes").
 */
const REQUIRED = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
] as const;

/** The required attributes that are strings (the others are Resources, Severity and Types). */
const REQUIRED_STRINGS = REQUIRED.filter(
  (f) => f !== 'Resources' && f !== 'Severity' && f !== 'Types',
);

/** AWS: "Account <id> is not subscribed to AWS Security Hub" (moto says it without the id). */
export const notSubscribedMessage = (accountId: string) =>
  `Account ${accountId} is not subscribed to AWS Security Hub`;

/** GetFindings and the other operations where Security Hub is off: InvalidAccessException, HTTP 401. */
export const notSubscribed = (accountId: string) =>
  new ApiError(401, 'InvalidAccessException', notSubscribedMessage(accountId), {
    Code: 'InvalidAccessException',
  });

export interface FailedFinding {
  readonly Id: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/**
 * Why AWS would refuse this finding, or undefined. The wording "Finding does not adhere to Amazon
 * Finding Format" and the error code InvalidInput are our reading of what AWS answers.
 */
function problemOf(finding: JsonObject): string | undefined {
  for (const field of REQUIRED) {
    const value = finding[field];
    if (value === undefined || value === null || value === '')
      return `Finding does not adhere to Amazon Finding Format. data should have required property '${field}'`;
  }
  for (const field of REQUIRED_STRINGS)
    if (typeof finding[field] !== 'string')
      return `Finding does not adhere to Amazon Finding Format. data.${field} should be string`;
  const resources = finding.Resources;
  if (!Array.isArray(resources) || resources.length === 0 || resources.length > 32)
    return 'Finding does not adhere to Amazon Finding Format. data.Resources should be an array of 1 to 32 resources';
  for (const [i, resource] of resources.entries())
    if (
      !isJsonObject(resource) ||
      typeof resource.Id !== 'string' ||
      typeof resource.Type !== 'string'
    )
      return `Finding does not adhere to Amazon Finding Format. data.Resources[${i}] should have required properties 'Id' and 'Type'`;
  const types = finding.Types;
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string'))
    return 'Finding does not adhere to Amazon Finding Format. data.Types should be a non-empty array of strings';
  const severity = finding.Severity;
  if (
    !isJsonObject(severity) ||
    (severity.Label === undefined && severity.Normalized === undefined)
  )
    return "Finding does not adhere to Amazon Finding Format. data.Severity should have required property 'Label'";
  for (const field of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt'])
    if (
      finding[field] !== undefined &&
      (typeof finding[field] !== 'string' || Number.isNaN(Date.parse(finding[field])))
    )
      return `Finding does not adhere to Amazon Finding Format. data.${field} should match format "date-time"`;
  if (
    finding.RecordState !== undefined &&
    !['ACTIVE', 'ARCHIVED'].includes(finding.RecordState as string)
  )
    return 'Finding does not adhere to Amazon Finding Format. data.RecordState should be equal to one of the allowed values';
  return undefined;
}

/** The default product of an account in a region: the one a customer's own findings go to. */
export const defaultProductArn = (region: string, accountId: string) =>
  `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;

/**
 * BatchImportFindings, after the request's own checks. AWS: a finding for another account than the
 * caller's, or for a product ARN of another account or region, refuses the whole call with
 * AccessDeniedException "... is not authorized to perform: securityhub:BatchImportFindings on
 * resource: PRODUCT_ARN" (AWS Support's answer in prowler-cloud/prowler#867; the region case in
 * #618). Findings cannot be imported where Security Hub is off: those come back in FailedFindings
 * (InvalidAccess). The others are created, or updated by Id; an update whose UpdatedAt is not later
 * than the stored one's is ignored, and still counted a success (the user guide, "Determining
 * whether to create or update a finding"). FindingSizeExceeded for a finding too large is our
 * reading.
 */
export function importFindings(
  hub: SecurityHubState,
  region: string,
  accountId: string,
  findings: readonly unknown[],
  now: Date,
): { SuccessCount: number; FailedCount: number; FailedFindings: FailedFinding[] } {
  const foreign = findings.find(
    (item) =>
      isJsonObject(item) &&
      (item.AwsAccountId !== accountId || item.ProductArn !== defaultProductArn(region, accountId)),
  );
  if (isJsonObject(foreign)) {
    throw new ApiError(
      403,
      'AccessDeniedException',
      `User: arn:aws:iam::${accountId}:root is not authorized to perform: securityhub:BatchImportFindings on resource: ${String(foreign.ProductArn)}`,
      { Code: 'AccessDeniedException' },
    );
  }
  const failed: FailedFinding[] = [];
  let success = 0;
  for (const item of findings) {
    const finding = isJsonObject(item) ? item : {};
    const id = typeof finding.Id === 'string' ? finding.Id : '';
    const fail = (ErrorCode: string, ErrorMessage: string) =>
      failed.push({ Id: id, ErrorCode, ErrorMessage });
    if (!hub.enabled) {
      fail('InvalidAccess', notSubscribedMessage(accountId));
      continue;
    }
    if (Buffer.byteLength(JSON.stringify(item)) > MAX_FINDING_BYTES) {
      fail('FindingSizeExceeded', 'Finding size exceeded 240 KB');
      continue;
    }
    const problem = problemOf(finding);
    if (problem) {
      fail('InvalidInput', problem);
      continue;
    }
    const earlier = hub.findings.get(id);
    if (
      earlier &&
      !(Date.parse(String(finding.UpdatedAt)) > Date.parse(String(earlier.UpdatedAt)))
    ) {
      success += 1;
      continue;
    }
    // AWS: BatchImportFindings cannot change Workflow and a few other fields once the finding
    // exists; Security Hub sets Region, ProcessedAt and the workflow itself.
    hub.findings.set(id, {
      ...finding,
      Region: region,
      RecordState: finding.RecordState ?? 'ACTIVE',
      Workflow: earlier?.Workflow ?? { Status: 'NEW' },
      WorkflowState: earlier?.WorkflowState ?? 'NEW',
      ProcessedAt: now.toISOString(),
    });
    success += 1;
  }
  return { SuccessCount: success, FailedCount: failed.length, FailedFindings: failed };
}

/** GetFindings' StringFilter fields the emulator serves, and where each is in a finding. */
const STRING_FIELDS: Readonly<Record<string, (f: JsonObject) => unknown>> = {
  Id: (f) => f.Id,
  ProductArn: (f) => f.ProductArn,
  GeneratorId: (f) => f.GeneratorId,
  AwsAccountId: (f) => f.AwsAccountId,
  Region: (f) => f.Region,
  RecordState: (f) => f.RecordState,
  ProductName: (f) => f.ProductName,
  CompanyName: (f) => f.CompanyName,
  ComplianceStatus: (f) => (isJsonObject(f.Compliance) ? f.Compliance.Status : undefined),
  WorkflowStatus: (f) => (isJsonObject(f.Workflow) ? f.Workflow.Status : undefined),
};

/** A field's filters: EQUALS values are ORed (AWS: "filters on the same field are joined by OR"). */
function matcherOf(field: string, filters: unknown): (f: JsonObject) => boolean {
  const read = STRING_FIELDS[field];
  if (!read || !Array.isArray(filters))
    throw new ApiError(
      400,
      'InvalidInputException',
      `Invalid filter ${field}: the emulator serves StringFilter EQUALS on ${Object.keys(STRING_FIELDS).join(', ')}.`,
      { Code: 'InvalidInputException' },
    );
  const values = filters.map((filter) => {
    if (!isJsonObject(filter) || typeof filter.Value !== 'string' || filter.Comparison !== 'EQUALS')
      throw new ApiError(
        400,
        'InvalidInputException',
        `Invalid filter ${field}: the emulator serves Comparison EQUALS with a string Value.`,
        { Code: 'InvalidInputException' },
      );
    return filter.Value;
  });
  return (f) => values.includes(read(f) as string);
}

function decodeToken(token: string, scope: string): number {
  const offset = decodePageToken(token, scope);
  if (offset !== undefined) return offset;
  throw new ApiError(400, 'InvalidInputException', 'The NextToken is invalid.', {
    Code: 'InvalidInputException',
  });
}

/** GetFindings: the findings every filter matches, a page at a time (MaxResults 1 to 100). */
export function getFindings(
  hub: SecurityHubState,
  scope: string,
  accountId: string,
  request: JsonObject,
): { Findings: JsonObject[]; NextToken?: string } {
  if (!hub.enabled) throw notSubscribed(accountId);
  const filters = request.Filters === undefined ? {} : request.Filters;
  if (!isJsonObject(filters))
    throw new ApiError(400, 'InvalidInputException', 'Filters must be an object.', {
      Code: 'InvalidInputException',
    });
  const matchers = Object.entries(filters).map(([field, list]) => matcherOf(field, list));
  const max = request.MaxResults === undefined ? MAX_FINDINGS : request.MaxResults;
  if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > MAX_FINDINGS)
    throw new ApiError(
      400,
      'InvalidInputException',
      `MaxResults must be a number between 1 and ${MAX_FINDINGS}.`,
      { Code: 'InvalidInputException' },
    );
  const matching = [...hub.findings.values()].filter((f) => matchers.every((m) => m(f)));
  const token = request.NextToken;
  const start = typeof token === 'string' && token !== '' ? decodeToken(token, scope) : 0;
  const end = start + (max as number);
  const page = matching.slice(start, end);
  return end < matching.length
    ? { Findings: page, NextToken: encodePageToken(scope, end) }
    : { Findings: page };
}
