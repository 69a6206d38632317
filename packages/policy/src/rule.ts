import type { KubernetesObject, Resource, ResourceId, Severity } from '@shipshape/core';

/** What a rule is about; used to group rules in docs and reports. */
export type RuleCategory = 'security' | 'reliability' | 'efficiency' | 'hygiene' | 'admission';

/** A finding a rule reports on one resource. The engine turns it into a diagnostic with a span. */
export interface Finding {
  /** JSON Pointer into the resource's object (`''` for the whole object). */
  readonly path: string;
  /** One sentence naming the field and what to do; never a Secret's value. */
  readonly message: string;
  /** Place the span on the key of `path` rather than on its value (missing or forbidden fields). */
  readonly atKey?: boolean;
  /** Overrides the rule's severity for this finding (e.g. a VAP binding's `Warn` action). */
  readonly severity?: Severity;
  /**
   * The diagnostic code, for a rule that reports under several (`vap/<policy-name>`). Default: the
   * rule's id. Config settings and exceptions match it the same way.
   */
  readonly code?: string;
  /**
   * Free-form details, copied to the diagnostic. Set `sensitive: true` when the field at `path`
   * holds a credential: reports then never show its source lines (nor the lines indented under a
   * key), in this finding's code frame or any other.
   */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A finding about some resource, reported from {@link Rule.finish}. */
export interface ResourceFinding extends Finding {
  readonly resource: Resource;
}

/** Everything a rule sees besides the resource. */
export interface RuleContext {
  /** Target Kubernetes version, `X.Y` (from `--kubernetes-version`). */
  readonly kubernetesVersion: string;
  /** The rule's options: the user's, over the defaults. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Report a finding on the resource being checked. */
  report(finding: Finding): void;
  /**
   * Place a finding on the resource being checked now, and report it only if {@link Rule.finish}
   * passes the returned handle to its `report`: for a verdict that waits for other resources (no
   * PodDisruptionBudget selects this workload). Placing it later would read the file again.
   */
  hold(finding: Finding): HeldFinding;
}

/** A finding placed by {@link RuleContext.hold}, reported if `finish` passes it to `report`. */
export interface HeldFinding {
  /** The finding's code (the rule's id unless the finding names one). */
  readonly code: string;
  /** The resource it is about. */
  readonly resource: ResourceId;
}

/** The context of {@link Rule.finish}: findings name their resource, or were held in `check`. */
export interface FinishContext {
  readonly kubernetesVersion: string;
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Report a finding that names its resource, or one held in `check`. A held finding keeps its
   * place; `restated` gives it the message (and data) the verdict settled on, when that differs
   * from what was known when it was held (which directions a NetworkPolicy left open).
   */
  report(finding: ResourceFinding | HeldFinding, restated?: RestatedFinding): void;
}

/** What a held finding says when it is reported, where that differs from what it was held with. */
export interface RestatedFinding {
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * The severity the verdict gives it (a Pod Security Admission mode: enforce, warn or audit);
   * severities set in the configuration still win.
   */
  readonly severity?: Severity;
}

/** An example in a rule's documentation; docs pages show them and tests run them. */
export interface RuleExample {
  /** What the example shows, in a few words. */
  readonly title: string;
  /** One or more YAML documents. */
  readonly yaml: string;
  /** Pointers the rule must report on the first document's resource; empty for a passing example. */
  readonly reports: readonly string[];
}

/** The documentation of a rule: the source of its `docs/rules/` page and its SARIF metadata. */
export interface RuleDocs {
  /** One line: what the rule requires. */
  readonly summary: string;
  /** Why it matters and how to fix it: a paragraph or two of Markdown. */
  readonly details: string;
  /** Where the rule comes from (PSS check, Polaris check, …), if anywhere. */
  readonly upstream?: readonly string[];
  readonly examples: readonly RuleExample[];
}

/** A rule option: a JSON Schema for its value and its default. */
export interface RuleOption {
  readonly description: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly default: unknown;
}

/**
 * One policy check. `check` runs on every resource as it is read (objects are released after
 * their file), so a rule that needs other resources keeps what it needs in `check` and reports
 * from `finish`, once every resource has been seen. Keep small facts, or the `Resource` itself:
 * a resource from `check()` reads its object again from the file when asked, so holding it is
 * cheap; holding `resource.object` keeps the whole parsed object in memory. Such a rule holds
 * state for one run: create it fresh for each engine (a factory, as the built-in packs do) and
 * clear the state at the end of `finish`.
 *
 * @example
 * ```ts
 * const noLatest: Rule = {
 *   id: 'custom/no-latest',
 *   category: 'reliability',
 *   severity: 'warning',
 *   docs: { summary: 'Images are pinned to a tag other than latest.', details: '…', examples: [] },
 *   check(resource, context) {
 *     for (const c of containersOf(podSpecOf(resource))) {
 *       if (String(c.container['image']).endsWith(':latest')) {
 *         context.report({ path: `${c.pointer}/image`, message: `container ${c.name} uses the latest tag` });
 *       }
 *     }
 *   },
 * };
 * ```
 */
export interface Rule {
  /** Stable id, also the diagnostic code: `pss/privileged`, `bp/image-tag`, `vap/<policy>`. */
  readonly id: string;
  readonly category: RuleCategory;
  /** Severity of its findings unless the config overrides it. */
  readonly severity: Severity;
  readonly docs: RuleDocs;
  /** Options by name, with their schemas and defaults. */
  readonly options?: Readonly<Record<string, RuleOption>>;
  /**
   * The kinds `check` looks at (by `kind`, in any API group), such as `POD_KINDS` for rules about
   * pods; the engine does not call it for other resources. Leave it out to see every resource. A
   * rule still checks the group itself when it must (a Knative `Service` is not a core one).
   */
  readonly kinds?: readonly string[];
  /**
   * Call `check` for custom resources too (kinds the Kubernetes API does not define), whatever
   * `kinds` says: for rules about pods that also look in custom controllers (an Argo `Rollout`)
   * through `podSpecOf(resource, { customResources: true })`.
   */
  readonly customResources?: boolean;
  check?(resource: Resource, context: RuleContext): void;
  finish?(context: FinishContext): void;
}

/** A named, ordered set of rules (`pss-baseline`, `best-practices`, …). */
export interface RulePack {
  readonly name: string;
  readonly description: string;
  /** Rules of the pack; they may depend on the target version (PSS is versioned). */
  readonly rules: readonly Rule[];
}

/** A resource's identity and object, as rules receive them. */
export type { KubernetesObject, Resource, ResourceId };
