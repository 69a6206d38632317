import type { Diagnostic, Resource, Severity, SpanLocator } from '@shipshape/core';
import { type AnnotationExceptions, readAnnotationExceptions } from './annotations.js';
import type { Finding, FinishContext, ResourceFinding, Rule, RuleContext } from './rule.js';

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
}

/** Runs rules on resources as they are read, then the rules that need the whole repository. */
export interface PolicyEngine {
  /** Findings on one resource (suppressed ones included, marked `suppressed`). */
  check(resource: Resource): Diagnostic[];
  /** Findings of rules that look across resources, and exception annotations that matched nothing. */
  finish(): Diagnostic[];
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
  const active = options.rules
    .map((rule) => ({ rule, setting: settingFor(rule.id, options.settings) }))
    .filter(({ setting }) => setting.severity !== 'off');
  const prepared = active.map(({ rule, setting }) => ({
    rule,
    severity: setting.severity === 'off' ? undefined : setting.severity,
    options: { ...defaults(rule), ...setting.options },
  }));
  const honourAnnotations = options.annotationExceptions ?? true;
  // Exception annotations by where their resource was written (rules in `finish` may report on
  // copies of resources), with what each one matched.
  const annotated = new Map<string, { resource: Resource; exceptions: AnnotationExceptions }>();

  function toDiagnostic(
    rule: Rule,
    severity: Severity | undefined,
    resource: Resource,
    finding: Finding,
  ): Diagnostic {
    const span = options.locator?.locate(resource.source, finding.path, { key: finding.atKey ?? false });
    const code = finding.code ?? rule.id;
    const diagnostic: Diagnostic = {
      code,
      severity: severity ?? finding.severity ?? rule.severity,
      message: finding.message,
      resource: resource.id,
      path: finding.path,
      ...(span ? { span } : {}),
      ...(finding.data ? { data: finding.data } : {}),
    };
    const reason = annotated.get(sourceKey(resource))?.exceptions.match(code);
    return reason === undefined ? diagnostic : { ...diagnostic, suppressed: { by: 'annotation', reason } };
  }

  return {
    check(resource) {
      const out: Diagnostic[] = [];
      const exceptions = readAnnotationExceptions(resource);
      if (exceptions) {
        out.push(...exceptions.problems.map((p) => place(p, resource, options.locator)));
        // Kept without the object: only identity and source are needed later.
        const kept: Resource = { id: resource.id, object: {}, source: resource.source };
        if (honourAnnotations) annotated.set(sourceKey(resource), { resource: kept, exceptions });
      }
      for (const { rule, severity, options: ruleOptions } of prepared) {
        if (!rule.check) continue;
        const context: RuleContext = {
          kubernetesVersion: options.kubernetesVersion,
          options: ruleOptions,
          report: (finding) => out.push(toDiagnostic(rule, severity, resource, finding)),
        };
        try {
          rule.check(resource, context);
        } catch (error) {
          out.push(ruleError(rule, error, resource, options.locator));
        }
      }
      return out;
    },
    finish() {
      const out: Diagnostic[] = [];
      for (const { rule, severity, options: ruleOptions } of prepared) {
        if (!rule.finish) continue;
        const context: FinishContext = {
          kubernetesVersion: options.kubernetesVersion,
          options: ruleOptions,
          report: (finding: ResourceFinding) =>
            out.push(toDiagnostic(rule, severity, finding.resource, finding)),
        };
        try {
          rule.finish(context);
        } catch (error) {
          out.push(ruleError(rule, error, undefined, options.locator));
        }
      }
      for (const { resource, exceptions } of annotated.values()) {
        for (const unused of exceptions.unused()) out.push(place(unused, resource, options.locator));
      }
      return out;
    },
  };
}

function sourceKey(resource: Resource): string {
  const { path, ref, document, item } = resource.source;
  return `${ref ?? ''}\u0000${path}\u0000${document}\u0000${item ?? ''}`;
}

function settingFor(id: string, settings: PolicyEngineOptions['settings']): RuleSetting {
  if (!settings) return {};
  const exact = settings[id];
  if (exact) return exact;
  const slash = id.indexOf('/');
  return (slash > 0 ? settings[`${id.slice(0, slash)}/*`] : undefined) ?? {};
}

function defaults(rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(rule.options ?? {})) out[name] = option.default;
  return out;
}

function place(d: Diagnostic, resource: Resource, locator: SpanLocator | undefined): Diagnostic {
  const span = d.path === undefined ? undefined : locator?.locate(resource.source, d.path, { key: true });
  return { ...d, resource: resource.id, ...(span ? { span } : {}) };
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
