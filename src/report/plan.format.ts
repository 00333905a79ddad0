import { clusterLabel } from '../remediation/accounts.js';

import type { ClusterPlan, NodeExposureAdvice, RemediationPlan } from '../remediation/plan.js';
import { renderTable, type TextWidth, wrapParagraph, wrapText } from './text-table.js';
import { type EndpointConfig } from '../model/endpoint.js';
import { describeManager } from '../model/managed-by.js';
import type { AsCodeFix, AsCodeLocation, AsCodeSummary } from '../model/as-code.js';

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

/** The table's width once indented by `by`. */
const inside = (options: TextWidth, by: string): TextWidth =>
  options.width === undefined ? {} : { width: options.width - by.length };

/** A shell command broken at spaces with `\` continuations, so that it still pastes as one. */
function shellLines(prefix: string, command: string, options: TextWidth): string {
  if (options.width === undefined || prefix.length + command.length <= options.width) {
    return prefix + command;
  }
  const hang = '      ';
  const continuation = ' \\';
  return wrapText(
    command,
    options.width - hang.length - continuation.length,
    options.width - prefix.length - continuation.length,
    true,
  )
    .map(
      (line, i, all) => (i === 0 ? prefix : hang) + line + (i < all.length - 1 ? continuation : ''),
    )
    .join('\n');
}

function formatCluster(entry: ClusterPlan, options: TextWidth): string {
  const lines = [
    wrapParagraph(`${ACTION_LABEL[entry.action]}  ${clusterLabel(entry)}`, options),
    wrapParagraph(`  ${entry.reason}`, options),
  ];
  if (entry.action !== 'skip' || entry.preflight.length > 0) {
    lines.push(
      indent(
        renderTable(['field', 'before -> after'], fieldRows(entry), inside(options, '  ')),
        '  ',
      ),
    );
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
          { ...inside(options, '    '), keyColumns: 2 },
        ),
        '    ',
      ),
    );
  }
  if (entry.action === 'update')
    lines.push(shellLines('  by hand: ', entry.awsCliCommand, options));
  if (entry.managedBy && entry.managedBy.tool !== 'unknown')
    lines.push(wrapParagraph(`  managed by: ${describeManager(entry.managedBy)}`, options));
  if (entry.asCode) lines.push(...asCodeLines(entry.asCode, options));
  return lines.join('\n');
}

const at = (l: AsCodeLocation) => `${l.file}:${String(l.line)} (${l.address}, ${l.tool})`;

/** What --iac-dir found for the cluster: the patch, or why there is none. */
function asCodeLines(fix: AsCodeFix, options: TextWidth): string[] {
  const para = (text: string) => wrapParagraph(text, options);
  switch (fix.status) {
    case 'patched':
      return [
        para(`  as code: patched ${at(fix.location)}`),
        ...fix.changes.map((c) => para(`    ${c}`)),
        ...fix.notes.map((n) => para(`    note: ${n}`)),
      ];
    case 'unchanged':
    case 'unresolved':
      return [
        para(
          `  as code: ${fix.status === 'unchanged' ? 'no change needed in' : 'not patched'} ${at(fix.location)}: ${fix.reason}`,
        ),
        ...fix.notes.map((n) => para(`    note: ${n}`)),
      ];
    case 'ambiguous':
      return [para(`  as code: not patched: ${fix.reason}`)];
    case 'not-found':
      return [
        para(`  as code: not patched: ${fix.reason}`),
        ...fix.snippets.flatMap((s) => [`    ${s.tool}:`, indent(s.text, '      ')]),
      ];
  }
}

/** The --iac-dir search: files that could not be read, and the line that applies the patch. */
function asCodeSummary(summary: AsCodeSummary, options: TextWidth): string[] {
  const lines = summary.failures.map((f) =>
    wrapParagraph(
      `NOT READ  ${f.file}${f.line === null ? '' : `:${String(f.line)}`}: ${f.message}`,
      options,
    ),
  );
  if (summary.files.length === 0) {
    lines.push(
      wrapParagraph(`As code: nothing to patch under ${summary.dirs.join(', ')}.`, options),
    );
  } else if (summary.patchFile !== null) {
    lines.push(
      wrapParagraph(
        `As code: the patch changes ${summary.files.join(', ')}. Review it, then from this directory run:`,
        options,
      ),
      `  git apply ${summary.patchFile}`,
    );
  } else {
    lines.push(
      wrapParagraph(
        `As code: the patch below changes ${summary.files.join(', ')}; write it with --patch-out FILE, then git apply FILE.`,
        options,
      ),
    );
  }
  return lines;
}

/** The plan for a person: updates last, next to the summary; fitted to `width` if given. */
/** remediate --nodes: a cluster's security-group advice (EKS-003), never applied. */
function formatNodeAdvice(advice: NodeExposureAdvice, options: TextWidth): string {
  const lines = [
    `NODES   ${advice.region}/${advice.clusterName} (EKS-003, ${advice.severity}; advice only, never applied)`,
    wrapParagraph(`  ${advice.message}`, options),
    wrapParagraph(`  ${advice.warning}`, options),
    ...advice.commands.map((c) => shellLines('    $ ', c, options)),
  ];
  return lines.join('\n');
}

export function formatPlan(
  plan: RemediationPlan,
  applying: boolean,
  options: TextWidth = {},
): string {
  const ordered = [...plan.clusters].sort(
    (a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action],
  );
  const parts = ordered.map((entry) => formatCluster(entry, options));
  const showAccounts =
    plan.clusters.some((c) => c.roleArn !== null) ||
    new Set(plan.unread.map((u) => u.accountId)).size > 1;
  for (const u of plan.unread) {
    const scope =
      u.region === null
        ? `${u.accountId} (whole account)`
        : `${showAccounts ? `${u.accountId}/` : ''}${u.region}${u.clusterName ? `/${u.clusterName}` : ' (whole region)'}`;
    parts.push(
      `UNREAD  ${scope}\n` +
        wrapParagraph(`  could not be read: ${u.error.code}: ${u.error.message}`, options),
    );
  }
  const { update, blocked, skip } = plan.summary;
  const status = applying ? 'to be applied' : 'dry run: nothing has been changed';
  parts.push(
    wrapParagraph(
      `Plan ${plan.planId} (mode ${plan.mode}${plan.allowDrift === true ? ', --allow-drift' : ''}; ${status}): ${update} to update, ${blocked} blocked, ${skip} skipped` +
        (plan.complete
          ? '.'
          : `; ${plan.unread.length} could not be read, so the plan may be missing clusters.`),
      options,
    ),
  );
  if (plan.asCode) parts.push(asCodeSummary(plan.asCode, options).join('\n'));
  for (const advice of plan.nodeExposure ?? []) parts.push(formatNodeAdvice(advice, options));
  return `${parts.join('\n\n')}\n`;
}
