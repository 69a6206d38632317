import type { Diagnostic, Resource, ResourceSource } from '@shipshape/core';
import { splitApiVersion } from '@shipshape/core';
import { createPolicyEngine } from './engine.js';
import type { Rule } from './rule.js';

/** One case of a {@link RuleTester} table. */
export interface RuleTestCase {
  /** What the case shows; the test's name. */
  readonly name: string;
  /** The resource(s): objects, first one checked for `reports`; the rest are there for cross-resource rules. */
  readonly resources: readonly Record<string, unknown>[];
  /** Options of the rule, over its defaults. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Target Kubernetes version. Default `1.35`. */
  readonly kubernetesVersion?: string;
}

/** A case the rule must not report on. */
export type ValidCase = RuleTestCase;

/** A case the rule must report on, at exactly these pointers (in order) of the first resource. */
export interface InvalidCase extends RuleTestCase {
  readonly reports: readonly (string | { readonly path: string; readonly message?: string | RegExp })[];
}

/** What a run of one case found. */
export interface RuleTestOutcome {
  readonly name: string;
  readonly ok: boolean;
  /** Why the case failed, for the test's assertion message. */
  readonly problem?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Valid/invalid tables for rule authors, runnable in any test framework: `run` returns one outcome
 * per case, `assert` throws with every failing case listed.
 *
 * @example
 * ```ts
 * import { RuleTester } from '@shipshape/policy/testing';
 * import { it } from 'vitest';
 *
 * it('no-latest', () => {
 *   new RuleTester(noLatest).assert({
 *     valid: [{ name: 'pinned', resources: [pod('nginx:1.27')] }],
 *     invalid: [{ name: 'latest', resources: [pod('nginx:latest')], reports: ['/spec/containers/0/image'] }],
 *   });
 * });
 * ```
 */
export class RuleTester {
  readonly #rule: Rule;

  constructor(rule: Rule) {
    this.#rule = rule;
  }

  /** Run every case and say which passed. */
  run(cases: {
    readonly valid?: readonly ValidCase[];
    readonly invalid?: readonly InvalidCase[];
  }): RuleTestOutcome[] {
    const out: RuleTestOutcome[] = [];
    for (const c of cases.valid ?? []) {
      const diagnostics = this.findings(c);
      const first = diagnostics[0];
      out.push({
        name: c.name,
        ok: diagnostics.length === 0,
        ...(first ? { problem: `expected no findings, got ${describe(diagnostics)}` } : {}),
        diagnostics,
      });
    }
    for (const c of cases.invalid ?? []) {
      const diagnostics = this.findings(c);
      const got = diagnostics.filter((d) => d.resource?.name === nameOf(c.resources[0], 0));
      const problem = compare(c.reports, got);
      out.push({ name: c.name, ok: problem === undefined, ...(problem ? { problem } : {}), diagnostics });
    }
    return out;
  }

  /** Run every case; throw an error listing each failing one. */
  assert(cases: { readonly valid?: readonly ValidCase[]; readonly invalid?: readonly InvalidCase[] }): void {
    const failed = this.run(cases).filter((o) => !o.ok);
    if (failed.length > 0) {
      throw new Error(
        `${this.#rule.id}: ${failed.length} case(s) failed:\n${failed.map((f) => `  - ${f.name}: ${f.problem}`).join('\n')}`,
      );
    }
  }

  /** The rule's findings (suppressed ones excluded) on a case's resources, under its id or codes below it. */
  findings(c: RuleTestCase): Diagnostic[] {
    const engine = createPolicyEngine({
      rules: [this.#rule],
      kubernetesVersion: c.kubernetesVersion ?? '1.35',
      settings: c.options ? { [this.#rule.id]: { options: c.options } } : {},
    });
    const resources = c.resources.map((object, i) => asResource(object, i));
    const all = [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
    // A rule reports under its id, or under codes below it (`vap` reports `vap/<policy-name>`).
    const id = this.#rule.id;
    return all.filter((d) => (d.code === id || d.code.startsWith(`${id}/`)) && d.suppressed === undefined);
  }
}

/** Wrap a plain object as a resource read from `test.yaml` (document = its index). */
export function asResource(object: Record<string, unknown>, index = 0): Resource {
  const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  const at = { offset: 0, line: 1, column: 1 };
  const source: ResourceSource = {
    path: 'test.yaml',
    document: index,
    span: { path: 'test.yaml', document: index, start: at, end: at },
  };
  return {
    id: {
      apiVersion,
      group: splitApiVersion(apiVersion).group,
      kind: typeof object['kind'] === 'string' ? object['kind'] : '',
      namespace: typeof metadata['namespace'] === 'string' ? metadata['namespace'] : '',
      name: nameOf(object, index),
    },
    object,
    source,
  };
}

function nameOf(object: Record<string, unknown> | undefined, index: number): string {
  const metadata = (object?.['metadata'] ?? {}) as Record<string, unknown>;
  return typeof metadata['name'] === 'string' ? metadata['name'] : `resource-${index}`;
}

function compare(want: InvalidCase['reports'], got: readonly Diagnostic[]): string | undefined {
  const expected = want.map((w) => (typeof w === 'string' ? { path: w } : w));
  if (expected.length !== got.length) {
    return `expected ${expected.length} finding(s) at ${expected.map((e) => e.path || '(root)').join(', ')}, got ${describe(got)}`;
  }
  for (const [i, e] of expected.entries()) {
    const d = got[i] as Diagnostic;
    if (d.path !== e.path) return `finding ${i + 1}: expected path ${e.path}, got ${d.path} (${d.message})`;
    const m = e.message;
    if (m !== undefined && (typeof m === 'string' ? d.message !== m : !m.test(d.message))) {
      return `finding ${i + 1}: message ${JSON.stringify(d.message)} does not match ${String(m)}`;
    }
  }
  return undefined;
}

function describe(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return 'none';
  return diagnostics.map((d) => `${d.path || '(root)'} "${d.message}"`).join('; ');
}
