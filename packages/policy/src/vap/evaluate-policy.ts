import type { AuditAnnotation } from './audit-annotations.js';
import { CostLimitError, type CostMeter } from './cel-cost.js';
import type { CompiledExpression } from './cel-environment.js';
import { describeCelValue, encodeBase64, errorSummary } from './cel-values.js';
import type { CompiledPolicy, CompiledValidation } from './compile-policy.js';

/** The VAP variables of one evaluation, except `variables`, which the policy defines. */
export interface EvaluationInput {
  readonly object: unknown;
  /** The object before an UPDATE; `null` for a CREATE. */
  readonly oldObject: unknown;
  readonly request: unknown;
  readonly params: unknown;
  readonly namespaceObject: unknown;
  readonly authorizer: unknown;
}

/** What one evaluation of a policy found, in the order found. */
export type PolicyOutcome =
  | { readonly kind: 'violation'; readonly validation: CompiledValidation; readonly message: string }
  | {
      readonly kind: 'error';
      /** `validations[0]`, `matchConditions[name]`, …: what failed. */
      readonly where: string;
      readonly message: string;
      /** The evaluation ran out of budget; it stopped there. */
      readonly costLimit: boolean;
      readonly validation?: CompiledValidation;
      /**
       * The auditAnnotation whose value failed: the API server denies the request for it whatever
       * the binding's validationActions, and `failurePolicy: Ignore` excuses only an evaluation error.
       */
      readonly auditAnnotation?: AuditAnnotation;
      /** The value was neither a string nor null: denied even under `failurePolicy: Ignore`. */
      readonly wrongType?: boolean;
    };

/** The inputs of an expression; auditAnnotations run without `authorizer`. */
type Inputs = Omit<EvaluationInput, 'authorizer'> & { readonly authorizer?: unknown };
type Context = Inputs & { readonly variables: Record<string, unknown> | Map<string, unknown> };

/**
 * Evaluate a compiled policy for one request and one param: matchConditions (any false skips the
 * policy; an error, with none false, is the outcome), then every validation in order, each with
 * the lazily computed `variables`, then the auditAnnotations. matchConditions and validations
 * share the cost budget of `meter`; the auditAnnotations get a budget of their own.
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  input: EvaluationInput,
  meter: CostMeter,
): PolicyOutcome[] {
  meter.reset();
  // The old object too: an UPDATE or DELETE of a Secret carries its earlier values.
  const secret = isSecret(input.object) || isSecret(input.oldObject) || isSecret(input.params);
  const outcomes = evaluateAll(policy, input, meter, secret);
  if (!secret) return outcomes;
  // A Secret's values may reach a message any number of ways (a messageExpression that slices or
  // upper-cases them, an error quoting them): on a Secret, messageExpression is not used, errors
  // are not quoted, and the values known are masked in what is left.
  const secrets = secretValues(input);
  return outcomes.map((o) =>
    o.kind === 'error'
      ? { ...o, message: o.costLimit ? o.message : WITHHELD }
      : { ...o, message: masked(o.message, secrets) },
  );
}

const WITHHELD = 'its error is not shown, as it may quote the values of a Secret';

/** Whether a value (an object or params) is a core Secret, a plain object or a Map. */
function isSecret(value: unknown): boolean {
  return field(value, 'kind') === 'Secret' && (field(value, 'apiVersion') ?? 'v1') === 'v1';
}

function field(value: unknown, key: string): unknown {
  if (value instanceof Map) return value.get(key);
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The values of a Secret being admitted, updated from, deleted or used as params (`data`,
 * `stringData`; base64 and decoded), longest first: no message may show them, whatever the
 * policy's messageExpression or an error quotes.
 */
function secretValues(input: EvaluationInput): string[] {
  const out = new Set<string>();
  for (const value of [input.object, input.oldObject, input.params]) {
    if (!isSecret(value)) continue;
    for (const name of ['data', 'stringData']) {
      const entries = field(value, name);
      const items =
        entries instanceof Map
          ? [...entries.values()]
          : entries !== null && typeof entries === 'object'
            ? Object.values(entries)
            : [];
      for (const item of items) {
        // Values of one or two characters cannot be masked without masking every message.
        if (typeof item !== 'string' || item.length < 3) continue;
        out.add(item);
        const other = name === 'data' ? decodeBase64(item) : encodeBase64(item);
        if (other !== undefined && other.length >= 3) out.add(other);
      }
    }
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function decodeBase64(text: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(text.replace(/\s+/g, '')), (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

function masked(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const value of secrets) out = out.split(value).join('***');
  return out;
}

function evaluateAll(
  policy: CompiledPolicy,
  input: EvaluationInput,
  meter: CostMeter,
  secret: boolean,
): PolicyOutcome[] {
  const context: Context = { ...input, variables: lazyVariables(policy, input) };
  let conditionError: PolicyOutcome | undefined;
  for (const { entry, compiled } of policy.matchConditions) {
    if (!compiled) return [];
    const result = attempt(compiled, context, meter);
    if (result.ok && result.value === false) return [];
    if (!result.ok || result.value !== true) {
      const why = result.ok ? `gave ${describeCelValue(result.value)}, not a bool` : result.message;
      conditionError ??= failure(`matchConditions[${entry.name}]`, why, !result.ok && result.costLimit);
    }
  }
  if (conditionError) return [conditionError];

  const out: PolicyOutcome[] = [];
  for (const validation of policy.validations) {
    if (!validation.compiled) continue;
    const result = attempt(validation.compiled, context, meter);
    if (result.ok && result.value === true) continue;
    if (result.ok && result.value === false) {
      out.push({ kind: 'violation', validation, message: messageOf(validation, context, meter, secret) });
      continue;
    }
    const where = `validations[${validation.entry.index}]`;
    const why = result.ok ? `gave ${describeCelValue(result.value)}, not a bool` : result.message;
    const costLimit = !result.ok && result.costLimit;
    out.push({ ...failure(where, why, costLimit), validation });
    // One expression over its own limit fails alone; the evaluation's whole budget spent stops it
    // (the API server then evaluates no auditAnnotation either).
    if (costLimit && meter.limit === meter.total) return out;
  }
  return evaluateAnnotations(policy, input, meter, out);
}

/**
 * The auditAnnotations, after the validations, as the API server evaluates them (apiserver's
 * `policy/validating/validator.go`): with a cost budget of their own, `variables` computed again,
 * and no `authorizer` bound. A string (published as `<policy>/<key>`, cut to 10 KiB, or dropped
 * when blank) or null (dropped) gives nothing: there is no audit log offline. Another type or an
 * error is an outcome. Spending the whole budget makes that error the evaluation's only outcome,
 * the validations' dropped, as the server's result is then that error alone.
 */
function evaluateAnnotations(
  policy: CompiledPolicy,
  input: EvaluationInput,
  meter: CostMeter,
  out: PolicyOutcome[],
): PolicyOutcome[] {
  if (!policy.auditAnnotations.some((a) => a.compiled)) return out;
  meter.reset();
  const { object, oldObject, request, params, namespaceObject } = input;
  const inputs: Inputs = { object, oldObject, request, params, namespaceObject };
  const context: Context = { ...inputs, variables: lazyVariables(policy, inputs) };
  for (const { entry, compiled } of policy.auditAnnotations) {
    if (!compiled) continue;
    const result = attempt(compiled, context, meter);
    if (result.ok && (typeof result.value === 'string' || result.value === null)) continue;
    const where = `auditAnnotations[${entry.key}]`;
    if (result.ok) {
      const why = `gave ${describeCelValue(result.value)}, not a string or null`;
      out.push({ ...failure(where, why, false), auditAnnotation: entry, wrongType: true });
    } else if (result.costLimit && meter.limit === meter.total) {
      return [failure('auditAnnotations', result.message, true)];
    } else {
      out.push({ ...failure(where, result.message, result.costLimit), auditAnnotation: entry });
    }
  }
  return out;
}

function failure(where: string, message: string, costLimit: boolean) {
  return { kind: 'error', where, message, costLimit } as const;
}

type Attempt =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string; readonly costLimit: boolean };

/** Run a program; errors (and an exhausted budget that errors were absorbed into) become data. */
function attempt(compiled: CompiledExpression, context: Context, meter: CostMeter): Attempt {
  meter.beginExpression();
  try {
    const value: unknown = compiled.program(context);
    if (meter.exhausted) throw new CostLimitError(meter.limit);
    return { ok: true, value };
  } catch (error) {
    const costLimit = error instanceof CostLimitError || meter.exhausted;
    const message = costLimit ? new CostLimitError(meter.limit).message : errorSummary(error);
    return { ok: false, message, costLimit };
  }
}

/**
 * The message of a failed validation, as the API server builds it: `messageExpression` when it
 * gives a non-empty single-line string, else `message`, else `failed expression: <expression>`.
 */
function messageOf(
  validation: CompiledValidation,
  context: Context,
  meter: CostMeter,
  secret: boolean,
): string {
  if (validation.message && !secret) {
    const result = attempt(validation.message, context, meter);
    if (
      result.ok &&
      typeof result.value === 'string' &&
      result.value.trim() !== '' &&
      !/[\r\n]/.test(result.value)
    ) {
      return result.value;
    }
  }
  return validation.entry.message ?? `failed expression: ${validation.entry.expression}`;
}

/**
 * `variables`, computed on first use and kept for the rest of the evaluation (as the API server
 * does); a variable that fails fails every expression that reads it.
 */
function lazyVariables(policy: CompiledPolicy, input: Inputs): Context['variables'] {
  const variables: Record<string, unknown> = {};
  // cel-js tells a map by its `constructor`, which a variable of that name would hide: then the
  // expressions see a Map whose `get` reads the same lazily computed values.
  const shown: Context['variables'] = policy.variables.some((v) => v.entry.name === 'constructor')
    ? lazyMap(
        variables,
        policy.variables.map((v) => v.entry.name),
      )
    : variables;
  const context: Context = { ...input, variables: shown };
  const results = new Map<string, { value: unknown } | { error: unknown } | 'busy'>();
  for (const { entry, compiled } of policy.variables) {
    Object.defineProperty(variables, entry.name, {
      enumerable: true,
      get() {
        const known = results.get(entry.name);
        if (known === 'busy') throw new Error(`variable ${entry.name} refers to itself`);
        if (known && 'value' in known) return known.value;
        if (known) throw known.error;
        if (!compiled) throw new Error(`variable ${entry.name} does not compile`);
        results.set(entry.name, 'busy');
        try {
          const value: unknown = compiled.program(context);
          results.set(entry.name, { value });
          return value;
        } catch (error) {
          const kept =
            error instanceof CostLimitError
              ? error
              : new Error(`variables.${entry.name}: ${errorSummary(error)}`);
          results.set(entry.name, { error: kept });
          throw kept;
        }
      },
    });
  }
  return shown;
}

/** A Map of `names` whose values are read from `values` when asked for. */
function lazyMap(values: Record<string, unknown>, names: readonly string[]): Map<string, unknown> {
  // Entries hold null until read: size(), `in` and iteration see every name.
  const map = new Map<string, unknown>(names.map((name) => [name, null]));
  map.get = (key: string) => (Object.hasOwn(values, key) ? values[key] : undefined);
  return map;
}
