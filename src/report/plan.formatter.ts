import type { EndpointConfig } from '../remediation/endpoint-config.js';
import type { ClusterPlan, RemediationPlan } from '../remediation/plan.js';
import { renderTable } from './text-table.js';

const ACTION_LABEL = { update: 'UPDATE', blocked: 'BLOCKED', skip: 'SKIP' } as const;
const ACTION_ORDER = { skip: 0, blocked: 1, update: 2 } as const;

const cidrs = (c: EndpointConfig) =>
  c.publicAccessCidrs.length ? c.publicAccessCidrs.join(', ') : '(none)';

function fieldRows(entry: ClusterPlan): string[][] {
  const { before, after } = entry;
  const arrow = (a: string, b: string) => (a === b ? `${a} (unchanged)` : `${a} -> ${b}`);
  const cidrNote =
    entry.change.publicAccessCidrs === undefined
      ? `${cidrs(before)} (kept; ignored while public access is off)`
      : arrow(cidrs(before), cidrs(after));
  return [
    [
      'endpointPublicAccess',
      arrow(String(before.endpointPublicAccess), String(after.endpointPublicAccess)),
    ],
    [
      'endpointPrivateAccess',
      arrow(String(before.endpointPrivateAccess), String(after.endpointPrivateAccess)),
    ],
    ['publicAccessCidrs', cidrNote],
  ];
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => `${by}${l}`)
    .join('\n');

function formatCluster(entry: ClusterPlan): string {
  const lines = [
    `${ACTION_LABEL[entry.action]}  ${entry.region}/${entry.clusterName}`,
    `  ${entry.reason}`,
  ];
  if (entry.action !== 'skip' || entry.preflight.length > 0) {
    lines.push(indent(renderTable(['field', 'before -> after'], fieldRows(entry)), '  '));
  }
  for (const left of entry.leftOutCidrs ?? [])
    lines.push(`  left out: ${left.cidr}: ${left.reason}`);
  if (entry.preflight.length > 0) {
    lines.push('  pre-flight:');
    lines.push(
      indent(
        renderTable(
          ['result', 'check', 'detail'],
          entry.preflight.map((r) => [r.status.toUpperCase(), r.check, r.message]),
        ),
        '    ',
      ),
    );
  }
  if (entry.action === 'update') lines.push(`  by hand: ${entry.awsCliCommand}`);
  return lines.join('\n');
}

/** The plan for a person: updates last, next to the summary. */
export function formatPlan(plan: RemediationPlan, applying: boolean): string {
  const ordered = [...plan.clusters].sort(
    (a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action],
  );
  const parts = ordered.map(formatCluster);
  for (const u of plan.unread) {
    parts.push(
      `UNREAD  ${u.region}${u.clusterName ? `/${u.clusterName}` : ' (whole region)'}\n  could not be read: ${u.error.code}: ${u.error.message}`,
    );
  }
  const { update, blocked, skip } = plan.summary;
  const status = applying ? 'to be applied' : 'dry run: nothing has been changed';
  parts.push(
    `Plan ${plan.planId} (mode ${plan.mode}; ${status}): ${update} to update, ${blocked} blocked, ${skip} skipped` +
      (plan.complete
        ? '.'
        : `; ${plan.unread.length} could not be read, so the plan may be missing clusters.`),
  );
  return `${parts.join('\n\n')}\n`;
}
