/**
 * The User-Agent of every call, built once per client instead of once per call. The SDK's own
 * middleware rebuilds the same string for every call (it escapes every section again and lists the
 * SDK features the call used), about 4 % of a call's CPU. This one takes the SDK's own sections
 * (the client's `defaultUserAgentProvider`: SDK and client versions, OS, Node), formats them as
 * the SDK does, with the user's own app id when one is configured (`AWS_SDK_UA_APP_ID`,
 * `sdk_ua_app_id`), and adds `lib/eksposure`, so that CloudTrail's userAgent field says which tool
 * made a call. What it leaves out is the SDK's `m/` list of features, which feeds AWS's own
 * metrics, and the prefix a non-standard partition may configure.
 */

import { onceUnlessRejected } from './once.js';

/** One section as the SDK lists it: a name such as `api/EKS`, and a version when it has one. */
export type UserAgentSection = readonly [string, string?];

export interface UserAgentHeaders {
  readonly 'user-agent': string;
  readonly 'x-amz-user-agent': string;
}

// The SDK's escaping (@aws-sdk/core, middleware-user-agent/constants.js).
const NAME_ESCAPE = /[^!$%&'*+\-.^_`|~\w]/g;
const VALUE_ESCAPE = /[^!$%&'*+\-.^_`|~\w#]/g;
const ESCAPE_CHAR = '-';

/** `aws-sdk-js/3.1`, `os/linux#6.1`, `api/eks#3.1`, `lang/js`: as the SDK's escapeUserAgent. */
export function formatSection([rawName, rawVersion]: UserAgentSection): string {
  const name = rawName
    .split('/')
    .map((part) => part.replace(NAME_ESCAPE, ESCAPE_CHAR))
    .join('/');
  const version = rawVersion?.replace(VALUE_ESCAPE, ESCAPE_CHAR);
  const cut = name.indexOf('/');
  const prefix = cut === -1 ? '' : name.slice(0, cut);
  const rest = name.slice(cut + 1);
  const parts = [prefix, prefix === 'api' ? rest.toLowerCase() : rest, version].filter(
    (part): part is string => Boolean(part),
  );
  return parts.reduce((joined, part, index) =>
    index === 1 ? `${joined}/${part}` : `${joined}#${part}`,
  );
}

export function userAgentHeaders(sections: readonly UserAgentSection[]): UserAgentHeaders {
  const formatted = sections.map(formatSection);
  return {
    'user-agent': formatted.join(' '),
    'x-amz-user-agent': formatted.filter((section) => section.startsWith('aws-sdk-')).join(' '),
  };
}

/** How eksposure names itself: a library section, which leaves `app/` to the user's own id. */
export const EKSPOSURE_SECTION: UserAgentSection = ['lib/eksposure'];

/** What of a client's resolved configuration the sections come from. */
export interface UserAgentConfig {
  defaultUserAgentProvider(): Promise<readonly UserAgentSection[]>;
  userAgentAppId?: () => Promise<string | undefined>;
}

/** The SDK's sections, then the user's app id (as the SDK adds it), then eksposure's. */
export async function userAgentSections(
  config: UserAgentConfig,
): Promise<readonly UserAgentSection[]> {
  const sections = await config.defaultUserAgentProvider();
  const appId = await config.userAgentAppId?.();
  return [...sections, ...(appId ? [[`app/${appId}`] as const] : []), EKSPOSURE_SECTION];
}

/** Where the SDK's own User-Agent middleware sits, which this one replaces. */
export const USER_AGENT_PLACE = {
  step: 'build',
  priority: 'low',
  name: 'eksposureUserAgent',
} as const;
export const SDK_USER_AGENT_MIDDLEWARE = 'getUserAgentMiddleware';

type Handler<Args, Result> = (args: Args) => Promise<Result>;

/** Sets the headers on each request; they are built on the first call, then reused. */
export function fixedUserAgent(sections: () => Promise<readonly UserAgentSection[]>) {
  let headers: UserAgentHeaders | undefined;
  const built = onceUnlessRejected(() =>
    sections().then((listed) => (headers = userAgentHeaders(listed))),
  );
  const set = <Args>(args: Args, value: UserAgentHeaders): Args => {
    const request = (args as { request?: { headers?: Record<string, string> } }).request;
    if (request?.headers) Object.assign(request.headers, value);
    return args;
  };
  return <Args, Result>(next: Handler<Args, Result>): Handler<Args, Result> =>
    (args) =>
      headers ? next(set(args, headers)) : built().then((value) => next(set(args, value)));
}
