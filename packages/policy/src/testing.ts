import type { Diagnostic, Resource, ResourceSource } from '@shipshape/core';
import { splitApiVersion } from '@shipshape/core';
import { createPolicyEngine } from './engine.js';
import type { Rule } from './rule.js';
import { ruleOptionProblems } from './rule-options.js';

/** One case of a {@link RuleTester} table. */
export interface RuleTestCase {
  /** What the case shows; the test's name. */
  readonly name: string;
  /**
   * The resource(s), as objects. Only findings on the first one count, for valid and invalid cases
   * alike; the others are there for cross-resource rules, and their findings are ignored.
   */
  readonly resources: readonly Record<string, unknown>[];
  /** Options of the rule, over its defaults; each value is checked against the option's schema. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Target Kubernetes version, `1.<minor>` as rules see it. Default `1.35`. */
  readonly kubernetesVersion?: string;
}

/** A case the rule must not report on (on its first resource). */
export type ValidCase = RuleTestCase;

/**
 * A case the rule must report on, at exactly these JSON Pointers (in order) of the first resource:
 * a pointer, or `{ path, message }` to check the message too. `path` is required (`''` is the
 * resource as a whole).
 */
export interface InvalidCase extends RuleTestCase {
  readonly reports: readonly (string | { readonly path: string; readonly message?: string | RegExp })[];
}

/** What a run of one case found. */
export interface RuleTestOutcome {
  /** The case's name (`valid[2]` for a case without a usable one). */
  readonly name: string;
  readonly ok: boolean;
  /** Why the case failed, for the test's assertion message. */
  readonly problem?: string;
  /** Every finding of the rule on the case, on whichever resource. */
  readonly diagnostics: readonly Diagnostic[];
}

type CaseKind = 'valid' | 'invalid';

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
   * itself cannot be run (a malformed case, no resources, a resource that is not an object, an
   * invalid case that expects no report, an option or version the CLI would refuse). Throws a
   * `TypeError` for a table that is not `{ valid?: [...], invalid?: [...] }` with some case.
   */
  run(cases: {
    readonly valid?: readonly ValidCase[];
    readonly invalid?: readonly InvalidCase[];
  }): RuleTestOutcome[] {
    return this.#casesOf(cases).map(({ kind, index, value }) => this.#runOne(kind, index, value));
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
    const named = isObject(c) && typeof c['name'] === 'string' && c['name'] !== '' ? c['name'] : 'the case';
    const shape = shapeProblem(c, undefined);
    if (shape !== undefined) throw new TypeError(`${named}: the case is malformed: ${shape}`);
    const ran = this.#runCase(c);
    if ('problem' in ran) throw new Error(`${named}: ${ran.problem}`);
    return ran.findings;
  }

  /** The cases of a table in order (valid ones first), or a `TypeError` for its outline. */
  #casesOf(table: unknown): { kind: CaseKind; index: number; value: unknown }[] {
    const fail = (why: string) => new TypeError(`${this.#rule.id}: ${why}`);
    if (!isObject(table)) throw fail(`a table is { valid?: [...], invalid?: [...] }, got ${what(table)}`);
    for (const key of Object.keys(table)) {
      if (key !== 'valid' && key !== 'invalid')
        throw fail(`a table has no field ${key} (fields: valid, invalid)`);
    }
    const out: { kind: CaseKind; index: number; value: unknown }[] = [];
    for (const kind of ['valid', 'invalid'] as const) {
      const list = table[kind];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw fail(`${kind} must be a list of cases, got ${what(list)}`);
      for (const [index, value] of (list as unknown[]).entries()) out.push({ kind, index, value });
    }
    if (out.length === 0) throw fail('the table has no cases (it would pass for any rule)');
    return out;
  }

  #runOne(kind: CaseKind, index: number, value: unknown): RuleTestOutcome {
    const at = `${kind}[${index}]`;
    const name =
      isObject(value) && typeof value['name'] === 'string' && value['name'] !== '' ? value['name'] : at;
    const shape = shapeProblem(value, kind);
    if (shape !== undefined)
      return { name, ok: false, problem: `${at} is malformed: ${shape}`, diagnostics: [] };
    const c = value as InvalidCase;
    if (kind === 'invalid' && c.reports.length === 0) {
      const problem = 'an invalid case lists the reports it expects (a case without any belongs in valid)';
      return { name, ok: false, problem, diagnostics: [] };
    }
    const ran = this.#runCase(c);
    if ('problem' in ran) return { name, ok: false, problem: ran.problem, diagnostics: ran.diagnostics };
    // Only the first resource's findings count; with others in the case, messages name it.
    const mine = ran.findings.filter((d) => sameResource(d.resource, ran.first));
    const others = ran.findings.filter((d) => !sameResource(d.resource, ran.first));
    const first = c.resources.length > 1 ? ` (${label(ran.first)})` : '';
    const problem =
      kind === 'invalid'
        ? compare(c.reports, mine, others, first)
        : mine.length > 0
          ? `expected no findings${first === '' ? '' : ` on the first resource${first}`}, got ${describe(mine)}`
          : undefined;
    return { name, ok: problem === undefined, ...(problem ? { problem } : {}), diagnostics: ran.findings };
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
      const shown = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      return {
        problem: `resource ${bad} is ${shown}, not an object (parse YAML into objects before the table)`,
        diagnostics: [],
      };
    }
    const kubernetesVersion = c.kubernetesVersion ?? '1.35';
    // What the CLI hands rules (`--kubernetes-version v1.33.2` reaches them as `1.33`).
    if (!/^1\.(0|[1-9]\d{0,3})$/.test(kubernetesVersion)) {
      return {
        problem: `kubernetesVersion ${JSON.stringify(kubernetesVersion)} is not a Kubernetes version 1.<minor>, such as 1.33 (the form rules see)`,
        diagnostics: [],
      };
    }
    const [wrong] = ruleOptionProblems(this.#rule, c.options ?? {});
    if (wrong !== undefined) {
      const problem = wrong.message.startsWith(`${this.#rule.id} has no option`)
        ? `rule ${wrong.message}`
        : `options.${wrong.name}: ${wrong.message}`;
      return { problem, diagnostics: [] };
    }
    let engine: ReturnType<typeof createPolicyEngine>;
    try {
      engine = createPolicyEngine({
        rules: [this.#rule],
        kubernetesVersion,
        settings: c.options ? { [this.#rule.id]: { options: c.options } } : {},
      });
    } catch (error) {
      // A rule the engine refuses: this case's problem.
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

const CASE_FIELDS = ['name', 'resources', 'options', 'kubernetesVersion'];

/**
 * What is wrong with the outline of a case, if anything: what TypeScript would have caught, for
 * tables written in JavaScript or built at run time. `kind` is undefined for `findings`, which
 * takes either kind.
 */
function shapeProblem(c: unknown, kind: CaseKind | undefined): string | undefined {
  if (!isObject(c)) return `a case is { name, resources, … }, got ${what(c)}`;
  const fields = [...CASE_FIELDS, 'reports'];
  for (const key of Object.keys(c)) {
    if (!fields.includes(key)) return `a case has no field ${key} (fields: ${fields.join(', ')})`;
  }
  // One list filtered into both (`reports: []` for the valid ones) is fine; an expected report is not.
  const reports = c['reports'];
  if (kind === 'valid' && reports !== undefined && !(Array.isArray(reports) && reports.length === 0)) {
    return 'a valid case expects no reports (a case with reports belongs in invalid)';
  }
  if (typeof c['name'] !== 'string' || c['name'] === '')
    return `name must be a non-empty string, got ${what(c['name'])}`;
  if (!Array.isArray(c['resources'])) {
    const hint = isObject(c['resources']) ? ' (one resource too: resources: [resource])' : '';
    return `resources must be a list of resource objects, got ${what(c['resources'])}${hint}`;
  }
  if (c['options'] !== undefined && !isObject(c['options'])) {
    return `options must be an object of option values by name, got ${what(c['options'])}`;
  }
  const version = c['kubernetesVersion'];
  if (version !== undefined && typeof version !== 'string') {
    return `kubernetesVersion must be a string such as '1.33', got ${what(version)}`;
  }
  if (kind === 'invalid' || reports !== undefined) {
    if (!Array.isArray(reports)) {
      const hint =
        typeof reports === 'string' ? ` (one report too: reports: [${JSON.stringify(reports)}])` : '';
      return `reports must be a list of JSON Pointers or { path, message? } objects, got ${what(reports)}${hint}`;
    }
    for (const [i, report] of reports.entries()) {
      const problem = reportProblem(report);
      if (problem !== undefined) return `reports[${i}] ${problem}`;
    }
  }
  return undefined;
}

/** An expected report is a JSON Pointer, or `{ path, message? }`: the path is what a report is. */
function reportProblem(report: unknown): string | undefined {
  if (typeof report === 'string') return pointerProblem(report);
  if (!isObject(report)) return `must be a JSON Pointer or { path, message? }, got ${what(report)}`;
  for (const key of Object.keys(report)) {
    if (key !== 'path' && key !== 'message') return `has no field ${key} (fields: path, message)`;
  }
  const { path, message } = report;
  if (path === undefined)
    return "has no path: each expected report names its JSON Pointer ('' for the whole resource)";
  if (typeof path !== 'string') return `path must be a JSON Pointer string, got ${what(path)}`;
  const problem = pointerProblem(path);
  if (problem !== undefined) return problem.replace(/^is/, 'path is');
  if (message !== undefined && typeof message !== 'string' && !(message instanceof RegExp)) {
    return `message must be a string or a RegExp, got ${what(message)}`;
  }
  return undefined;
}

function pointerProblem(pointer: string): string | undefined {
  return pointer === '' || pointer.startsWith('/')
    ? undefined
    : `is not a JSON Pointer: ${JSON.stringify(pointer)} (one starts with /, such as /spec/replicas; '' is the whole resource)`;
}

/** A value as a message names it: `null`, `a list`, `a string ("…")`, `a number (42)`, … */
function what(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof RegExp) return 'a RegExp';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`;
  return `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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

/** Whether the findings on the first resource are the expected ones, else why not. */
function compare(
  want: InvalidCase['reports'],
  got: readonly Diagnostic[],
  elsewhere: readonly Diagnostic[],
  first: string,
): string | undefined {
  const expected = want.map((w) => (typeof w === 'string' ? { path: w } : w));
  if (expected.length !== got.length) {
    const others =
      elsewhere.length > 0
        ? ` (and ${elsewhere.length} on other resources of the case: ${describe(elsewhere, { where: true })})`
        : '';
    return `expected ${expected.length} finding(s) at ${expected.map((e) => e.path || '(root)').join(', ')} of the first resource${first}, got ${describe(got)}${others}`;
  }
  for (const [i, e] of expected.entries()) {
    const d = got[i] as Diagnostic;
    if (d.path !== e.path)
      return `finding ${i + 1}: expected path ${e.path || '(root)'}, got ${d.path || '(root)'} (${d.message})`;
    const m = e.message;
    if (m !== undefined && (typeof m === 'string' ? d.message !== m : !m.test(d.message))) {
      return `finding ${i + 1}: message ${JSON.stringify(d.message)} does not match ${String(m)}`;
    }
  }
  return undefined;
}

/** Findings as `path "message"`, with the resource (`on Pod/web`) when `where`. */
function describe(diagnostics: readonly Diagnostic[], options: { readonly where?: boolean } = {}): string {
  if (diagnostics.length === 0) return 'none';
  return diagnostics
    .map((d) => {
      const on = options.where && d.resource !== undefined ? ` on ${label(d.resource)}` : '';
      return `${d.path || '(root)'} "${d.message}"${on}`;
    })
    .join('; ');
}

/** `Pod/web`, `Pod/web (namespace a)`: a resource as messages name it. */
function label(id: Resource['id']): string {
  const namespace = id.namespace ? ` (namespace ${id.namespace})` : '';
  return `${id.kind || '(no kind)'}/${id.name}${namespace}`;
}
