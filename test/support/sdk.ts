/** What an SDK v3 client throws: the modeled exception, its members and the response metadata. */
export type SdkError = Error &
  Record<string, unknown> & { $metadata?: { httpStatusCode?: number } };

export interface SdkFailure {
  name: string;
  message: string;
  status: number | undefined;
}

/** The error a call rejects with; fails the test when the call succeeds. */
export async function rejection(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

/** What the SDK throws, reduced to what a caller looks at. */
export async function failure(call: Promise<unknown>): Promise<SdkFailure> {
  const e = await rejection(call);
  return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
}

/** An SDK client's settings for the emulator: dummy static credentials, one attempt unless said. */
export function emulatorClientConfig(endpoint: string, region: string, maxAttempts = 1) {
  return {
    region,
    endpoint,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
    maxAttempts,
  };
}
