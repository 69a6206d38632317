import {
  type ASTNode,
  TypeError as CelTypeError,
  type Environment,
  EvaluationError,
  Optional,
} from '@marcbachmann/cel-js';

/**
 * `has(e.f)` for any operand `e`, as cel-go has it. cel-go's parser turns `has(e.f)` into a
 * presence test of `f` on the value of `e`, whatever `e` is (`parser/macro.go`, MakeHas); cel-js's
 * `has()` refuses an operand that is not a chain of field selections from a variable
 * (`has(object.spec.containers[0].securityContext)`, `has(f(x).y)`: "has() invalid argument"),
 * and answers a chain of selections whose last operand is a list (`has(object.spec.containers.x)`)
 * with false. Every `has()` whose operand is not a bare variable is renamed to
 * {@link PRESENCE_FUNCTION} (`cel-analysis.ts`), a macro declared through cel-js's public macro
 * interface (an `ast` parameter, `typeCheck` and `evaluate`), both in the source that is
 * type-checked and in the one that runs. `has(variable.field)` keeps cel-js's `has()`.
 *
 * The presence test is cel-go's (`interpreter/attributes.go`, refQualify, with
 * `EnableErrorOnBadPresenceTest` off, as Kubernetes leaves it): on a map, whether the key is there;
 * on a list, an error; on anything else (a string, a number, null), false. An optional operand
 * (`object.?spec.containers[0]`) is false when empty and tests its value otherwise.
 */
export const PRESENCE_FUNCTION = 'shipshapeHas';

/** What cel-js hands a macro's `typeCheck`: its type checker. */
interface MacroChecker {
  check(node: unknown, context: unknown): unknown;
  getType(name: string): unknown;
}

/** What cel-js hands a macro's `evaluate`: its evaluator. */
interface MacroEvaluator {
  run(node: unknown, context: unknown): unknown;
}

/** Declare {@link PRESENCE_FUNCTION} in `env`. */
export function registerPresenceTest(env: Environment): void {
  env.registerFunction(`${PRESENCE_FUNCTION}(ast): bool`, ({ args }: { args: readonly ASTNode[] }) => {
    const [selection] = args;
    if (selection?.op !== '.') {
      // Only written by hand: the rename applies to field selections alone.
      const invalid = new CelTypeError('has() invalid argument', selection);
      return {
        async: false,
        typeCheck: () => {
          throw invalid;
        },
        evaluate: () => {
          throw invalid;
        },
      };
    }
    const [operand, field] = selection.args;
    return {
      // As cel-js's own has() says: without it cel-js takes the macro for an asynchronous one.
      async: false,
      // Checking the whole selection keeps cel-js's errors for an operand that has no fields
      // (`has('abc'.x)`: cel-go's checker refuses it too). `getType` is the one internal of cel-js 8
      // relied on here (its own has() uses it); `vap-cel.test.ts` fails if it changes.
      typeCheck(checker: MacroChecker, _macro: unknown, context: unknown): unknown {
        checker.check(selection, context);
        return checker.getType('bool');
      },
      evaluate(evaluator: MacroEvaluator, _macro: unknown, context: unknown): boolean {
        return isPresent(evaluator.run(operand, context), field, selection);
      },
    };
  });
}

/** cel-go's presence test of `field` on `value` (see {@link PRESENCE_FUNCTION}). */
function isPresent(value: unknown, field: string, node: ASTNode): boolean {
  if (value instanceof Optional) return value.hasValue() && isPresent(value.value(), field, node);
  if (value instanceof Map) return value.get(field) !== undefined;
  if (Array.isArray(value) || value instanceof Set) {
    throw new EvaluationError("unsupported index type 'string' in list", node);
  }
  if (value === null || typeof value !== 'object') return false;
  // A map is a plain object to cel-js; any other object is a value of a library type.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.hasOwn(value, field) && (value as Record<string, unknown>)[field] !== undefined;
}

/**
 * Whether a node of cel-js's syntax tree is a `has()` call the stand-in answers: one argument, a
 * field selection, whose operand is not a bare variable. cel-js refuses an operand that is not a
 * chain of field selections from a variable, and answers a chain whose last operand is a list with
 * false (`has(object.spec.containers.name)`), where cel-go raises an error. `has(object.spec)` stays
 * with cel-js: a variable is never a list.
 */
export function isComputedPresenceTest(node: { readonly op: string }): boolean {
  const call = node as ASTNode;
  if (call.op !== 'call') return false;
  const [name, args] = call.args;
  const selection = args.length === 1 ? args[0] : undefined;
  if (name !== 'has' || selection?.op !== '.') return false;
  return selection.args[0].op !== 'id';
}

/** The source as cel-js type-checks it: `has` renamed at `offsets`, and the way back. */
export interface PresenceCheckSource {
  readonly text: string;
  /** The offset in the source of an offset in {@link text}, for compile errors. */
  readonly sourceOffset: (offset: number) => number;
}

/**
 * Rename the `has` calls at `offsets` (ascending, from {@link isComputedPresenceTest}) to
 * {@link PRESENCE_FUNCTION}: cel-js then checks their operand and keeps every other compile error,
 * at the position the policy wrote it.
 */
export function presenceCheckSource(source: string, offsets: readonly number[]): PresenceCheckSource {
  const growth = PRESENCE_FUNCTION.length - 'has'.length;
  const ascending = [...offsets].sort((a, b) => a - b);
  let text = source;
  for (const offset of [...ascending].reverse()) {
    text = `${text.slice(0, offset)}${PRESENCE_FUNCTION}${text.slice(offset + 'has'.length)}`;
  }
  const sourceOffset = (offset: number): number => {
    let shift = 0;
    for (const at of ascending) {
      const renamed = at + shift;
      if (offset < renamed) break;
      // Inside the longer name: the `has` it stands for.
      if (offset < renamed + PRESENCE_FUNCTION.length) return at;
      shift += growth;
    }
    return offset - shift;
  };
  return { text, sourceOffset };
}
