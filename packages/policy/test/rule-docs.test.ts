import { readdirSync, readFileSync } from 'node:fs';
import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine } from '@shipshape/policy';
import { describe, expect, it } from 'vitest';
import { POLARIS_CHECKS } from '../src/best-practices/index.js';
import { ruleCatalogue } from '../src/catalogue.js';
import { renderRuleIndex, renderRulePage, rulePageName } from '../src/rule-docs.js';

const groups = ruleCatalogue();
const rules = groups.flatMap((g) => g.rules);
const docsDir = new URL('../../../docs/rules/', import.meta.url);

describe('every rule documents itself with examples that hold', () => {
  it('has a summary, details and at least one passing and one failing example', () => {
    const missing = rules
      .filter(
        (r) =>
          r.docs.summary.trim() === '' ||
          r.docs.details.trim() === '' ||
          !r.docs.examples.some((e) => e.reports.length === 0) ||
          !r.docs.examples.some((e) => e.reports.length > 0),
      )
      .map((r) => r.id);
    expect(missing).toEqual([]);
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
          (d) => d.resource?.kind === first?.id.kind && d.resource?.name === first?.id.name && !d.suppressed,
        );
        expect(onFirst.map((d) => d.path)).toEqual(example.reports);
        // Every finding of an example is placed in the source.
        for (const d of onFirst) expect(d.span?.path).toBe('example.yaml');
      });
    }
  }
});

describe('docs/rules/', () => {
  it('is generated from the rules (run `pnpm --filter @shipshape/policy run docs` after changing a rule)', () => {
    const want = new Map<string, string>([['README.md', renderRuleIndex(groups)]]);
    for (const group of groups) {
      for (const rule of group.rules)
        want.set(rulePageName(rule.id), renderRulePage(rule, group.packs[rule.id] ?? []));
    }
    const have = readdirSync(docsDir)
      .filter((n) => n.endsWith('.md'))
      .sort();
    expect(have).toEqual([...want.keys()].sort());
    const stale = [...want]
      .filter(([name, text]) => readFileSync(new URL(name, docsDir), 'utf8') !== text)
      .map(([n]) => n);
    expect(stale).toEqual([]);
  });

  it("maps every Polaris check, and the other tools' checks, to the rules that stand for them", () => {
    const index = renderRuleIndex(groups);
    const section = (tool: string) => {
      const start = index.indexOf(`### ${tool}\n`);
      const end = index.indexOf('\n### ', start + 1);
      return start < 0 ? '' : index.slice(start, end < 0 ? undefined : end);
    };
    const polarisRows = section('polaris');
    const missing = Object.entries(POLARIS_CHECKS).filter(
      ([check, id]) => !polarisRows.includes(`| \`${check}\` | `) || !polarisRows.includes(`[\`${id}\`]`),
    );
    expect(missing).toEqual([]);
    expect(section('kube-score')).toContain(
      '| `ingress-targets-service` | [`bp/ingress-service`](bp-ingress-service.md) |',
    );
    expect(section('kube-score')).toContain(
      '| `pod-probes` | [`bp/liveness-probe`](bp-liveness-probe.md), [`bp/readiness-probe`](bp-readiness-probe.md) |',
    );
    // Links to specifications are not tools.
    expect(index).not.toContain('### https:');
  });
});
