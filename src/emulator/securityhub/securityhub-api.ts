/**
 * Security Hub's wire protocol (REST-JSON): POST /findings/import is BatchImportFindings, POST
 * /findings is GetFindings. Errors carry `x-amzn-ErrorType` and a JSON body with Message and Code.
 */
import { ApiError } from '../errors.js';
import type {
  CallContext,
  IncomingCall,
  RoutedCall,
  ServiceApi,
  WireResponse,
} from '../service-api.js';
import { isJsonObject, type JsonObject } from '../validation.js';
import { getFindings, importFindings, MAX_FINDINGS } from './findings.js';

const invalidInput = (message: string) =>
  new ApiError(400, 'InvalidInputException', message, { Code: 'InvalidInputException' });

function bodyOf(call: IncomingCall): JsonObject {
  let parsed: unknown;
  try {
    parsed = call.body === '' ? {} : JSON.parse(call.body);
  } catch {
    throw invalidInput('The request body is not valid JSON.');
  }
  if (!isJsonObject(parsed)) throw invalidInput('The request body must be a JSON object.');
  return parsed;
}

function batchImportFindings(context: CallContext, call: IncomingCall) {
  const findings = bodyOf(call).Findings;
  // AWS: Findings is required, 1 to 100 of them.
  if (!Array.isArray(findings) || findings.length < 1 || findings.length > MAX_FINDINGS)
    throw invalidInput(`Findings must be a list of 1 to ${MAX_FINDINGS} findings.`);
  return importFindings(
    context.region.securityHub,
    context.region.name,
    context.account.accountId,
    findings,
    context.now,
  );
}

const ROUTES: {
  pattern: RegExp;
  operation: string;
  handler: (context: CallContext, call: IncomingCall) => unknown;
}[] = [
  {
    pattern: /^\/findings\/import$/,
    operation: 'BatchImportFindings',
    handler: batchImportFindings,
  },
  {
    pattern: /^\/findings$/,
    operation: 'GetFindings',
    handler: (c, call) =>
      getFindings(
        c.region.securityHub,
        `${c.account.accountId}/${c.region.name}`,
        c.account.accountId,
        bodyOf(call),
      ),
  },
];

export const securityHubApi: ServiceApi = {
  service: 'securityhub',
  regional: true,
  route(call: IncomingCall, region: string, accountId: string): RoutedCall | ApiError {
    const route = ROUTES.find((r) => r.pattern.test(call.path));
    if (!route || call.method !== 'POST')
      return new ApiError(
        404,
        'UnknownOperationException',
        `No operation matches ${call.method} ${call.path}`,
      );
    return {
      operation: route.operation,
      resource: `arn:aws:securityhub:${region}:${accountId}:hub/default`,
      invoke: (context) => route.handler(context, call),
    };
  },
  success(_call, payload, requestId): WireResponse {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: JSON.stringify(payload),
    };
  },
  failure(error, requestId): WireResponse {
    return {
      status: error.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': error.code,
      },
      body: JSON.stringify({ ...error.members, Message: error.message }),
    };
  },
};
