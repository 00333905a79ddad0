/** The AWS SDK's documented switch for its Node-version warning. */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** The oldest Node major the AWS SDK supports after January 2027. */
const SDK_FUTURE_MIN_NODE = 22;

/**
 * The AWS SDK warns in seven lines, through process.emitWarning, the first time a client is made
 * on Node < 22; that lands inside the confirmation prompt and between log lines. eksposure turns it
 * off and says the same in one line, before its first AWS call. Nothing when the user has silenced
 * warnings already.
 */
export function nodeSupportNote(
  nodeVersion: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(nodeVersion)?.[1]);
  if (!(major < SDK_FUTURE_MIN_NODE)) return undefined;
  if (env[SDK_NODE_WARNING_SWITCH] === 'true' || env.NODE_NO_WARNINGS === '1') return undefined;
  return `eksposure: note: the AWS SDK supports Node ${major} until January 2027; use Node ${SDK_FUTURE_MIN_NODE} or later.`;
}
