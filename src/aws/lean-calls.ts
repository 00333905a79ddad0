import { AwsSdkSigV4Signer } from '@aws-sdk/core/httpAuthSchemes';
import {
  DescribeCluster$,
  DescribeClusterCommand,
  type EKSClient,
  type EKSClientResolvedConfig,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import { getEndpointFromInstructions, toEndpointV1 } from '@smithy/core/endpoints';
import { retryMiddleware } from '@smithy/core/retry';
import { operation } from '@smithy/core/schema';
import { extendedEncodeURIComponent, HttpRequest, type HttpResponse } from '@smithy/core/protocols';
import type { IncomingAnswer, OutgoingRequest } from './http-handler.js';
import { onceUnlessRejected } from './once.js';
import { DescribeClusterForScanCommand, readScanCluster } from './scan-describe-cluster.js';

/**
 * The scan's two calls, ListClusters and DescribeCluster, sent the short way: the SDK's own pieces
 * (its serializer and deserializer for the operation, its retry strategy and retry middleware, its
 * SigV4 signer with its clock-skew correction), called in the order its middleware stack calls
 * them, without the stack. A call through the stack copies the client's whole configuration three
 * times and resolves the endpoint, the auth scheme and the identity again, through a dozen async
 * layers: about 0.3 ms of CPU a call, more than signing and sending it.
 *
 * What is resolved once per client instead of once per call, with the SDK's own functions: the
 * endpoint (`getEndpointFromInstructions`, as the endpoint middleware calls it) and the auth option
 * (the client's `httpAuthSchemeProvider`). Where either is not the plain case (the endpoint sets
 * its own auth schemes or headers, or the auth option is not SigV4), the client keeps the SDK's
 * path for every call: this path is only ever a shortcut to the same request.
 *
 * Per call, in the SDK's order: serialize; the host and User-Agent headers; the identity (once, so
 * that a failing credential source is not retried as EKS); then for each attempt, within the SDK's
 * retry middleware (invocation id and attempt headers, backoff raced against the clients' lifetime,
 * Retry-After): pacing, signing, the request handler (the per-attempt deadline and abort),
 * deserializing. What the stack also does and this path does not: the recursion-detection headers
 * (`X-Amzn-Trace-Id` and the trace context, set only inside AWS Lambda), the logger middleware
 * (the clients' logger is silent), the SDK's feature list in the User-Agent (see user-agent.ts),
 * middleware added to a command instance (eksposure adds none).
 */

type Output = { $metadata: Record<string, unknown> } & Record<string, unknown>;
type Attempt = (args: {
  input: object;
  request: HttpRequest;
  identity: Awaited<ReturnType<EKSClientResolvedConfig['credentials']>>;
}) => Promise<{
  response: HttpResponse;
  output: Output;
}>;
type Middleware = (next: Attempt) => Attempt;

/** The commands this path serves: the scan's reads, with no body and no streaming. */
const LEAN_COMMANDS: ReadonlySet<unknown> = new Set([
  ListClustersCommand,
  DescribeClusterCommand,
  DescribeClusterForScanCommand,
]);

interface LeanCommand {
  readonly constructor: unknown;
  readonly input: object;
  /** The SDK's operation schema: [9, namespace, name, traits, input, output]. */
  readonly schema?: unknown;
}

export interface LeanCallsOptions {
  readonly handler: {
    handle(request: OutgoingRequest): Promise<{ response: IncomingAnswer }>;
  };
  /** Ends the retry's backoff as it ends the attempts in flight (the clients' lifetime). */
  readonly lifetime: AbortSignal;
  /** The build-step middlewares the stack would run: the User-Agent, set once per client. */
  readonly build: Middleware;
  /** Pacing of each attempt, as the stack's pacing middleware does. */
  readonly eachAttempt: Middleware;
}

type Config = EKSClientResolvedConfig & { readonly protocol: SerdeProtocol };

interface SerdeProtocol {
  serializeRequest(op: unknown, input: object, context: object): Promise<HttpRequest>;
  deserializeResponse(op: unknown, context: object, response: HttpResponse): Promise<Output>;
  deserializeMetadata(response: HttpResponse): Output['$metadata'];
}

/** What is resolved once per client. */
interface Resolved {
  readonly serdeContext: object;
  readonly signingProperties: Readonly<Record<string, unknown>>;
}

const SMITHY_CONTEXT_KEY = '__smithy_context';
const SIGV4 = 'aws.auth#sigv4';

/** The operation as the serde middlewares pass it (smithy's `operation(...)` of the schema). */
function operationOf(schema: unknown): unknown {
  const [, namespace, name, traits, input, output] = schema as [
    number,
    string,
    string,
    object,
    unknown,
    unknown,
  ];
  return operation(namespace, name, traits as never, input as never, output as never);
}

/** The endpoint and auth option, the SDK's way; undefined where the SDK's path must be kept. */
async function resolve(client: EKSClient, command: LeanCommand): Promise<Resolved | undefined> {
  const config = client.config as Config;
  const endpointV2 = await getEndpointFromInstructions(
    command.input,
    DescribeClusterCommand,
    // A copy, as the endpoint middleware passes it: resolution may note an endpoint from the
    // environment or the config file on what it is given.
    { ...config } as never,
  );
  const ownHeaders = Object.keys(endpointV2.headers ?? {}).length > 0;
  if (ownHeaders || endpointV2.properties?.['authSchemes']) return undefined;
  const context = {
    [SMITHY_CONTEXT_KEY]: { operation: 'DescribeCluster' },
    endpointV2,
  };
  // The parameters EKS's own httpAuthSchemeParametersProvider gives: the operation and region.
  const parameters = { operation: 'DescribeCluster', region: await config.region() };
  const [option] = config.httpAuthSchemeProvider(parameters);
  if (option?.schemeId !== SIGV4) return undefined;
  const endpoint = toEndpointV1(endpointV2);
  return {
    serdeContext: { ...config, endpointV2, endpoint: () => Promise.resolve(endpoint) },
    // As the SDK's auth option extracts them: the option's own, the client's config, the context.
    signingProperties: { ...option.signingProperties, config, context },
  };
}

/** A cluster name no escaping changes, to find where a name goes in DescribeCluster's path. */
const NAME_MARK = 'eksposure0cluster0name';

/**
 * DescribeCluster's requests, the scan's most frequent: the SDK's serializer builds one with a
 * marked name, and each call's is a copy with its name escaped as the serializer escapes a path
 * label (extendedEncodeURIComponent). In the EKS model the name is DescribeCluster's only input and
 * a path label, so the copy is the request the serializer would have built (lean-calls.test.ts
 * compares them); any other input goes through the serializer itself.
 */
function describeClusterRequests(
  serialize: (input: object) => Promise<HttpRequest>,
): (input: object) => Promise<HttpRequest> {
  const template = onceUnlessRejected(async () => {
    const request = await serialize({ name: NAME_MARK });
    const around = request.path.split(NAME_MARK);
    return around.length === 2 && request.body === undefined ? { request, around } : undefined;
  });
  return async (input) => {
    const { name } = input as { name?: unknown };
    if (typeof name !== 'string' || name === '' || Object.keys(input).length !== 1) {
      return serialize(input);
    }
    const shape = await template();
    if (!shape) return serialize(input);
    const { request, around } = shape;
    return new HttpRequest({
      ...request,
      path: around.join(extendedEncodeURIComponent(name)),
      query: { ...request.query },
      headers: { ...request.headers },
    });
  };
}

/**
 * The scan's DescribeCluster answers (DescribeClusterForScanCommand): a successful one is parsed
 * and reduced to what the scan reads (readScanCluster), with the metadata the SDK's protocol gives
 * it; anything else (an error, a body that is not JSON or not shaped as an answer) goes to the
 * SDK's deserializer, which says what it says of it.
 */
function scanAnswers(
  deserialize: (response: HttpResponse) => Promise<Output>,
  metadataOf: (response: HttpResponse) => Output['$metadata'],
): (response: HttpResponse) => Promise<Output> {
  return (response) => {
    if (response.statusCode !== 200 || !(response.body instanceof Uint8Array)) {
      return deserialize(response);
    }
    const { buffer, byteOffset, byteLength } = response.body;
    let body: unknown;
    try {
      // Decoded as the SDK decodes a body (a byte-order mark is not skipped).
      body = JSON.parse(Buffer.from(buffer, byteOffset, byteLength).toString('utf8'));
    } catch {
      // Not JSON: the SDK's deserializer fails it with the error the stack would throw.
      return deserialize(response);
    }
    const answer = readScanCluster(body);
    if (!answer) return deserialize(response);
    // The request handler's header names are lower-case (Node's), as the SDK makes them before
    // reading the metadata.
    return Promise.resolve({ ...answer, $metadata: metadataOf(response) });
  };
}

/** The host header, as the SDK's host-header middleware sets it for HTTP/1.1. */
function withHost(request: HttpRequest): HttpRequest {
  if (!request.headers['host']) {
    request.headers['host'] =
      request.port != null ? `${request.hostname}:${request.port}` : request.hostname;
  }
  return request;
}

const DESERIALIZATION_HINT =
  'Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';

const headerMatching = (headers: Record<string, string>, pattern: RegExp) =>
  Object.entries(headers).find(([name]) => pattern.test(name))?.[1];

/**
 * What the SDK's deserializer middleware adds to an error it catches (smithy's
 * schemaDeserializationMiddleware): the response, and for an answer it could not read at all, a
 * hint in the message, the body text, and the metadata a service error would carry.
 */
function asDeserializeError(error: unknown, response: HttpResponse): unknown {
  if (typeof error !== 'object' || error === null) return error;
  Object.defineProperty(error, '$response', { value: response, enumerable: false });
  if ('$metadata' in error) return error;
  const unread = error as { message?: unknown; $responseBodyText?: unknown };
  if (typeof unread.message === 'string') unread.message += `\n  ${DESERIALIZATION_HINT}`;
  if (unread.$responseBodyText !== undefined) response.body = unread.$responseBodyText;
  const { headers } = response;
  return Object.assign(error, {
    $metadata: {
      httpStatusCode: response.statusCode,
      requestId: headerMatching(headers, /^x-[\w-]+-request-?id$/),
      extendedRequestId: headerMatching(headers, /^x-[\w-]+-id-2$/),
      cfId: headerMatching(headers, /^x-[\w-]+-cf-id$/),
    },
  });
}

/**
 * Wraps the client's `send`: a ListClusters or DescribeCluster sent without options (the scan's)
 * goes the short way; any other command, or one sent with options (the change path's, with its
 * abort signal), goes through the SDK's stack as before.
 */
export function sendScanCallsLean(client: EKSClient, options: LeanCallsOptions): EKSClient {
  const config = client.config as Config;
  const signer = new AwsSdkSigV4Signer();
  const retryContext = { [SMITHY_CONTEXT_KEY]: { abortSignal: options.lifetime } };
  let resolving: Promise<Resolved | undefined> | undefined;

  const sendAttempt =
    (readAnswer: (response: HttpResponse) => Promise<Output>, resolved: Resolved): Attempt =>
    async ({ request, identity }) => {
      // Fresh per attempt: the signer notes in them when the attempt was signed, for skew.
      const signingProperties = { ...resolved.signingProperties };
      const signed = await signer.sign(request, identity, signingProperties);
      let response: HttpResponse;
      let output: Output;
      try {
        ({ response } = await options.handler.handle(signed));
        try {
          output = await readAnswer(response);
        } catch (error) {
          throw asDeserializeError(error, response);
        }
      } catch (error) {
        return signer.errorHandler(signingProperties)(error as Error);
      }
      signer.successHandler(response, signingProperties);
      return { response, output };
    };

  // One chain per command, built on its first call: the stack's middlewares, in its order.
  const chains = new Map<unknown, (command: LeanCommand) => Promise<Output>>();
  const chainFor = (command: LeanCommand, resolved: Resolved) => {
    const { schema } = command;
    const op = operationOf(schema);
    const deserialize = (response: HttpResponse) =>
      config.protocol.deserializeResponse(op, resolved.serdeContext, response);
    const readAnswer =
      command.constructor === DescribeClusterForScanCommand
        ? scanAnswers(deserialize, (response) => config.protocol.deserializeMetadata(response))
        : deserialize;
    const attempts = retryMiddleware(config as never)(
      options.eachAttempt(sendAttempt(readAnswer, resolved)) as never,
      retryContext as never,
    ) as unknown as Attempt;
    const send = options.build(attempts);
    const serialize = (input: object) =>
      config.protocol.serializeRequest(op, input, resolved.serdeContext);
    const requestFor = schema === DescribeCluster$ ? describeClusterRequests(serialize) : serialize;
    return async (command: LeanCommand) => {
      const request = await requestFor(command.input);
      // Once per call, before the retry and pacing, as the stack's auth middleware resolves it: a
      // credential source that fails is not retried as if EKS had failed, nor counted as EKS's
      // throttling. (The signer reads the credentials again, memoized, for each attempt.)
      const identity = await config.credentials();
      const { output } = await send({ input: command.input, request: withHost(request), identity });
      return output;
    };
  };

  const lean = async (command: LeanCommand): Promise<Output> => {
    const pending = (resolving ??= resolve(client, command));
    let resolved: Resolved | undefined;
    try {
      resolved = await pending;
    } catch {
      // Not resolved (say, no region): the SDK's path makes this call and reports its error;
      // the next call tries again.
      if (resolving === pending) resolving = undefined;
      return sdkSend(command);
    }
    if (!resolved) return sdkSend(command);
    let chain = chains.get(command.constructor);
    if (!chain) {
      chain = chainFor(command, resolved);
      chains.set(command.constructor, chain);
    }
    return chain(command);
  };

  const sdkSend = client.send.bind(client) as (
    command: unknown,
    ...rest: unknown[]
  ) => Promise<Output>;
  (client as { send: unknown }).send = (command: LeanCommand, ...rest: unknown[]) =>
    rest.length === 0 && LEAN_COMMANDS.has(command.constructor) && command.schema
      ? lean(command)
      : sdkSend(command, ...rest);
  return client;
}
