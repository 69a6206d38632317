import type { Diagnostic, Resource, ResourceId, Severity, SpanLocator } from '@shipshape/core';
import { builtInKind, isSeverity, keepShape, ownString, stringPool } from '@shipshape/core';
import {
  type AnnotationExceptions,
  matchesRule,
  namespaceOf,
  readAnnotationExceptions,
} from './annotations.js';
import { ownData } from './own-data.js';
import type {
  Finding,
  FinishContext,
  HeldFinding,
  ResourceFinding,
  RestatedFinding,
  Rule,
  RuleContext,
} from './rule.js';
import { ruleOptionProblems } from './rule-options.js';
import { sealResource } from './workloads.js';

/** Per-rule settings from the configuration. */
export interface RuleSetting {
  /** Severity of the rule's findings, or `off` to not run it. */
  readonly severity?: Severity | 'off';
  /** Options of the rule, over its defaults. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Options of {@link createPolicyEngine}. */
export interface PolicyEngineOptions {
  readonly rules: readonly Rule[];
  /** Target Kubernetes version, `X.Y`. */
  readonly kubernetesVersion: string;
  /** Places findings in the source; without it diagnostics carry only a JSON Pointer. */
  readonly locator?: SpanLocator;
  /** Settings per rule id (exact id, or a pack prefix such as `pss/*`). */
  readonly settings?: Readonly<Record<string, RuleSetting>>;
  /**
   * Honour `shipshape.dev/exceptions` annotations on resources (default `true`). With `false`,
   * findings they would suppress are reported as usual: for security teams that allow exceptions
   * only in the reviewed config file.
   */
  readonly annotationExceptions?: boolean;
  /**
   * A clock in milliseconds (`performance.now` in Node.js and browsers). With it, the engine times
   * every rule's `check` and `finish` and the placing of findings: see {@link PolicyEngine.timings}.
   * Without it nothing is timed and nothing is spent on timing.
   */
  readonly clock?: () => number;
}

/** Time one rule took in a run, in milliseconds of the engine's `clock`. */
export interface RuleTiming {
  /** The rule's id. */
  readonly rule: string;
  /** In `check`, over every resource of a kind it looks at; building its findings included. */
  readonly check: number;
  /** In `finish`, building its findings included. */
  readonly finish: number;
  /** How many resources its `check` was called for. */
  readonly calls: number;
}

/** Where a policy run's time went (see {@link PolicyEngineOptions.clock}). */
export interface PolicyTimings {
  /** Every rule the engine runs, in the order it was given them. */
  readonly rules: readonly RuleTiming[];
  /** Placing findings in the source (file, line and column), for all rules together. */
  readonly placing: number;
}

/** Runs rules on resources as they are read, then the rules that need the whole repository. */
export interface PolicyEngine {
  /** Findings on one resource (suppressed ones included, marked `suppressed`). */
  check(resource: Resource): Diagnostic[];
  /** Findings of rules that look across resources, and exception annotations that matched nothing. */
  finish(): Diagnostic[];
  /**
   * Time spent so far by each rule and on placing findings, when the engine was given a `clock`;
   * `undefined` otherwise.
   *
   * @example
   * ```ts
   * const engine = createPolicyEngine({ rules, kubernetesVersion: '1.35', clock: () => performance.now() });
   * for (const r of resources) engine.check(r);
   * engine.finish();
   * const slowest = [...(engine.timings()?.rules ?? [])].sort((a, b) => b.check + b.finish - (a.check + a.finish))[0];
   * ```
   */
  timings(): PolicyTimings | undefined;
}

/**
 * Make a policy engine for a set of rules.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: packRules(['pss-restricted'], '1.33'), kubernetesVersion: '1.33', locator: set.locator });
 * const diagnostics = [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()];
 * ```
 */
export function createPolicyEngine(options: PolicyEngineOptions): PolicyEngine {
  const honourAnnotations = options.annotationExceptions ?? true;
  const locator = options.locator;
  const clock = options.clock;
  // Time spent placing findings, when timed.
  let placing = 0;
  // Exception annotations by where their resource was written (rules in `finish` may report on
  // copies of resources), with what each one matched.
  const annotated = new Map<string, { resource: Resource; exceptions: AnnotationExceptions }>();
  // The resource being checked, its exceptions and where its findings go. `check` is synchronous,
  // so one context per rule serves every resource: no objects or closures per resource and rule.
  let current: Resource | undefined;
  let currentExceptions: AnnotationExceptions | undefined;
  let out: Diagnostic[] = [];
  // Findings of the resource being checked, placed together when its rules are done.
  let unplaced: Unplaced[] = [];
  // Own copies of pointers (a pointer built from the object's keys would keep the file's text
  // alive), one per distinct value: findings repeat a handful of pointers thousands of times.
  // Messages are copied, not pooled: they mostly name their resource, so a pool hashed every one
  // to keep about a third (11,427 distinct of 33,413 on the generated repository): in CPU profiles
  // of the engine placing those findings, the pool took about 7 % of the run, a copy about 2 %.
  const pooledPointer = stringPool(POOL_LIMIT);

  // Held findings name their engine: one held by another engine cannot be released here.
  const engineToken = {};
  // Rules that reported after their `check` returned (from a timer or a promise): said in `finish`,
  // once per rule; throwing from a timer would end the process.
  const lateRules = new Map<Rule, 'reported' | 'held'>();
  const late = (rule: Rule, what: 'reported' | 'held'): void => {
    if (!lateRules.has(rule)) lateRules.set(rule, what);
  };
  checkSettings(options.settings);
  // Settings of codes a rule reports besides its id (`vap/<policy-name>`), looked up once per code.
  const codeSettings = new Map<string, Severity | 'off' | undefined>();
  const codeSetting = (code: string): Severity | 'off' | undefined => {
    if (!codeSettings.has(code)) codeSettings.set(code, settingFor(code, options.settings).severity);
    return codeSettings.get(code);
  };
  /** Whether the settings turn off the code a finding reports under (not the rule's own id). */
  const isOff = (finding: Finding) =>
    finding.code !== undefined && options.settings !== undefined && codeSetting(finding.code) === 'off';
  const prepared: Prepared[] = [];
  for (const rule of options.rules) {
    checkRule(rule);
    const setting = settingFor(rule.id, options.settings);
    if (setting.severity === 'off') continue;
    // Options the rule does not declare, or values its schemas refuse, would run it on nonsense.
    const [wrong] = ruleOptionProblems(rule, setting.options ?? {});
    if (wrong !== undefined) {
      throw new TypeError(
        wrong.message.startsWith(`${rule.id} has no option`)
          ? `rule ${wrong.message}`
          : `rule ${rule.id} option ${wrong.name}: ${wrong.message}`,
      );
    }
    const ruleOptions = keepOptionsShape({ ...defaults(rule), ...setting.options });
    const entry: Prepared = {
      rule,
      severity: setting.severity,
      kinds: rule.kinds === undefined ? undefined : new Set(rule.kinds),
      check: rule.check?.bind(rule) ?? noCheck,
      checkTime: 0,
      finishTime: 0,
      calls: 0,
      context: {
        kubernetesVersion: options.kubernetesVersion,
        options: ruleOptions,
        report: (finding) => {
          if (current === undefined) return late(rule, 'reported');
          const kept = sound(entry, current, finding);
          if (isOff(kept)) return;
          out.push(toDiagnostic(entry, current, kept, currentExceptions, unplaced));
        },
        hold: (finding) => {
          if (current === undefined) {
            late(rule, 'held');
            return new Held(engineToken, undefined, undefined, rule.id, NO_RESOURCE);
          }
          const kept = sound(entry, current, finding);
          // A code turned off is never reported: its handle releases nothing.
          if (isOff(kept))
            return new Held(engineToken, undefined, undefined, kept.code ?? rule.id, current.id);
          // Exceptions are matched when the finding is reported: one never reported uses none.
          const diagnostic = toDiagnostic(entry, current, kept, undefined, unplaced);
          return new Held(engineToken, diagnostic, currentExceptions, diagnostic.code, current.id);
        },
      },
      finishContext: {
        kubernetesVersion: options.kubernetesVersion,
        options: ruleOptions,
        report: (finding: ResourceFinding | HeldFinding, restated?: RestatedFinding) => {
          if (finding instanceof Held && finding.owner === engineToken) {
            // A restated severity gives way to the configuration's, as a reported one does.
            const wanted = restated?.severity;
            if (wanted !== undefined && !isSeverity(wanted)) {
              const why = `it restated a held finding with the severity ${JSON.stringify(wanted)}: use error, warning or info (the held finding's is kept)`;
              out.push(ruleError(rule, new Error(why), undefined, locator));
            }
            const severity =
              wanted !== undefined && isSeverity(wanted)
                ? (configuredSeverity(entry, finding.code) ?? wanted)
                : undefined;
            const diagnostic = finding.release(
              restated === undefined
                ? undefined
                : {
                    message: ownString(String(restated.message)),
                    data: restated.data === undefined ? undefined : ownData(restated.data),
                    severity,
                  },
            );
            if (diagnostic) out.push(diagnostic);
            return;
          }
          if (finding instanceof Held) {
            out.push(
              ruleError(rule, new Error('it reported a held finding of another engine'), undefined, locator),
            );
            return;
          }
          // A finding from finish names its resource: without one it cannot be placed or kept.
          const resource = (finding as Partial<ResourceFinding> | null)?.resource;
          if (!isResource(resource)) {
            out.push(
              ruleError(
                rule,
                new Error(
                  'finish() reported a finding without its resource (report { resource, path, message })',
                ),
                undefined,
                locator,
              ),
            );
            return;
          }
          const kept = sound(entry, resource, finding as ResourceFinding);
          if (isOff(kept)) return;
          const exceptions =
            annotated.size === 0 ? undefined : annotated.get(sourceKey(resource))?.exceptions;
          out.push(toDiagnostic(entry, resource, kept, exceptions));
        },
      },
    };
    prepared.push(entry);
  }
  // Whether an exception pattern names a rule of this engine, or a code one reports (`vap/<name>`),
  // or rules of a namespace one of its rules is in (`bp/lables` when bp rules run: a typo, or off).
  const runs = (pattern: string): boolean =>
    prepared.some((p) => {
      const id = p.rule.id;
      const namespace = namespaceOf(id);
      return (
        matchesRule(pattern, id) ||
        pattern.startsWith(`${id}/`) ||
        pattern === namespace ||
        pattern.startsWith(`${namespace}/`)
      );
    });
  // The rules that look at each kind, worked out the first time the kind is seen; custom resources
  // (kinds the Kubernetes API does not define) apart, for the rules that look in them too.
  const byKind = new Map<string, Prepared[]>();
  const byCustomKind = new Map<string, Prepared[]>();
  const rulesFor = (id: ResourceId): Prepared[] => {
    const custom = builtInKind(id.group, id.kind) === undefined;
    const known = custom ? byCustomKind : byKind;
    let list = known.get(id.kind);
    if (!list) {
      list = prepared.filter(
        (p) =>
          p.rule.check &&
          (p.kinds === undefined || p.kinds.has(id.kind) || (custom && p.rule.customResources === true)),
      );
      known.set(id.kind, list);
    }
    return list;
  };

  /**
   * The severity the settings give `code` of a rule: the code's own setting first
   * (`vap/replica-limit`), then the rule's; `undefined` when neither sets one.
   */
  function configuredSeverity(entry: Prepared, code: string): Severity | undefined {
    const own = code === entry.rule.id || options.settings === undefined ? undefined : codeSetting(code);
    return (own === 'off' ? undefined : own) ?? entry.severity;
  }

  /**
   * The finding as the engine can keep it. A malformed one (a severity that is not one, a path that
   * is not a JSON Pointer, a message that is not a string) is kept, mended, and the mistake is
   * reported as the rule's error: a rule author's slip must neither crash the run nor quietly
   * lower a finding to `info`.
   */
  function sound(entry: Prepared, resource: Resource, finding: Finding): Finding {
    const problem = findingProblem(finding, entry.rule.id);
    if (problem === undefined) return finding;
    out.push(ruleError(entry.rule, new Error(problem), resource, locator));
    if (finding === null || typeof finding !== 'object') return { path: '', message: String(finding) };
    const path = typeof finding.path === 'string' && isPointer(finding.path) ? finding.path : '';
    const { severity, ...rest } = finding;
    return {
      ...rest,
      path,
      message: String(finding.message),
      ...(severity !== undefined && isSeverity(severity) ? { severity } : {}),
      ...(typeof finding.code === 'string' && ownCode(finding.code, entry.rule.id)
        ? {}
        : { code: entry.rule.id }),
    };
  }

  /**
   * The diagnostic of a finding. With `later`, it is placed (and completed) by {@link placeAll}
   * once every rule has looked at the resource; otherwise now.
   */
  function toDiagnostic(
    entry: Prepared,
    resource: Resource,
    finding: Finding,
    exceptions: AnnotationExceptions | undefined,
    later?: Unplaced[],
  ): Mutable<Diagnostic> {
    const code = finding.code ?? entry.rule.id;
    const diagnostic: Mutable<Diagnostic> = {
      code,
      severity: configuredSeverity(entry, code) ?? finding.severity ?? entry.rule.severity,
      message: ownString(finding.message),
      resource: resource.id,
      path: pooledPointer(finding.path),
    };
    const data = finding.data ? ownData(finding.data) : undefined;
    const reason = exceptions?.match(code);
    const key = finding.atKey ?? false;
    if (later) later.push({ diagnostic, pointer: finding.path, key, data, reason });
    else complete(diagnostic, locator?.locate(resource.source, finding.path, { key }), data, reason);
    return diagnostic;
  }

  /**
   * Place the findings of `resource` in one go (see `SpanLocator.locateAll`), else one at a time. A
   * locator that fails leaves a finding without its span, never the finding out.
   */
  function placeAll(resource: Resource, list: readonly Unplaced[]): void {
    let spans: readonly (Diagnostic['span'] | undefined)[] | undefined;
    try {
      spans = locator?.locateAll?.(resource.source, list);
    } catch {
      spans = undefined; // one at a time below
    }
    for (let i = 0; i < list.length; i++) {
      const u = list[i] as Unplaced;
      complete(u.diagnostic, spans ? spans[i] : locateOne(resource, u), u.data, u.reason);
    }
  }

  function locateOne(resource: Resource, u: Unplaced): Diagnostic['span'] | undefined {
    try {
      return locator?.locate(resource.source, u.pointer, { key: u.key });
    } catch {
      return undefined;
    }
  }

  /** The rules of one resource, run while it is sealed (see `sealResource`). */
  function checkSealed(resource: Resource): Diagnostic[] {
    const found: Diagnostic[] = [];
    out = found;
    current = resource;
    // With annotations not honoured, the annotation is not read at all: its mistakes are not reported.
    const exceptions = honourAnnotations ? readAnnotationExceptions(resource) : undefined;
    currentExceptions = exceptions;
    if (exceptions) {
      for (const p of exceptions.problems) found.push(place(p, resource, locator));
      // Kept without the object: only identity and source are needed later.
      const kept: Resource = { id: resource.id, object: {}, source: resource.source };
      if (honourAnnotations) annotated.set(sourceKey(resource), { resource: kept, exceptions });
    }
    // Index loops and the check kept on the entry: for-of over these arrays and a megamorphic
    // `rule.check` load cost as much as a cheap rule (CPU profile: 45 → 24 ms a run on 30,000 resources).
    const list = rulesFor(resource.id);
    if (clock === undefined) {
      for (let i = 0; i < list.length; i++) runCheck(list[i] as Prepared, resource, found, locator);
    } else {
      for (let i = 0; i < list.length; i++) {
        const entry = list[i] as Prepared;
        const start = clock();
        runCheck(entry, resource, found, locator);
        entry.checkTime += clock() - start;
        entry.calls++;
      }
    }
    if (unplaced.length > 0) {
      const start = clock?.() ?? 0;
      placeAll(resource, unplaced);
      if (clock) placing += clock() - start;
      unplaced = [];
    }
    current = undefined;
    currentExceptions = undefined;
    return found;
  }

  return {
    check(resource) {
      const outer = sealResource(resource);
      try {
        return checkSealed(resource);
      } finally {
        sealResource(outer);
      }
    },
    finish() {
      const found: Diagnostic[] = [];
      out = found;
      for (const entry of prepared) {
        if (!entry.rule.finish) continue;
        const start = clock?.() ?? 0;
        try {
          const returned: unknown = entry.rule.finish(entry.finishContext);
          if (isThenable(returned))
            found.push(asyncError(entry.rule, 'finish', returned, undefined, locator));
        } catch (error) {
          found.push(ruleError(entry.rule, error, undefined, locator));
        }
        if (clock) entry.finishTime += clock() - start;
      }
      for (const [rule, what] of lateRules) {
        const why = `it ${what} a finding after check() returned (from a timer or a promise); rules run synchronously, so that finding is lost`;
        found.push(ruleError(rule, new Error(why), undefined, locator));
      }
      lateRules.clear();
      for (const { resource, exceptions } of annotated.values()) {
        for (const unused of exceptions.unused(runs)) found.push(place(unused, resource, locator));
      }
      // Reported once: a second finish (or one after more checks) starts from nothing.
      annotated.clear();
      return found;
    },
    timings() {
      if (clock === undefined) return undefined;
      return {
        rules: prepared.map((p) => ({
          rule: p.rule.id,
          check: p.checkTime,
          finish: p.finishTime,
          calls: p.calls,
        })),
        placing,
      };
    },
  };
}

function noCheck(): void {}

/**
 * Run one rule's `check` on a resource: a rule that throws, or returns a promise, is reported as
 * the rule's error on that resource, and the run goes on.
 */
function runCheck(
  entry: Prepared,
  resource: Resource,
  found: Diagnostic[],
  locator: SpanLocator | undefined,
): void {
  try {
    const returned: unknown = entry.check(resource, entry.context);
    if (isThenable(returned)) found.push(asyncError(entry.rule, 'check', returned, resource, locator));
  } catch (error) {
    found.push(ruleError(entry.rule, error, resource, locator));
  }
}

/** Distinct pointers an engine keeps one copy of (more are copied each time). */
const POOL_LIMIT = 100_000;

/** A finding's diagnostic waiting for its span, with what is set after the span (key order is the contract's). */
interface Unplaced {
  readonly diagnostic: Mutable<Diagnostic>;
  readonly pointer: string;
  readonly key: boolean;
  readonly data: Record<string, unknown> | undefined;
  readonly reason: string | undefined;
}

function complete(
  diagnostic: Mutable<Diagnostic>,
  span: Diagnostic['span'],
  data: Record<string, unknown> | undefined,
  reason: string | undefined,
): void {
  if (span) diagnostic.span = span;
  if (data) diagnostic.data = data;
  if (reason !== undefined) diagnostic.suppressed = { by: 'annotation', reason };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A placed finding waiting for `finish`, with the exceptions of its resource; without a diagnostic
 * when its code is turned off.
 */
class Held implements HeldFinding {
  readonly owner: object;
  readonly code: string;
  readonly resource: ResourceId;
  readonly #diagnostic: Mutable<Diagnostic> | undefined;
  readonly #exceptions: AnnotationExceptions | undefined;
  #released = false;

  constructor(
    owner: object,
    diagnostic: Mutable<Diagnostic> | undefined,
    exceptions: AnnotationExceptions | undefined,
    code: string,
    resource: ResourceId,
  ) {
    this.owner = owner;
    this.#diagnostic = diagnostic;
    this.#exceptions = exceptions;
    this.code = code;
    this.resource = resource;
  }

  /**
   * The diagnostic, with the message (and data) `restated` gives, marked suppressed when an
   * exception of its resource covers it (once).
   */
  release(restated?: {
    readonly message: string;
    readonly data: Readonly<Record<string, unknown>> | undefined;
    readonly severity: Severity | undefined;
  }): Diagnostic | undefined {
    if (this.#released || this.#diagnostic === undefined) return undefined;
    this.#released = true;
    if (restated) {
      this.#diagnostic.message = restated.message;
      if (restated.data !== undefined) this.#diagnostic.data = restated.data;
      if (restated.severity !== undefined) this.#diagnostic.severity = restated.severity;
    }
    const reason = this.#exceptions?.match(this.#diagnostic.code);
    if (reason !== undefined) this.#diagnostic.suppressed = { by: 'annotation', reason };
    return this.#diagnostic;
  }
}

/** A rule that runs, with its settings and its (reused) contexts. */
interface Prepared {
  readonly rule: Rule;
  readonly severity: Severity | undefined;
  readonly kinds: ReadonlySet<string> | undefined;
  /** `rule.check` bound to its rule, read once (rules are objects of many shapes). */
  readonly check: NonNullable<Rule['check']>;
  readonly context: RuleContext;
  readonly finishContext: FinishContext;
  /** Milliseconds in `check` and `finish`, and `check` calls, when the engine has a clock. */
  checkTime: number;
  finishTime: number;
  calls: number;
}

function sourceKey(resource: Resource): string {
  const { path, ref, document, item } = resource.source;
  return `${ref ?? ''}\u0000${path}\u0000${document}\u0000${item ?? ''}`;
}

/**
 * The settings of a rule or code: its own over its pack's (`pss/*`), field by field, so that a
 * rule's options do not undo its pack's severity. Options come from the rule's own entry only.
 */
function settingFor(id: string, settings: PolicyEngineOptions['settings']): RuleSetting {
  if (!settings) return {};
  const exact = Object.hasOwn(settings, id) ? settings[id] : undefined;
  const slash = id.indexOf('/');
  const pack = slash > 0 ? `${id.slice(0, slash)}/*` : undefined;
  const wide = pack !== undefined && Object.hasOwn(settings, pack) ? settings[pack] : undefined;
  const severity = exact?.severity ?? wide?.severity;
  return {
    ...(severity === undefined ? {} : { severity }),
    ...(exact?.options === undefined ? {} : { options: exact.options }),
  };
}

/** Settings whose severity is not one are a caller's mistake: refused when the engine is made. */
function checkSettings(settings: PolicyEngineOptions['settings']): void {
  for (const [id, setting] of Object.entries(settings ?? {})) {
    const severity = setting?.severity;
    if (severity !== undefined && severity !== 'off' && !isSeverity(severity)) {
      throw new TypeError(
        `settings for ${id}: severity ${JSON.stringify(severity)} is not error, warning, info or off`,
      );
    }
  }
}

/** A rule the engine cannot run (no id, a severity that is not one, `kinds` not a list) is refused. */
function checkRule(rule: Rule): void {
  if (typeof rule.id !== 'string' || rule.id === '') {
    throw new TypeError(`a rule has the id ${JSON.stringify(rule.id)}: every rule needs one (team/name)`);
  }
  if (!isSeverity(rule.severity)) {
    throw new TypeError(
      `rule ${rule.id} has severity ${JSON.stringify(rule.severity)}: use error, warning or info`,
    );
  }
  if (rule.kinds !== undefined && !Array.isArray(rule.kinds)) {
    throw new TypeError(`rule ${rule.id}: kinds must be a list of kinds, such as ['Pod'] or POD_KINDS`);
  }
}

/**
 * A rule's options object is built key by key, so its hidden class hangs on weak transitions and
 * dies with its engine (see keepShape in @shipshape/core): a rule that reads its options was then
 * thrown away and compiled again for the next engine (test/keep-shape.test.ts fails without this).
 * The first options object of each set of keys is kept (at most a thousand sets).
 */
function keepOptionsShape(options: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(options).join('\u0000');
  if (!optionShapes.has(keys) && optionShapes.size < OPTION_SHAPES_LIMIT) {
    optionShapes.set(keys, keepShape(options));
  }
  return options;
}

const optionShapes = new Map<string, unknown>();
const OPTION_SHAPES_LIMIT = 1000;

function defaults(rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(rule.options ?? {})) out[name] = option.default;
  return out;
}

function place(d: Diagnostic, resource: Resource, locator: SpanLocator | undefined): Diagnostic {
  const span = d.path === undefined ? undefined : locator?.locate(resource.source, d.path, { key: true });
  return { ...d, resource: resource.id, ...(span ? { span } : {}) };
}

function isPointer(path: string): boolean {
  return path === '' || path.startsWith('/');
}

/** What is wrong with a reported finding, if anything (checked before it is kept). */
function findingProblem(finding: Finding, ruleId: string): string | undefined {
  if (finding === null || typeof finding !== 'object') return `it reported ${String(finding)}, not a finding`;
  if (typeof finding.path !== 'string' || !isPointer(finding.path))
    return `it reported the path ${JSON.stringify(finding.path)}, which is not a JSON Pointer ('' or '/…'); the finding is placed on the whole resource`;
  if (typeof finding.message !== 'string') return 'it reported a finding whose message is not a string';
  if (finding.severity !== undefined && !isSeverity(finding.severity))
    return `it reported the severity ${JSON.stringify(finding.severity)}: use error, warning or info (the rule's own severity is used)`;
  if (finding.code !== undefined && typeof finding.code !== 'string')
    return 'it reported a code that is not a string (the rule id is used)';
  if (finding.code !== undefined && !ownCode(finding.code, ruleId))
    return `it reported the code ${finding.code}, which is not its id nor below it (${ruleId}/…); the rule id is used`;
  return undefined;
}

/** Whether a rule may report under `code`: its id, or a code below it (`vap/<policy-name>`). */
function ownCode(code: string, ruleId: string): boolean {
  return code === ruleId || code.startsWith(`${ruleId}/`);
}

/** A resource a rule named in `finish`: an identity and a source are what placing needs. */
function isResource(value: unknown): value is Resource {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Partial<Resource>;
  return typeof r.id === 'object' && r.id !== null && typeof r.source === 'object' && r.source !== null;
}

/** The resource of a handle held after `check` returned: it names none. */
const NO_RESOURCE: ResourceId = { apiVersion: '', group: '', kind: '', namespace: '', name: '' };

// Held findings die with their check: one kept keeps their hidden class (see keepShape).
keepShape(new Held({}, undefined, undefined, '', NO_RESOURCE));

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * A rule whose `check` or `finish` returned a promise: what it reports after its first `await`
 * comes too late to count. The promise's failure (a late `report` throws) is absorbed here: it must
 * not end the run as an unhandled rejection.
 */
function asyncError(
  rule: Rule,
  method: 'check' | 'finish',
  returned: PromiseLike<unknown>,
  resource: Resource | undefined,
  locator: SpanLocator | undefined,
): Diagnostic {
  void Promise.resolve(returned).catch(() => undefined);
  const why = `${method}() returned a promise; rules run synchronously, so what it reports after an await is lost`;
  return ruleError(rule, new Error(why), resource, locator);
}

function ruleError(
  rule: Rule,
  error: unknown,
  resource: Resource | undefined,
  locator: SpanLocator | undefined,
): Diagnostic {
  const why = error instanceof Error ? error.message : String(error);
  const d: Diagnostic = {
    code: 'policy/rule-error',
    severity: 'error',
    message: `rule ${rule.id} failed${resource ? ' on this resource' : ''}: ${why}`,
    path: '',
    data: { rule: rule.id },
  };
  return resource ? place(d, resource, locator) : d;
}

// An engine's rule entries and the contexts its rules get are object literals holding closures:
// V8 gives them hidden classes that hang on weak transitions, and each engine's die with it. Every
// rule compiled for one engine's contexts was then thrown away and compiled again for the next
// (a host that checks again and again makes one engine per check). A small engine kept for the
// life of the module keeps those classes (see keepShape in @shipshape/core).
keepShape(
  createPolicyEngine({
    rules: [
      {
        id: 'shipshape/keep-shape',
        category: 'reliability',
        severity: 'info',
        docs: { summary: 'Keeps the hidden classes of rule contexts alive.', details: '', examples: [] },
        check: noCheck,
      },
    ],
    kubernetesVersion: '1.35',
  }),
);
