import { readFileSync } from 'node:fs';
import type { Diagnostic } from '@shipshape/core';
import { createPolicyEngine, loadPack, type Rule } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { POLARIS_CHECKS } from '../src/best-practices/index.js';

// Polaris' per-check fixtures (FairwindsOps/polaris test/checks), with the expectations of its
// test/schema_test.go: each fixture runs with only its check enabled; a `failure*` file must fail
// it, every other file must pass it.
const ROOT = new URL('../../../../shared/conformance/polaris/', import.meta.url);

interface Expectation {
  readonly check: string;
  readonly expect?: 'pass' | 'fail';
  readonly kind?: 'mutation';
  readonly input?: string;
}

const expected = JSON.parse(readFileSync(new URL('expected.json', ROOT), 'utf8')) as {
  readonly counts: Readonly<Record<string, number>>;
  readonly fixtures: Readonly<Record<string, Expectation>>;
};
const fixtures = Object.entries(expected.fixtures).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Checks with fixtures that no rule implements, each with the reason. None so far. */
const SKIPPED_CHECKS: Readonly<Record<string, string>> = {};

/** Why a fixture is not run. */
function skipReason(want: Expectation): string | undefined {
  if (want.kind === 'mutation') return `mutation output of ${want.input ?? '?'}: auto-fixes are out of scope`;
  return (
    SKIPPED_CHECKS[want.check] ?? (POLARIS_CHECKS[want.check] ? undefined : 'no rule implements this check')
  );
}

const rules = new Map<string, Rule>(loadPack('best-practices', '1.35').rules.map((r) => [r.id, r]));

/**
 * Findings of a Polaris check on every document of a fixture: the mapped rule runs alone over all
 * documents (check each, then finish), and only findings tagged with this check count, since one
 * rule may stand for several checks (a RoleBinding fixture's wildcard Role is a finding of
 * `rolePodExecAttach`, not of `rolebindingRolePodExecAttach`).
 */
function findingsOf(check: string, file: string): Diagnostic[] {
  const ruleId = POLARIS_CHECKS[check] as string;
  const rule = rules.get(ruleId);
  if (!rule) throw new Error(`rule ${ruleId} is not in the best-practices pack`);
  const documents = loadAll(readFileSync(new URL(file, ROOT), 'utf8')).filter(
    (d): d is Record<string, unknown> => d !== null && typeof d === 'object' && !Array.isArray(d),
  );
  const engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35' });
  const resources = documents.map((d, i) => asResource(d, i));
  const all = [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
  return all.filter((d) => d.code === ruleId && d.data?.['polaris'] === check);
}

describe('Polaris conformance (FairwindsOps/polaris test/checks)', () => {
  it('maps every check with fixtures to a rule of the pack', () => {
    const checks = [...new Set(fixtures.map(([, w]) => w.check))].sort();
    expect(checks).toHaveLength(25);
    expect(checks.filter((c) => !POLARIS_CHECKS[c] && SKIPPED_CHECKS[c] === undefined)).toEqual([]);
    for (const ruleId of Object.values(POLARIS_CHECKS)) expect(rules.has(ruleId), ruleId).toBe(true);
  });

  it('agrees with upstream on every pass/fail fixture of an implemented check', () => {
    expect(fixtures).toHaveLength(
      expected.counts['pass']! + expected.counts['fail']! + expected.counts['mutation']!,
    );
    const wrong: string[] = [];
    const skipped: string[] = [];
    let passed = 0;
    let run = 0;
    for (const [file, want] of fixtures) {
      const reason = skipReason(want);
      if (reason !== undefined) {
        skipped.push(`${file}: ${reason}`);
        continue;
      }
      run++;
      const found = findingsOf(want.check, file);
      const got = found.length > 0 ? 'fail' : 'pass';
      if (got === want.expect) passed++;
      else {
        const detail = found.map((d) => `${d.path} "${d.message}"`).join('; ');
        wrong.push(`${file}: expected ${want.expect ?? '?'}, got ${got}${detail ? ` (${detail})` : ''}`);
      }
    }
    console.log(
      [
        `Polaris conformance: ${passed}/${run} pass, ${skipped.length} skipped`,
        ...skipped.map((s) => `  skipped ${s}`),
      ].join('\n'),
    );
    expect(wrong).toEqual([]);
    expect(run).toBe(expected.counts['pass']! + expected.counts['fail']!);
    expect(skipped).toHaveLength(expected.counts['mutation']!);
  });
});
