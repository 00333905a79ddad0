import { renderTable } from '../../report/text-table.js';
import { DEFAULT_RULE_IDS, rules } from '../../rules/registry.js';
import type { CliDeps } from '../deps.js';

export function listRules(deps: CliDeps, args: { readonly output: 'table' | 'json' }): number {
  if (args.output === 'json') {
    const listed = rules.map((r) => ({
      ...r.metadata,
      default: DEFAULT_RULE_IDS.includes(r.metadata.id),
    }));
    deps.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    return 0;
  }
  const table = renderTable(
    ['ID', 'ALIASES', 'SEVERITY', 'TITLE', 'RATIONALE'],
    rules.map(({ metadata: m }) => [
      `${m.id}${DEFAULT_RULE_IDS.includes(m.id) ? ' (default)' : ''}`,
      m.aliases.join(', ') || '-',
      m.severity,
      m.title,
      m.rationale,
    ]),
    { width: deps.stdout.columns, keyColumns: 1 },
  );
  deps.stdout.write(`${table}\n`);
  return 0;
}
