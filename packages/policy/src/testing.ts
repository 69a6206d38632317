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

  /**
   * Run every case and say which passed. A case fails, besides on its findings, when the rule
   * fails on it (`policy/rule-error`: a throw, a promise, a malformed finding) or when the case
   * itself cannot be run (no resources, a resource that is not an object, an invalid case that
   * expects no report).
   */
  run(cases: {
    readonly valid?: readonly ValidCase[];
    readonly invalid?: readonly InvalidCase[];
  }): RuleTestOutcome[] {
    const out: RuleTestOutcome[] = [];
    for (const c of cases.valid ?? []) {
      const ran = this.#runCase(c);
      if ('problem' in ran) {
        out.push({ name: c.name, ok: false, problem: ran.problem, diagnostics: ran.diagnostics });
        continue;
      }
      const { findings } = ran;
      out.push({
        name: c.name,
        ok: findings.length === 0,
        ...(findings.length > 0 ? { problem: `expected no findings, got ${describe(findings)}` } : {}),
        diagnostics: findings,
      });
    }
    for (const c of cases.invalid ?? []) {
      if (c.reports.length === 0) {
        out.push({
          name: c.name,
          ok: false,
          problem: 'an invalid case lists the reports it expects (a case without any belongs in valid)',
          diagnostics: [],
        });
        continue;
      }
      const ran = this.#runCase(c);
      if ('problem' in ran) {
        out.push({ name: c.name, ok: false, problem: ran.problem, diagnostics: ran.diagnostics });
        continue;
      }
      const first = ran.first;
      const got = ran.findings.filter((d) => sameResource(d.resource, first));
      const problem = compare(c.reports, got, ran.findings.length - got.length);
      out.push({
        name: c.name,
        ok: problem === undefined,
        ...(problem ? { problem } : {}),
        diagnostics: ran.findings,
      });
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

  /**
   * The rule's findings (suppressed ones excluded) on a case's resources, under its id or codes
   * below it. Throws, naming the case, when the rule fails on it or the case cannot be run.
   */
  findings(c: RuleTestCase): Diagnostic[] {
    const ran = this.#runCase(c);
    if ('problem' in ran) throw new Error(`${c.name}: ${ran.problem}`);
    return ran.findings;
  }

  #runCase(
    c: RuleTestCase,
  ):
    | { readonly findings: Diagnostic[]; readonly first: Resource['id'] }
    | { readonly problem: string; readonly diagnostics: Diagnostic[] } {
    if (c.resources.length === 0) return { problem: 'the case has no resources', diagnostics: [] };
    const bad = c.resources.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
    if (bad >= 0) {
      const value = c.resources[bad] as unknown;
      const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      return {
        problem: `resource ${bad} is ${what}, not an object (parse YAML into objects before the table)`,
        diagnostics: [],
      };
    }
    let engine: ReturnType<typeof createPolicyEngine>;
    try {
      engine = createPolicyEngine({
        rules: [this.#rule],
        kubernetesVersion: c.kubernetesVersion ?? '1.35',
        settings: c.options ? { [this.#rule.id]: { options: c.options } } : {},
      });
    } catch (error) {
      // An option the rule does not declare, or a rule the engine refuses: this case's problem.
      return { problem: error instanceof Error ? error.message : String(error), diagnostics: [] };
    }
    const resources = c.resources.map((object, i) => asResource(object, i));
    const all = [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
    const failures = all.filter((d) => d.code === 'policy/rule-error');
    if (failures.length > 0) {
      return { problem: `the rule failed: ${failures.map((d) => d.message).join('; ')}`, diagnostics: all };
    }
    // A rule reports under its id, or under codes below it (`vap` reports `vap/<policy-name>`).
    const id = this.#rule.id;
    const findings = all.filter(
      (d) => (d.code === id || d.code.startsWith(`${id}/`)) && d.suppressed === undefined,
    );
    return { findings, first: (resources[0] as Resource).id };
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

/** Whether a diagnostic is about the resource `id` (kind, group, namespace and name). */
function sameResource(about: Resource['id'] | undefined, id: Resource['id']): boolean {
  return (
    about !== undefined &&
    about.kind === id.kind &&
    about.group === id.group &&
    (about.namespace ?? '') === (id.namespace ?? '') &&
    about.name === id.name
  );
}

function compare(
  want: InvalidCase['reports'],
  got: readonly Diagnostic[],
  elsewhere: number,
): string | undefined {
  const expected = want.map((w) => (typeof w === 'string' ? { path: w } : w));
  if (expected.length !== got.length) {
    const others = elsewhere > 0 ? ` (and ${elsewhere} on other resources of the case)` : '';
    return `expected ${expected.length} finding(s) at ${expected.map((e) => e.path || '(root)').join(', ')} of the first resource, got ${describe(got)}${others}`;
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
