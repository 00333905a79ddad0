import type { InjectedUpdateOutcome } from '../faults.js';

/**
 * A cluster update as the emulator keeps it: what DescribeUpdate shows and what the update was
 * started with. Types only, apart from cluster-updates.ts so that the region state (state.ts) can
 * hold updates without importing the module that reads that state.
 */

export type UpdateStatus = 'InProgress' | 'Successful' | InjectedUpdateOutcome;

export interface UpdateErrorDetail {
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly resourceIds: readonly string[];
}

/** An update as DescribeUpdate's `update` shows it. */
export interface Update {
  readonly id: string;
  status: UpdateStatus;
  readonly type: string;
  readonly params: readonly { readonly type: string; readonly value: string }[];
  readonly createdAt: Date;
  errors: UpdateErrorDetail[];
}

/** The endpoint fields an UpdateClusterConfig call sets; the ones left out keep their values. */
export interface EndpointAccessChange {
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  readonly publicAccessCidrs?: readonly string[];
}

/** How and when an update ends, fixed when it starts. */
export interface UpdatePlan {
  readonly outcome: 'Successful' | InjectedUpdateOutcome;
  readonly durationMs: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface UpdateRecord {
  readonly update: Update;
  readonly clientRequestToken: string | undefined;
  /** The request without its token, to tell a retry from another request reusing the token. */
  readonly requestFingerprint: string;
  readonly change: EndpointAccessChange;
  readonly plan: UpdatePlan;
  readonly completesAt: Date;
}
