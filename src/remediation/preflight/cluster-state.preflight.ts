import { formatErrorInfo } from '../../model/errors.js';
import type { PreflightCheck, PreflightInput, PreflightResult } from './types.js';

export const id = 'cluster-state';
export const title = 'Cluster is ACTIVE with no update in progress';

/**
 * EKS refuses a configuration change while the cluster is not ACTIVE or while another update runs,
 * so the change waits for both. Not knowing whether an update runs blocks too: nothing is submitted
 * on a guess.
 */
export function run(input: PreflightInput): PreflightResult {
  const name = input.cluster.name ?? '(unnamed)';
  const status = input.cluster.status;
  if (status !== 'ACTIVE') {
    const state = status === undefined ? 'reports no status' : `is ${status}`;
    return {
      check: id,
      status: 'block',
      message:
        `Cluster ${name} ${state}, not ACTIVE, and EKS changes no configuration until it is. ` +
        `Wait until it is ACTIVE (aws eks wait cluster-active --region ${input.region} --name ${name}), then plan again.`,
    };
  }
  const updates = input.updatesInProgress;
  if (!updates.ok) {
    return {
      check: id,
      status: 'block',
      message:
        `Could not check cluster ${name} for updates in progress (${formatErrorInfo(updates.error)}); ` +
        'nothing is submitted on a guess. Fix that (eks:ListUpdates and eks:DescribeUpdate are needed) and plan again.',
    };
  }
  const [first, ...others] = updates.value;
  if (first !== undefined) {
    const which =
      others.length === 0
        ? `Update ${first} is in progress`
        : `Updates ${[first, ...others].join(', ')} are in progress`;
    const watch = `aws eks describe-update --region ${input.region} --name ${name} --update-id ${first}`;
    return {
      check: id,
      status: 'block',
      message:
        `${which} on cluster ${name}, and EKS runs one update at a time. ` +
        `Watch it with ${watch}${others.length ? ' (and likewise for the others)' : ''}, and plan again after it ends.`,
    };
  }
  return { check: id, status: 'ok', message: `Cluster ${name} is ACTIVE, no update in progress.` };
}

export const clusterStateCheck: PreflightCheck = { id, title, run };
