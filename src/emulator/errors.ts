/** An AWS error as the wire shows it: HTTP status, error code, message and any modeled members. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const SERVICES = ['eks', 'ec2', 'sts', 'organizations', 'securityhub'] as const;
export type Service = (typeof SERVICES)[number];

interface AuthErrors {
  missing: () => ApiError;
  regionDisabled: () => ApiError;
  /** Temporary keys sent without their session token, or with another one. */
  invalidToken: () => ApiError;
  /** Temporary keys past their Expiration. */
  expired: () => ApiError;
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

/**
 * Errors AWS answers with before any operation runs: no signature, a region the account cannot
 * use, a bad or expired session token. The expired-token codes are the ones the SDKs refresh
 * credentials on (ExpiredToken for the query protocols, ExpiredTokenException for JSON); their
 * HTTP statuses for EC2 and Organizations are our reading.
 */
export const authErrors: Record<Service, AuthErrors> = {
  eks: {
    missing: () =>
      new ApiError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
    regionDisabled: () =>
      new ApiError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
    invalidToken: () => new ApiError(403, 'UnrecognizedClientException', INVALID_TOKEN),
    expired: () => new ApiError(403, 'ExpiredTokenException', EXPIRED_TOKEN),
  },
  ec2: {
    missing: () =>
      new ApiError(
        401,
        'MissingAuthenticationToken',
        'The request must contain valid credentials.',
      ),
    regionDisabled: () =>
      new ApiError(
        401,
        'AuthFailure',
        'AWS was not able to validate the provided access credentials',
      ),
    invalidToken: () =>
      new ApiError(
        401,
        'AuthFailure',
        'AWS was not able to validate the provided access credentials',
      ),
    expired: () => new ApiError(400, 'ExpiredToken', EXPIRED_TOKEN),
  },
  // STS and Organizations: the emulator does not check their region (see server.ts).
  sts: {
    missing: () =>
      new ApiError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'),
    regionDisabled: () =>
      new ApiError(403, 'RegionDisabledException', 'STS is not activated in this region.'),
    invalidToken: () => new ApiError(403, 'InvalidClientTokenId', INVALID_TOKEN),
    expired: () => new ApiError(403, 'ExpiredToken', EXPIRED_TOKEN),
  },
  organizations: {
    missing: () =>
      new ApiError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
    regionDisabled: () =>
      new ApiError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
    invalidToken: () => new ApiError(400, 'UnrecognizedClientException', INVALID_TOKEN),
    expired: () => new ApiError(400, 'ExpiredTokenException', EXPIRED_TOKEN),
  },
  securityhub: {
    missing: () =>
      new ApiError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
    regionDisabled: () => new ApiError(403, 'UnrecognizedClientException', INVALID_TOKEN),
    invalidToken: () => new ApiError(403, 'UnrecognizedClientException', INVALID_TOKEN),
    expired: () => new ApiError(403, 'ExpiredTokenException', EXPIRED_TOKEN),
  },
};

/** The injectable failures, as each service names them. */
export type FailureKind = 'throttle' | 'server-error' | 'unavailable' | 'access-denied';

type InjectedAnswer = readonly [status: number, code: string, message: string];

const INJECTED: Record<
  Service,
  Record<Exclude<FailureKind, 'access-denied'>, InjectedAnswer> & { denied: InjectedAnswer }
> = {
  eks: {
    throttle: [429, 'ThrottlingException', 'Rate exceeded'],
    'server-error': [500, 'ServerException', 'An internal error occurred. Try again later.'],
    unavailable: [
      503,
      'ServiceUnavailableException',
      'Service Unavailable. Please try again later.',
    ],
    denied: [403, 'AccessDeniedException', ''],
  },
  ec2: {
    throttle: [503, 'RequestLimitExceeded', 'Request limit exceeded.'],
    'server-error': [500, 'InternalError', 'An internal error has occurred.'],
    unavailable: [503, 'Unavailable', "The server is overloaded and can't handle the request."],
    denied: [403, 'UnauthorizedOperation', 'You are not authorized to perform this operation. '],
  },
  // STS's query-protocol throttling code is Throttling, HTTP 400 (the SDKs' retry lists name it);
  // its 5xx codes are the query protocol's generic ones, our reading.
  sts: {
    throttle: [400, 'Throttling', 'Rate exceeded'],
    'server-error': [500, 'InternalFailure', 'An internal error occurred.'],
    unavailable: [503, 'ServiceUnavailable', 'Service is unable to handle request.'],
    denied: [403, 'AccessDenied', ''],
  },
  // Organizations' model declares TooManyRequestsException, ServiceException and
  // AccessDeniedException; JSON 1.1 errors without a modeled status are HTTP 400.
  organizations: {
    throttle: [
      400,
      'TooManyRequestsException',
      'You have sent too many requests in too short a period of time. Try again later.',
    ],
    'server-error': [
      500,
      'ServiceException',
      "AWS Organizations can't complete your request because of an internal service error. Try again later.",
    ],
    unavailable: [503, 'ServiceUnavailableException', 'Service Unavailable'],
    denied: [400, 'AccessDeniedException', ''],
  },
  // Security Hub's model declares LimitExceededException (429, also its throttling answer: our
  // reading), InternalException (500) and AccessDeniedException (403).
  securityhub: {
    throttle: [429, 'LimitExceededException', 'Rate exceeded'],
    'server-error': [500, 'InternalException', 'Internal service failure'],
    unavailable: [503, 'ServiceUnavailableException', 'Service Unavailable'],
    denied: [403, 'AccessDeniedException', ''],
  },
};

export function injectedError(
  service: Service,
  kind: FailureKind,
  call: { action: string; resource: string; accountId: string; callerArn?: string },
  throttleAs?: string,
): ApiError {
  if (kind === 'access-denied') {
    const [status, code, prefix] = INJECTED[service].denied;
    const who = `User: ${call.callerArn ?? `arn:aws:iam::${call.accountId}:user/eksposure`}`;
    return new ApiError(
      status,
      code,
      `${prefix}${who} is not authorized to perform: ${service}:${call.action} on resource: ${call.resource}`,
    );
  }
  const [status, code, message] = INJECTED[service][kind];
  if (kind === 'throttle' && service === 'eks' && throttleAs === 'TooManyRequestsException')
    return new ApiError(429, throttleAs, 'Too Many Requests');
  return new ApiError(status, code, message);
}
