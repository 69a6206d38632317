import { type Environment, Optional } from '@marcbachmann/cel-js';
import { isObject } from '../workloads.js';
import { CostLimitError, CostMeter, DEFAULT_COST_BUDGET } from './cel-cost.js';
import {
  type CompiledExpression,
  compileExpression,
  createCrdRuleEnvironment,
  createTypedCrdRuleBase,
  typedCheck,
} from './cel-environment.js';
import { SchemaTypes } from './cel-schema-types.js';
import { describeCelValue, errorSummary, toCelMap, toCelValue } from './cel-values.js';
import { parseDuration, parseTimestamp } from './lib-time.js';
import { fieldProblem } from './type-check.js';

/** The variables a CRD's rules read the object from: both typed by the rule's schema node. */
const SELF_ROOTS: readonly string[] = ['self', 'oldSelf'];

/** A JSON Schema node of a CRD, as the schema package hands it over. */
type SchemaNode = Readonly<Record<string, unknown>>;

/** What a CRD rule gives: `true` or `false`, an error that rejects the object, or why it was not run. */
export type CrdRuleOutcome = boolean | { readonly notEvaluated: string } | { readonly error: string };

/**
 * `oldSelf` of a transition rule on an update (the `Transition` of `@shipshape/schema`): the old
 * value at the rule's place, absent where the update adds it; and the rule's `optionalOldSelf`.
 */
export interface CrdRuleTransition {
  readonly old?: { readonly value: unknown };
  readonly optionalOldSelf: boolean;
}

/**
 * Evaluators of CustomResourceDefinition validation rules (`x-kubernetes-validations`), in the
 * shape `createSchemaValidator`'s `cel` option of `@shipshape/schema` takes.
 */
export interface CrdRuleEvaluators {
  /**
   * Evaluate `rule` with `self` bound to `value`, typed by `schema` (the node the rule is on). A
   * transition rule (one reading `oldSelf`) runs on an update, given its `transition`: with
   * `oldSelf` bound to the old value, or to an optional with `optionalOldSelf`; without an old
   * value and without `optionalOldSelf` it is not run (`true`), as on the API server. Without a
   * `transition` it is not evaluated.
   */
  readonly rules: (
    rule: string,
    value: unknown,
    schema: SchemaNode,
    transition?: CrdRuleTransition,
  ) => CrdRuleOutcome;
  /** The text a `messageExpression` gives, or `undefined` when it does not give a string. */
  readonly messages: (
    expression: string,
    value: unknown,
    schema: SchemaNode,
    transition?: CrdRuleTransition,
  ) => string | undefined;
  /**
   * Why a rule (`bool`) or message expression (`string`) does not compile in the Kubernetes CEL
   * environment, or `undefined`. Without a schema, values are `dyn`: what fails whatever the schema
   * says (syntax, unknown functions and overloads, a literal of the wrong type) is found. Given the
   * `schema` the rule is on, so is a field `self` (or `oldSelf`) does not have (`self.replicass`),
   * and then a value of a type nothing accepts (`self.replicas > '3'`), as the API server's typed
   * check refuses them. With `optionalOldSelf`, `oldSelf` is typed as an optional of that type.
   */
  readonly compile: (
    source: string,
    expected: 'bool' | 'string',
    schema?: SchemaNode,
    options?: { readonly optionalOldSelf?: boolean },
  ) => string | undefined;
  /**
   * Start the rules of one object: together they may spend ten times the per-rule limit (the API
   * server's runtime budget of a custom resource); past it, the rest of its rules are not run.
   * Without a call, each rule has its own limit only.
   */
  readonly beginObject: () => void;
}

/** Options of {@link crdRuleEvaluators}. */
export interface CrdRuleEvaluatorOptions {
  /** Target Kubernetes version, `X.Y`: libraries a version lacks do not compile for it. */
  readonly kubernetesVersion: string;
  /** Cost one rule may spend (iterations over lists and maps). Default 1,000,000, the API server's per-call limit. */
  readonly costBudget?: number;
}

/**
 * Evaluate CRD validation rules as the apiextensions server does: in the Kubernetes CEL
 * environment (the list, regex, URL, IP, quantity, semver and extended string libraries, cel-go's
 * `has()`), with `self` typed by the rule's schema (`integer` fields are `int`, `number` fields
 * `double`, `date`, `date-time` and `duration` strings are timestamps and durations), and each
 * rule bounded by a cost budget. Rules that read `oldSelf` (transition rules) run on updates,
 * where the schema validator gives the old value; rules that do not compile (the API server
 * refuses their CRD) or use a library shipshape lacks are not evaluated.
 *
 * @example
 * ```ts
 * const validator = createSchemaValidator({ bundle, cel: crdRuleEvaluators({ kubernetesVersion: '1.33' }) });
 * ```
 */
export function crdRuleEvaluators(options: CrdRuleEvaluatorOptions): CrdRuleEvaluators {
  const meter = new CostMeter(options.costBudget ?? DEFAULT_COST_BUDGET);
  // Untyped environments: `oldSelf` as `dyn`, and as `optional<dyn>` (optionalOldSelf).
  const envs: [Environment | undefined, Environment | undefined] = [undefined, undefined];
  const compiled = new Map<string, ReturnType<typeof compileExpression>>();
  const compile = (source: string, expected: 'bool' | 'string', optionalOldSelf = false) => {
    const key = `${expected}\u0000${optionalOldSelf ? 'optional' : ''}\u0000${source}`;
    let result = compiled.get(key);
    if (result === undefined) {
      const slot = optionalOldSelf ? 1 : 0;
      envs[slot] ??= createCrdRuleEnvironment(meter, optionalOldSelf);
      result = compileExpression(
        envs[slot],
        source,
        expected,
        options.kubernetesVersion,
        undefined,
        SELF_ROOTS,
      );
      compiled.set(key, result);
    }
    return result;
  };
  // Environments with `self` and `oldSelf` typed by a schema node, one per node (and per
  // optionalOldSelf, which makes `oldSelf` an optional).
  let typedBase: Environment | undefined;
  const typedEnvironments = [
    new WeakMap<SchemaNode, Environment | undefined>(),
    new WeakMap<SchemaNode, Environment | undefined>(),
  ] as const;
  const typedSelf = (schema: SchemaNode, optionalOldSelf: boolean): Environment | undefined => {
    const cache = typedEnvironments[optionalOldSelf ? 1 : 0];
    if (cache.has(schema)) return cache.get(schema);
    typedBase ??= createTypedCrdRuleBase(meter);
    let env: Environment | undefined = typedBase.clone();
    try {
      const type = new SchemaTypes(env, { formats: true }).kindType(
        { definitions: { 'rule.self': schema }, kinds: { self: 'rule.self' } },
        'self',
      );
      env.registerVariable('self', type);
      env.registerVariable('oldSelf', optionalOldSelf ? `optional<${type}>` : type);
    } catch {
      env = undefined; // a schema cel-js cannot declare: values stay untyped
    }
    cache.set(schema, env);
    return env;
  };
  // Whether objects are started by `beginObject`, so that their rules share the runtime budget.
  let perObject = false;
  // The rules of one node see the same value in turn: it is converted once for them all.
  let last: { readonly value: unknown; readonly schema: SchemaNode; readonly self: unknown } | undefined;
  const selfOf = (value: unknown, schema: SchemaNode): unknown => {
    if (last === undefined || last.value !== value || last.schema !== schema)
      last = { value, schema, self: celValue(value, schema) };
    return last.self;
  };
  // `oldSelf` as CEL sees it: the old value typed by the schema, an optional with optionalOldSelf.
  const oldSelfOf = (transition: CrdRuleTransition | undefined, schema: SchemaNode): unknown => {
    if (transition === undefined) return undefined;
    const old = transition.old === undefined ? undefined : celValue(transition.old.value, schema);
    if (!transition.optionalOldSelf) return old;
    return transition.old === undefined ? Optional.none() : Optional.of(old);
  };
  const run = (
    program: CompiledExpression,
    value: unknown,
    schema: SchemaNode,
    transition?: CrdRuleTransition,
  ) => {
    if (!perObject) meter.reset();
    meter.beginExpression();
    const self = selfOf(value, schema);
    const result: unknown = program.program(
      transition === undefined ? { self } : { self, oldSelf: oldSelfOf(transition, schema) },
    );
    if (meter.exhausted) throw new CostLimitError(meter.limit);
    return result;
  };
  return {
    rules: (rule, value, schema, transition) => {
      if (OLD_SELF.test(rule)) {
        if (transition === undefined)
          return {
            notEvaluated: 'it is a transition rule (oldSelf): it needs the object stored in the cluster',
          };
        if (!transitionRuns(transition)) return true;
      } else {
        transition = undefined;
      }
      const compilation = compile(rule, 'bool', transition?.optionalOldSelf === true);
      if (!compilation.ok) {
        return {
          notEvaluated: compilation.unsupported
            ? compilation.message
            : `it does not compile (${compilation.message}): the API server refuses the CustomResourceDefinition`,
        };
      }
      // The object's budget is spent: the API server runs none of its further rules.
      if (perObject && meter.spentTotal) {
        return {
          notEvaluated: `the object's rules ran out of their runtime cost budget of ${meter.total}: no further rules are run`,
        };
      }
      try {
        const result = run(compilation.compiled, value, schema, transition);
        return typeof result === 'boolean'
          ? result
          : {
              notEvaluated: `it gives ${describeCelValue(result)}, not a boolean: the API server refuses the CustomResourceDefinition`,
            };
      } catch (error) {
        if (error instanceof CostLimitError) return { error: error.message };
        const message = errorSummary(error);
        // What rejects the object on the API server: a field the rule reads is absent, an index
        // past the end, a list where a map is tested, integer overflow, division by zero.
        if (REJECTING.test(message)) return { error: message.replace(/^No such key/, 'no such key') };
        // Anything else (a type this evaluator sees otherwise than the API server) is not guessed.
        return { notEvaluated: `CEL: ${message}` };
      }
    },
    beginObject: () => {
      perObject = true;
      meter.reset();
    },
    compile: (source, expected, schema, compileOptions) => {
      const compilation = compile(source, expected, compileOptions?.optionalOldSelf === true);
      if (!compilation.ok) return compilation.unsupported === true ? undefined : compilation.message;
      if (schema === undefined) return undefined;
      // `self` is typed by the rule's schema in the API server: a field it lacks does not compile.
      const schemas = { definitions: { self: schema }, kinds: { self: 'self' } };
      for (const [root = 'self', ...path] of compilation.compiled.facts.typedPaths) {
        const problem = fieldProblem(schemas, 'self', path, root);
        if (problem !== undefined) return `${problem} in the schema the rule is on`;
      }
      // Then the values' types: `self.replicas > '3'` does not compile there either.
      const typed = typedSelf(schema, compileOptions?.optionalOldSelf === true);
      const checked = typed && typedCheck(typed, compilation.compiled);
      if (checked?.problem !== undefined)
        return `${checked.problem}, with self typed by the schema the rule is on`;
      // The API server compiles rules with self typed: `self.replicas` gives an int, not a bool.
      const type = checked?.type;
      return type === undefined || type === 'dyn' || type === expected
        ? undefined
        : `the expression must evaluate to ${expected}, but it gives ${type} with self typed by the schema the rule is on`;
    },
    messages: (expression, value, schema, transition) => {
      const compilation = compile(expression, 'string', transition?.optionalOldSelf === true);
      if (!compilation.ok) return undefined;
      // A message reading oldSelf where its rule has none to read cannot be evaluated.
      const readsOld = OLD_SELF.test(expression);
      if (readsOld && (transition === undefined || !transitionRuns(transition))) return undefined;
      try {
        const result = run(compilation.compiled, value, schema, readsOld ? transition : undefined);
        return typeof result === 'string' ? result : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** A rule that reads `oldSelf`: a transition rule. */
const OLD_SELF = /\boldSelf\b/;

/**
 * Whether a transition rule runs, as on the API server: where the update has an old value to
 * compare with, or always when the rule takes oldSelf as an optional.
 */
function transitionRuns(transition: CrdRuleTransition): boolean {
  return transition.old !== undefined || transition.optionalOldSelf;
}

const REJECTING =
  /^(No such key: |index out of bounds|unsupported index type|.*overflow|division by zero|modulus by zero)/i;

/**
 * `value` as CEL sees it under `schema`: numbers typed by the schema (an integral JSON number
 * under `type: number` stays a double), formatted strings as timestamps and durations; what no
 * schema types (`x-kubernetes-preserve-unknown-fields`, embedded resources) as the admission
 * policies see it (see `toCelValue`).
 */
function celValue(value: unknown, schema: SchemaNode | undefined): unknown {
  if (schema === undefined) return toCelValue(value);
  if (typeof value === 'number') return schema['type'] === 'number' ? value : toCelValue(value);
  if (typeof value === 'string') return formatted(value, schema['format']);
  if (Array.isArray(value)) {
    const items = schemaAt(schema['items']);
    return value.map((item) => celValue(item, items));
  }
  if (value !== null && typeof value === 'object') {
    const properties = schemaAt(schema['properties']);
    const additional = schemaAt(schema['additionalProperties']);
    return toCelMap(value, (item, key) =>
      celValue(
        item,
        (properties !== undefined && Object.hasOwn(properties, key)
          ? schemaAt(properties[key])
          : undefined) ?? additional,
      ),
    );
  }
  return value;
}

function schemaAt(value: unknown): SchemaNode | undefined {
  return isObject(value) ? value : undefined;
}

/**
 * A `date`, `date-time` or `duration` string as the timestamp or duration the API server hands a
 * rule; the string itself when it does not read as one (the schema's format check reports it).
 */
function formatted(value: string, format: unknown): unknown {
  try {
    if (format === 'duration') return parseDuration(value);
    if (format === 'date-time') return parseTimestamp(value);
    if (format === 'date') return parseTimestamp(`${value}T00:00:00Z`);
  } catch {
    // Not a timestamp or duration: the schema's format check reports the string.
  }
  return value;
}
