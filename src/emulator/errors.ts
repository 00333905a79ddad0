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

export function injectedError(
  service: Service,
  kind: FailureKind,
  call: { action: string; resource: string; accountId: string },
): ApiError {
  const { action, resource, accountId } = call;
  const denied = `User: arn:aws:iam::${accountId}:user/eksposure is not authorized to perform: ${service}:${action} on resource: ${resource}`;
  if (service === 'eks') {
    switch (kind) {
      case 'throttle':
        return new ApiError(429, 'ThrottlingException', 'Rate exceeded');
      case 'server-error':
        return new ApiError(500, 'ServerException', 'An internal error occurred. Try again later.');
      case 'unavailable':
        return new ApiError(
          503,
          'ServiceUnavailableException',
          'Service Unavailable. Please try again later.',
        );
      case 'access-denied':
        return new ApiError(403, 'AccessDeniedException', denied);
    }
  }
  switch (kind) {
    case 'throttle':
      return new ApiError(503, 'RequestLimitExceeded', 'Request limit exceeded.');
    case 'server-error':
      return new ApiError(500, 'InternalError', 'An internal error has occurred.');
    case 'unavailable':
      return new ApiError(
        503,
        'Unavailable',
        "The server is overloaded and can't handle the request.",
      );
    case 'access-denied':
      return new ApiError(
        403,
        'UnauthorizedOperation',
        `You are not authorized to perform this operation. ${denied}`,
      );
  }
}
