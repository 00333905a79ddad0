import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors.js';
import type {
  CallContext,
  IncomingCall,
  RoutedCall,
  ServiceApi,
  WireResponse,
} from '../service-api.js';
import type { Caller, RoleRecord } from '../state.js';
import { element, escapeXml, textElement } from '../xml.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const MIN_DURATION = 900;
const MAX_DURATION = 43200;
const DEFAULT_DURATION = 3600;
/** A role assumed with an assumed role's keys lasts at most an hour (IAM User Guide, "role chaining"). */
const CHAINED_MAX_DURATION = 3600;
const ROLE_ARN =
  /^arn:aws[a-z-]*:iam::(?<account>\d{12}):role\/(?:[\w+=,.@/-]*\/)?(?<name>[\w+=,.@-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;

/** STS's input validation, worded as its model validation words it. */
function validationError(field: string, value: string | null, constraint: string): ApiError {
  const shown = value === null ? 'null' : `'${value}'`;
  return new ApiError(
    400,
    'ValidationError',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: Member must ${constraint}`,
  );
}

function checkLength(field: string, value: string, min: number, max: number): void {
  if (value.length < min)
    throw validationError(field, value, `have length greater than or equal to ${min}`);
  if (value.length > max)
    throw validationError(field, value, `have length less than or equal to ${max}`);
}

function durationOf(params: URLSearchParams): number | undefined {
  const text = params.get('DurationSeconds');
  if (text === null) return undefined;
  const duration = Number(text);
  if (!Number.isInteger(duration))
    throw new ApiError(400, 'ValidationError', `Invalid value for DurationSeconds: ${text}`);
  if (duration < MIN_DURATION)
    throw validationError(
      'durationSeconds',
      text,
      `have value greater than or equal to ${MIN_DURATION}`,
    );
  if (duration > MAX_DURATION)
    throw validationError(
      'durationSeconds',
      text,
      `have value less than or equal to ${MAX_DURATION}`,
    );
  return duration;
}

/** ISO 8601 without milliseconds, as STS writes Expiration. */
const isoSeconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

function denied(caller: Caller, roleArn: string): ApiError {
  return new ApiError(
    403,
    'AccessDenied',
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  );
}

/**
 * AWS checks the trust policy: a role that does not exist, one that does not trust the caller's
 * account, and a missing or wrong ExternalId all answer the same AccessDenied.
 */
function findAssumableRole(
  { state, caller }: CallContext,
  roleArn: string,
  externalId: string | null,
): RoleRecord {
  const match = ROLE_ARN.exec(roleArn);
  // That an ARN which is not a role's answers ValidationError is our reading.
  if (!match?.groups) throw new ApiError(400, 'ValidationError', `${roleArn} is invalid`);
  const account = state.accounts.get(match.groups.account ?? '');
  const role = account?.roles.get(match.groups.name ?? '');
  if (!role || role.arn !== roleArn) throw denied(caller, roleArn);
  if (role.trustedAccounts && !role.trustedAccounts.includes(caller.accountId))
    throw denied(caller, roleArn);
  if (role.externalId !== undefined && role.externalId !== externalId)
    throw denied(caller, roleArn);
  return role;
}

function assumeRole(context: CallContext, params: URLSearchParams): string {
  const roleArn = params.get('RoleArn');
  if (roleArn === null) throw validationError('roleArn', null, 'not be null');
  checkLength('roleArn', roleArn, 20, 2048);
  const sessionName = params.get('RoleSessionName');
  if (sessionName === null) throw validationError('roleSessionName', null, 'not be null');
  checkLength('roleSessionName', sessionName, 2, 64);
  if (!SESSION_NAME.test(sessionName))
    throw validationError(
      'roleSessionName',
      sessionName,
      'satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  const externalId = params.get('ExternalId');
  if (externalId !== null) {
    checkLength('externalId', externalId, 2, 1224);
    if (!EXTERNAL_ID.test(externalId))
      throw validationError(
        'externalId',
        externalId,
        'satisfy regular expression pattern: [\\w+=,.@:\\/-]*',
      );
  }
  const requested = durationOf(params);
  const role = findAssumableRole(context, roleArn, externalId);
  if (requested !== undefined && requested > role.maxSessionDuration)
    throw new ApiError(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  if (requested !== undefined && context.caller.session && requested > CHAINED_MAX_DURATION)
    throw new ApiError(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  const duration = requested ?? DEFAULT_DURATION;
  const accountId = role.arn.split(':')[4] ?? '';
  const assumedRoleId = `${role.roleId}:${sessionName}`;
  const assumedArn = `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`;
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const sessionToken = `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`;
  const expiration = new Date(context.now.getTime() + duration * 1000);
  context.state.accessKeys.set(accessKeyId, {
    accountId,
    arn: assumedArn,
    userId: assumedRoleId,
    session: { role, sessionName, sessionToken, expiresAt: expiration },
  });
  return element(
    'AssumeRoleResult',
    element(
      'AssumedRoleUser',
      textElement('AssumedRoleId', assumedRoleId) + textElement('Arn', assumedArn),
    ) +
      element(
        'Credentials',
        textElement('AccessKeyId', accessKeyId) +
          textElement('SecretAccessKey', randomBytes(30).toString('base64')) +
          textElement('SessionToken', sessionToken) +
          textElement('Expiration', isoSeconds(expiration)),
      ),
  );
}

function getCallerIdentity({ caller }: CallContext): string {
  return element(
    'GetCallerIdentityResult',
    textElement('Arn', caller.arn) +
      textElement('UserId', caller.userId) +
      textElement('Account', caller.accountId),
  );
}

const OPERATIONS: Record<
  string,
  { resource: (p: URLSearchParams) => string; run: (c: CallContext, p: URLSearchParams) => string }
> = {
  AssumeRole: { resource: (p) => p.get('RoleArn') ?? '*', run: assumeRole },
  GetCallerIdentity: { resource: () => '*', run: getCallerIdentity },
};

/** STS: the query protocol, answered in XML with STS's namespace. */
export const stsApi: ServiceApi = {
  service: 'sts',
  regional: false,
  route(call: IncomingCall): RoutedCall | ApiError {
    const params = new URLSearchParams(call.method === 'POST' ? call.body : call.query);
    const action = params.get('Action') ?? '';
    const operation = OPERATIONS[action];
    if (!operation || params.get('Version') !== VERSION)
      return new ApiError(
        400,
        'InvalidAction',
        `Could not find operation ${escapeXml(action)} for version ${escapeXml(params.get('Version') ?? 'NO_VERSION_SPECIFIED')}`,
      );
    return {
      operation: action,
      resource: operation.resource(params),
      invoke: (context) => operation.run(context, params),
    };
  },
  success(call, payload, requestId): WireResponse {
    const name = `${call.operation}Response`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: `<${name} xmlns="${NAMESPACE}">${String(payload)}${element('ResponseMetadata', element('RequestId', requestId))}</${name}>`,
    };
  },
  failure(error, requestId): WireResponse {
    const errorXml = element(
      'Error',
      element('Type', error.status >= 500 ? 'Receiver' : 'Sender') +
        textElement('Code', error.code) +
        textElement('Message', error.message),
    );
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: `<ErrorResponse xmlns="${NAMESPACE}">${errorXml}${element('RequestId', requestId)}</ErrorResponse>`,
    };
  },
};
