import { ApiError } from '../errors.js';
import type {
  CallContext,
  IncomingCall,
  RoutedCall,
  ServiceApi,
  WireResponse,
} from '../service-api.js';
import type { AccountState, OrganizationState } from '../state.js';
import { isJsonObject, type JsonObject } from '../validation.js';

const TARGET_PREFIX = 'AWSOrganizationsV20161128.';
const MAX_RESULTS = 20;
const PARENT_ID = /^(r-[0-9a-z]{4,32})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

function invalidInput(reason: string, message: string): ApiError {
  return new ApiError(400, 'InvalidInputException', message, { Reason: reason });
}

const INVALID_NEXT_TOKEN = () =>
  invalidInput(
    'INVALID_NEXT_TOKEN',
    'You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.',
  );

interface PageCursor {
  /** What was listed: the operation and its parent, so a token cannot be replayed elsewhere. */
  readonly s: string;
  readonly o: number;
  /** Empty pages still to answer before items come. */
  readonly e: number;
}

function decodeToken(token: string, scope: string): PageCursor {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageCursor;
    if (cursor.s === scope && Number.isInteger(cursor.o) && Number.isInteger(cursor.e))
      return cursor;
  } catch {
    // not one of ours: the error below
  }
  throw INVALID_NEXT_TOKEN();
}

const encodeToken = (cursor: PageCursor) =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

/**
 * One page. Organizations may answer fewer items than MaxResults, even none, and still give a
 * NextToken (its API reference says so for every List operation); the fixture's `pageSize` and
 * `emptyFirstPages` make it do both.
 */
function paginate<T>(
  items: readonly T[],
  input: JsonObject,
  scope: string,
  organization: OrganizationState,
): { page: T[]; NextToken?: string } {
  const max = input.MaxResults;
  if (max !== undefined) {
    if (!Number.isInteger(max)) throw invalidInput('INVALID_ENUM', 'MaxResults must be a number.');
    if ((max as number) < 1)
      throw invalidInput('MIN_VALUE_EXCEEDED', 'You provided a value below the minimum of 1.');
    if ((max as number) > MAX_RESULTS)
      throw invalidInput(
        'MAX_VALUE_EXCEEDED',
        `You provided a value above the maximum of ${MAX_RESULTS}.`,
      );
  }
  const token = input.NextToken;
  if (token !== undefined && typeof token !== 'string') throw INVALID_NEXT_TOKEN();
  const cursor = token
    ? decodeToken(token, scope)
    : { s: scope, o: 0, e: organization.emptyFirstPages };
  if (cursor.e > 0) return { page: [], NextToken: encodeToken({ ...cursor, e: cursor.e - 1 }) };
  const size = Math.min((max as number | undefined) ?? MAX_RESULTS, organization.pageSize);
  const page = items.slice(cursor.o, cursor.o + size);
  const next = cursor.o + size;
  return next < items.length
    ? { page, NextToken: encodeToken({ s: scope, o: next, e: 0 }) }
    : { page };
}

/**
 * Status is being retired in favour of State; it has no PENDING_ACTIVATION or CLOSED. How a
 * closed or pending account shows in Status is our reading: SUSPENDED and ACTIVE.
 */
const LEGACY_STATUS: Record<AccountState['state'], string> = {
  PENDING_ACTIVATION: 'ACTIVE',
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  PENDING_CLOSURE: 'PENDING_CLOSURE',
  CLOSED: 'SUSPENDED',
};

const arnPrefix = (org: OrganizationState) => `arn:aws:organizations::${org.managementAccountId}`;

function accountJson(org: OrganizationState, account: AccountState) {
  return {
    Id: account.accountId,
    Arn: `${arnPrefix(org)}:account/${org.id}/${account.accountId}`,
    Email: account.email,
    Name: account.name,
    Status: LEGACY_STATUS[account.state],
    State: account.state,
    JoinedMethod: account.accountId === org.managementAccountId ? 'INVITED' : 'CREATED',
    JoinedTimestamp: account.joinedTimestamp.getTime() / 1000,
  };
}

const members = (context: CallContext) =>
  [...context.state.accounts.values()].filter((a) => a.inOrganization);

function checkParent(org: OrganizationState, input: JsonObject): string {
  const parentId = input.ParentId;
  if (typeof parentId !== 'string')
    throw invalidInput('INPUT_REQUIRED', 'You must specify a value for ParentId.');
  if (!PARENT_ID.test(parentId))
    throw invalidInput(
      'INVALID_PATTERN',
      'You provided a value that does not match the required pattern.',
    );
  if (parentId !== org.rootId && !org.organizationalUnits.has(parentId))
    throw new ApiError(
      400,
      'ParentNotFoundException',
      "We can't find a root or OU with the ParentId that you specified.",
    );
  return parentId;
}

type Handler = (context: CallContext, org: OrganizationState, input: JsonObject) => unknown;

const OPERATIONS: Record<string, { managementOnly: boolean; run: Handler }> = {
  DescribeOrganization: {
    managementOnly: false,
    run: ({ state }, org) => ({
      Organization: {
        Id: org.id,
        Arn: `${arnPrefix(org)}:organization/${org.id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: `${arnPrefix(org)}:account/${org.id}/${org.managementAccountId}`,
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: state.accounts.get(org.managementAccountId)?.email,
        AvailablePolicyTypes: [],
      },
    }),
  },
  ListRoots: {
    managementOnly: true,
    run: (_c, org, input) => {
      const root = {
        Id: org.rootId,
        Arn: `${arnPrefix(org)}:root/${org.id}/${org.rootId}`,
        Name: 'Root',
        PolicyTypes: [],
      };
      const { page, NextToken } = paginate([root], input, 'roots', org);
      return { Roots: page, ...(NextToken ? { NextToken } : {}) };
    },
  },
  ListAccounts: {
    managementOnly: true,
    run: (context, org, input) => {
      const { page, NextToken } = paginate(members(context), input, 'accounts', org);
      return {
        Accounts: page.map((a) => accountJson(org, a)),
        ...(NextToken ? { NextToken } : {}),
      };
    },
  },
  ListAccountsForParent: {
    managementOnly: true,
    run: (context, org, input) => {
      const parentId = checkParent(org, input);
      const children = members(context).filter((a) => a.parentId === parentId);
      const { page, NextToken } = paginate(children, input, `accounts/${parentId}`, org);
      return {
        Accounts: page.map((a) => accountJson(org, a)),
        ...(NextToken ? { NextToken } : {}),
      };
    },
  },
  ListOrganizationalUnitsForParent: {
    managementOnly: true,
    run: (_c, org, input) => {
      const parentId = checkParent(org, input);
      const children = [...org.organizationalUnits.values()].filter(
        (ou) => ou.parentId === parentId,
      );
      const { page, NextToken } = paginate(children, input, `ous/${parentId}`, org);
      return {
        OrganizationalUnits: page.map((ou) => ({
          Id: ou.id,
          Arn: `${arnPrefix(org)}:ou/${org.id}/${ou.id}`,
          Name: ou.name,
        })),
        ...(NextToken ? { NextToken } : {}),
      };
    },
  },
};

/**
 * Who may call: any member account may describe the organization; listing it takes the
 * management account or a delegated administrator (Organizations User Guide). An account outside
 * any organization gets AWSOrganizationsNotInUseException.
 */
function organizationFor(context: CallContext, managementOnly: boolean): OrganizationState {
  const org = context.state.organization;
  if (!org || !context.account.inOrganization)
    throw new ApiError(
      400,
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  const caller = context.caller.accountId;
  if (
    managementOnly &&
    caller !== org.managementAccountId &&
    !org.delegatedAdministrators.has(caller)
  )
    throw new ApiError(
      400,
      'AccessDeniedException',
      "You don't have permissions to access this resource.",
    );
  return org;
}

function parseInput(body: string): JsonObject | ApiError {
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // answered below
  }
  return new ApiError(
    400,
    'SerializationException',
    'Start of structure or map found where not expected.',
  );
}

/** Organizations: JSON 1.1, the operation in X-Amz-Target; a global service signed for us-east-1. */
export const organizationsApi: ServiceApi = {
  service: 'organizations',
  regional: false,
  route(call: IncomingCall): RoutedCall | ApiError {
    const target = call.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : '';
    const operation = OPERATIONS[name];
    if (call.method !== 'POST' || !operation)
      return new ApiError(
        400,
        'UnknownOperationException',
        `Unknown operation ${name || String(target)}`,
      );
    const input = parseInput(call.body);
    if (input instanceof ApiError) return input;
    return {
      operation: name,
      resource: typeof input.ParentId === 'string' ? input.ParentId : '*',
      invoke: (context) =>
        operation.run(context, organizationFor(context, operation.managementOnly), input),
    };
  },
  success(_call, payload, requestId): WireResponse {
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
      body: JSON.stringify(payload),
    };
  },
  failure(error, requestId): WireResponse {
    return {
      status: error.status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: error.code, Message: error.message, ...error.members }),
    };
  },
};
