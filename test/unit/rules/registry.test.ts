import { defaultRules, ruleNamed, rules, selectRules } from '../../../src/rules/registry.js';

describe('rule registry', () => {
  it('pins the rule list, so a rule cannot silently disappear', () => {
    expect(rules.map((r) => [r.metadata.id, r.metadata.aliases])).toEqual([
      ['EKS-001', []],
      ['EKS-002', ['EKS.1', 'eks-endpoint-no-public-access']],
      ['EKS-003', ['node-exposure']],
      ['EKS-PROBE-001', ['api-reachable']],
    ]);
    expect(defaultRules.map((r) => r.metadata.id)).toEqual(['EKS-001']);
  });

  it('gives every id and alias to exactly one rule', () => {
    const names = rules.flatMap((r) =>
      [r.metadata.id, ...r.metadata.aliases].map((n) => n.toLowerCase()),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('selects rules by id or alias, any case, in registry order, each once', () => {
    const selected = selectRules(['eks.1', 'EKS-001', 'EKS-002']);
    expect(selected.ok && selected.rules.map((r) => r.metadata.id)).toEqual(['EKS-001', 'EKS-002']);
    expect(ruleNamed('EKS-endpoint-no-public-access')?.metadata.id).toBe('EKS-002');
    expect(selectRules(['EKS-001', 'EKS-999'])).toEqual({ ok: false, unknown: ['EKS-999'] });
  });

  it.each(rules.map((r) => [r.metadata.id, r] as const))(
    '%s has complete metadata',
    (_id, rule) => {
      const m = rule.metadata;
      expect(m.title.length).toBeGreaterThan(0);
      expect(['low', 'medium', 'high', 'critical']).toContain(m.severity);
      expect(m.rationale.length).toBeGreaterThan(50);
      expect(m.remediation.summary.length).toBeGreaterThan(0);
      expect(m.remediation.cli).toMatch(/^aws (eks|ec2) /);
      expect(m.remediation.terraform.length).toBeGreaterThan(0);
      expect(m.references.length).toBeGreaterThan(0);
      for (const ref of m.references) expect(ref).toMatch(/^https:\/\//);
    },
  );
});
