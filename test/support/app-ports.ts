import type { ApplyPorts, Confirmation, Interrupt } from '../../src/app/apply-plan.js';
import type { PlanRequest, RemediationPorts } from '../../src/app/plan-remediation.js';
import type { CallerAws } from '../../src/app/ports.js';
import type { AccountScope } from '../../src/app/scan-accounts.js';
import type { ReachedAccounts } from '../../src/app/reach-accounts.js';
import type { AccountRef } from '../../src/model/accounts.js';
import type { JournalEntry, JournalOpen } from '../../src/remediation/journal.js';
import { type FakeAccount, silentLogger } from './fake-aws.js';
import { type FakeClock, fakeClock } from './fake-clock.js';

type Recorded = Omit<JournalEntry, 'schemaVersion' | 'at'>;

/** Journals kept in memory, by path; `refuse` makes opening one fail, as a locked file would. */
export function memoryJournals(refuse?: string) {
  const lines = new Map<string, Recorded[]>();
  const closed: string[] = [];
  return {
    store: {
      open: (path: string): JournalOpen => {
        if (refuse !== undefined) return { ok: false, message: refuse };
        const recorded = lines.get(path) ?? [];
        lines.set(path, recorded);
        return {
          ok: true,
          journal: {
            path,
            record: (entry) => {
              recorded.push(entry);
              return { ok: true };
            },
            close: () => void closed.push(path),
          },
        };
      },
    },
    lines: (path: string) => lines.get(path) ?? [],
    closed,
  };
}

/** Each fake account reached as the plan names it (its role, or the caller's own credentials). */
export function reached(accounts: readonly FakeAccount[]): ReachedAccounts & { destroyed: number } {
  const state = { destroyed: 0 };
  return {
    portFor: (account: AccountRef) => {
      const found = accounts.find((a) => a.accountId === account.accountId);
      return found
        ? { ok: true, aws: found.aws }
        : { ok: false, error: { code: 'AccessDenied', message: 'role not assumed' } };
    },
    destroy: () => void (state.destroyed += 1),
    get destroyed() {
      return state.destroyed;
    },
  };
}

/** A signal the test sends when it wants, as SIGINT or SIGTERM would come. */
export function signals() {
  const waiting: ((name: string) => void)[] = [];
  return {
    watch: (onSignal: (name: string) => void): Interrupt => {
      const controller = new AbortController();
      let by: string | null = null;
      waiting.push((name) => {
        by = name;
        onSignal(name);
        controller.abort();
      });
      return { signal: controller.signal, interruptedBy: () => by };
    },
    send: (name: string) => {
      for (const fire of waiting) fire(name);
    },
  };
}

/** Ports of the change use cases over fake accounts, a memory journal and a fake clock. */
export function applyPorts(
  accounts: readonly FakeAccount[],
  options: {
    readonly answer?: Confirmation;
    readonly journals?: ReturnType<typeof memoryJournals>;
    readonly clock?: FakeClock;
    readonly signals?: ReturnType<typeof signals>;
  } = {},
) {
  const progress: string[] = [];
  const asked: string[] = [];
  const journals = options.journals ?? memoryJournals();
  const sent = options.signals ?? signals();
  const ports: ApplyPorts = {
    accounts: reached(accounts),
    journals: journals.store,
    clock: options.clock ?? fakeClock({ start: Date.now(), autoAdvance: true }),
    logger: silentLogger,
    progress: (line) => void progress.push(line),
    watchSignals: sent.watch,
    probeEndpoint: () => Promise.reject(new Error('no probe in these tests')),
    peakMemoryKb: () => 0,
    confirm: (plan) => {
      asked.push(plan.planId);
      return Promise.resolve(options.answer ?? { kind: 'yes' });
    },
  };
  return { ports, progress, asked, journals, signals: sent };
}

/** The caller's own account, with its own credentials. */
export const callerScope: AccountScope = {
  source: { kind: 'caller' },
  exclude: new Set(),
  roleArnTemplate: undefined,
  accountConcurrency: 4,
  shard: null,
};

/** These accounts, each through the role arn:aws:iam::ACCOUNT:role/Remediate. */
export const throughRoles = (accountIds: readonly string[]): AccountScope => ({
  ...callerScope,
  source: { kind: 'named', accountIds },
  roleArnTemplate: 'arn:aws:iam::{account}:role/Remediate',
});

/** remediate's request: private mode, every region, no exemption, unless said. */
export const planRequest = (overrides: Partial<PlanRequest> = {}): PlanRequest => ({
  homeRegion: 'us-east-1',
  regions: undefined,
  concurrency: 4,
  regionConcurrency: 4,
  scope: callerScope,
  signal: new AbortController().signal,
  remediation: { mode: 'private' },
  clusterNames: undefined,
  operatorIp: undefined,
  exemptions: [],
  managers: [],
  allowDrift: false,
  planId: 'plan-1',
  ...overrides,
});

export const planPorts = (caller: CallerAws, clock = fakeClock()): RemediationPorts => ({
  caller,
  clock,
  logger: silentLogger,
  toolVersion: '9.9.9',
  peakMemoryKb: () => 0,
});
