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

export type Service = 'eks' | 'ec2';

/** Errors AWS answers with before any operation runs: no signature, or a region the account cannot use. */
export const authErrors: Record<
  Service,
  { missing: () => ApiError; regionDisabled: () => ApiError }
> = {
  eks: {
    missing: () =>
      new ApiError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
    regionDisabled: () =>
      new ApiError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
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
};

export function injectedError(
  service: Service,
  kind: FailureKind,
  call: { action: string; resource: string; accountId: string },
  throttleAs?: string,
): ApiError {
  if (kind === 'access-denied') {
    const [status, code, prefix] = INJECTED[service].denied;
    const who = `User: arn:aws:iam::${call.accountId}:user/eksposure`;
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
