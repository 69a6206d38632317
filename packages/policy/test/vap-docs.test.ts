import { admissionPolicyRule } from '@shipshape/policy';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { type Obj, runVap } from './vap-fixtures.js';

// The docs examples, run as the shared docs test will: the findings on the first document's
// resource must sit at `reports`; here nothing else may be reported either.
describe('vap: documentation examples', () => {
  const rule = admissionPolicyRule();
  it('has a summary, details and examples', () => {
    expect(rule.id).toBe('vap');
    expect(rule.category).toBe('admission');
    expect(rule.docs.examples.length).toBeGreaterThan(0);
    expect(rule.docs.details).toContain('vap/invalid-policy');
  });

  for (const example of rule.docs.examples) {
    it(example.title, () => {
      const objects = loadAll(example.yaml) as Obj[];
      const first = ((objects[0]?.['metadata'] ?? {}) as Obj)['name'];
      const diagnostics = runVap(objects);
      expect(diagnostics.every((d) => d.code.startsWith('vap/') && d.resource?.name === first)).toBe(true);
      expect(diagnostics.map((d) => d.path)).toEqual(example.reports);
    });
  }
});
