import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine, loadPack } from '@shipshape/policy';
import { describe, expect, it } from 'vitest';

// The examples in each rule's docs become its docs page; here they run against the parser and
// its locator, so every reported pointer must also resolve to a place in the YAML.
const rules = loadPack('best-practices', '1.35').rules;

describe('best-practices rule docs', () => {
  it('gives every rule a summary, details, upstream ids and a passing and a failing example', () => {
    const incomplete = rules
      .filter(
        (r) =>
          !r.id.startsWith('bp/') ||
          r.docs.summary.trim() === '' ||
          r.docs.details.trim() === '' ||
          (r.docs.upstream ?? []).length === 0 ||
          !r.docs.examples.some((e) => e.reports.length === 0) ||
          !r.docs.examples.some((e) => e.reports.length > 0),
      )
      .map((r) => r.id);
    expect(incomplete).toEqual([]);
  });

  it('states the severity in the details', () => {
    const silent = rules.filter((r) => !r.docs.details.includes(`Severity: ${r.severity}`)).map((r) => r.id);
    expect(silent).toEqual([]);
  });

  it('has unique ids', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  for (const rule of rules) {
    for (const example of rule.docs.examples) {
      it(`${rule.id}: ${example.title}`, () => {
        const set = parseManifests([{ path: 'example.yaml', content: example.yaml }]);
        expect(set.diagnostics).toEqual([]);
        const engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35', locator: set.locator });
        const found = [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()];
        const first = set.resources[0];
        const onFirst = found.filter(
          (d) => d.resource?.kind === first?.id.kind && d.resource?.name === first?.id.name,
        );
        expect(onFirst.map((d) => d.path)).toEqual(example.reports);
        // A passing example passes as a whole; a failing one reports only on its first document.
        expect(found).toHaveLength(onFirst.length);
        for (const d of found) expect(d.span?.path).toBe('example.yaml');
      });
    }
  }
});
