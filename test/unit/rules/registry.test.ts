import { rules } from '../../../src/rules/registry.js';

describe('rule registry', () => {
  it('pins the rule list, so a rule cannot silently disappear', () => {
    expect(rules.map((r) => r.metadata.id)).toEqual(['EKS-001']);
  });

  it.each(rules.map((r) => [r.metadata.id, r] as const))(
    '%s has complete metadata',
    (_id, rule) => {
      const m = rule.metadata;
      expect(m.title.length).toBeGreaterThan(0);
      expect(['low', 'medium', 'high', 'critical']).toContain(m.severity);
      expect(m.rationale.length).toBeGreaterThan(50);
      expect(m.remediation.summary.length).toBeGreaterThan(0);
      expect(m.remediation.cli).toMatch(/^aws eks /);
      expect(m.remediation.terraform.length).toBeGreaterThan(0);
      expect(m.references.length).toBeGreaterThan(0);
      for (const ref of m.references) expect(ref).toMatch(/^https:\/\//);
    },
  );
});
