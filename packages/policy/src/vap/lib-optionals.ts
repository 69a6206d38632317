import { type Environment, Optional } from '@marcbachmann/cel-js';
import { celEquals } from './cel-compare.js';
import type {
  MacroAst,
  MacroChecker,
  MacroContext,
  MacroEvaluator,
  MacroOptions,
  MacroType,
} from './cel-macros.js';
import { UnsignedInt } from './lib-numbers.js';
import { isDuration } from './lib-time.js';

/**
 * What cel-go's optional types have beyond cel-js's `optional.of`, `none`, `hasValue`, `value`,
 * `or` and `orValue` (the API server enables them with optional syntax, from 1.29):
 *
 * - `optional.ofNonZeroValue(v)`: `optional.none()` for a type's zero value (`0`, `0u`, `0.0`,
 *   `''`, `b''`, `false`, `null`, `[]`, `{}`, a zero duration, the Unix epoch), else `optional.of(v)`;
 * - `<optional>.optMap(x, expr)`: `optional.of(expr)` with `x` bound to the value, or none;
 * - `<optional>.optFlatMap(x, expr)`: `expr` (itself optional) with `x` bound, or none;
 * - `==` and `!=` between optionals of one type (`dyn` takes any): equal when both are none, or
 *   both hold equal values, so `object.metadata.labels[?'tier'] == optional.of('gold')` compiles
 *   and runs as on the API server (cel-js 8 has no overload for it).
 *
 * The optional entries of literals (`[?x]`, `{?k: v}`) are syntax cel-js cannot parse: they are
 * rewritten as calls (see `cel-optional-entries.ts`).
 */
export function registerOptionalExtras(env: Environment): void {
  env.registerFunction(
    'OptionalNamespace.ofNonZeroValue(dyn): optional<dyn>',
    (_: unknown, value: unknown) => (isZeroValue(value) ? Optional.none() : Optional.of(value)),
  );
  env.registerFunction('optional.optMap(ast, ast): optional<dyn>', (opts: MacroOptions) =>
    bind('optMap', opts),
  );
  env.registerFunction('optional.optFlatMap(ast, ast): optional<dyn>', (opts: MacroOptions) =>
    bind('optFlatMap', opts),
  );
  env.registerOperator('optional<A> == optional<A>', (a: Optional, b: Optional) => celEquals(a, b));
}

/** Whether `value` is its type's zero value, as cel-go's `optional.ofNonZeroValue` decides. */
export function isZeroValue(value: unknown): boolean {
  if (value === null || value === false || value === '' || value === 0 || value === 0n) return true;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  if (value instanceof Map) return value.size === 0;
  if (value instanceof Date) return value.getTime() === 0;
  if (typeof value !== 'object') return false;
  if (value instanceof UnsignedInt) return value.valueOf() === 0n;
  if (isDuration(value)) return value.seconds === 0n && value.nanos === 0;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return Object.keys(value).length === 0;
  return false;
}

interface Macro {
  readonly kind: 'optMap' | 'optFlatMap';
  readonly receiver: MacroAst;
  readonly name: string;
  readonly body: MacroAst;
  scope?: MacroContext;
  readonly async: false;
  typeCheck(checker: MacroChecker, macro: Macro, ctx: MacroContext): MacroType;
  evaluate(ev: MacroEvaluator, macro: Macro, ctx: MacroContext): unknown;
}

function bind(kind: Macro['kind'], { args, receiver }: MacroOptions): Macro {
  const [variable, body] = args;
  if (receiver === null || body === undefined) throw new Error(`${kind}() needs an optional receiver`);
  if (variable?.op !== 'id' || typeof variable.args !== 'string')
    throw new Error(`${kind}() variable must be a simple name`);
  return { kind, receiver, name: variable.args, body, async: false, typeCheck, evaluate };
}

function typeCheck(checker: MacroChecker, macro: Macro, ctx: MacroContext): MacroType {
  const receiver = checker.check(macro.receiver, ctx);
  if (receiver.kind !== 'optional' && receiver.kind !== 'dyn')
    throw checker.createError(
      'optional_expected',
      `${macro.kind}() receiver must be optional`,
      macro.receiver,
    );
  const dyn = checker.getType('dyn');
  macro.scope = ctx.forkWithVariable(macro.name, receiver.valueType ?? dyn);
  const body = checker.check(macro.body, macro.scope);
  if (macro.kind === 'optFlatMap' && body.kind !== 'optional' && body.kind !== 'dyn')
    throw checker.createError('optional_expected', 'optFlatMap() must give an optional', macro.body);
  return checker.getType('optional');
}

function evaluate(ev: MacroEvaluator, macro: Macro, ctx: MacroContext): unknown {
  const scope = macro.scope;
  if (scope === undefined) throw new Error(`${macro.kind}() was not type-checked`);
  const optional = ev.run(macro.receiver, ctx);
  if (!(optional instanceof Optional))
    throw ev.createError('optional_expected', `${macro.kind}() receiver must be optional`, macro.receiver);
  if (!optional.hasValue()) return Optional.none();
  const result = ev.run(macro.body, scope.reuse(ctx).setIterValue(optional.value(), ev));
  if (result instanceof Promise) throw new Error(`${macro.kind}() cannot evaluate an asynchronous value`);
  if (macro.kind === 'optMap') return Optional.of(result);
  if (!(result instanceof Optional))
    throw ev.createError('optional_expected', 'optFlatMap() must give an optional', macro.body);
  return result;
}
