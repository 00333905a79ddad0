import type { ApiError, Service } from './errors.js';
import type { FaultDecision } from './faults.js';
import type { AccountState, Caller, EmulatorState, RegionState } from './state.js';

export interface IncomingCall {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  /** Lower-case names, as node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface CallContext {
  readonly state: EmulatorState;
  /** The account the caller's access key belongs to; the call acts in it. */
  readonly account: AccountState;
  readonly caller: Caller;
  /** For STS and Organizations, which the emulator serves in any region: an empty region. */
  readonly region: RegionState;
  readonly now: Date;
  /** The fault plan's decision for this call; UpdateClusterConfig reads its `update`. */
  readonly fault: FaultDecision;
  /** How long a cluster update stays InProgress unless a fault rule says otherwise. */
  readonly updateDurationMs: number;
}

/** A request matched to an operation, ready to run against the model. */
export interface RoutedCall {
  readonly operation: string;
  /** ARN-ish resource named in AccessDenied messages. */
  readonly resource: string;
  /** The EKS cluster the call is about, for fault rules that name one. */
  readonly cluster?: string;
  /** Runs the operation: the protocol's success payload, or throws ApiError. */
  invoke(context: CallContext): unknown;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A service's wire protocol: how to recognise its operations and how it writes answers and errors. */
export interface ServiceApi {
  readonly service: Service;
  /** EKS and EC2 answer only in the account's enabled regions. */
  readonly regional: boolean;
  route(call: IncomingCall, region: string, accountId: string): RoutedCall | ApiError;
  success(call: RoutedCall, payload: unknown, requestId: string): WireResponse;
  failure(error: ApiError, requestId: string): WireResponse;
}
