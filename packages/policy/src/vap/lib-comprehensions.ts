import type { Environment } from '@marcbachmann/cel-js';
import type {
  MacroAst,
  MacroChecker,
  MacroContext,
  MacroEvaluator,
  MacroOptions,
  MacroType,
} from './cel-macros.js';

/**
 * cel-go's two-variable comprehensions (`ext.TwoVarComprehensions`), which the API server enables
 * from 1.32 (usable in new expressions from 1.33), written as cel-js macros:
 *
 * - `<list or map>.all(i, v, predicate)`, `.exists(i, v, predicate)`, `.existsOne(i, v, predicate)`
 *   (also written `exists_one`);
 * - `.transformList(i, v, [filter,] expr)`: a list of `expr` for each entry (that passes `filter`);
 * - `.transformMap(k, v, [filter,] expr)`: a map from each key (a list's index) to `expr`;
 * - `.transformMapEntry(k, v, [filter,] entry)`: a map merged from the one-entry maps `entry` gives.
 *
 * Over a list, the first variable is the index and the second the element; over a map, the key and
 * its value. `all` and `exists` absorb an error when another entry decides the result, as the
 * one-variable forms do; the others stop at the first error. The receiver's size is charged to the
 * cost meter by the expression rewrite (`cel-analysis.ts`), as for the one-variable macros.
 */
export function registerTwoVariableComprehensions(env: Environment): void {
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const [min, max] = KINDS[kind].arity;
    for (let arity = min; arity <= max; arity++) {
      const params = Array.from({ length: arity }, () => 'ast').join(', ');
      env.registerFunction(`dyn.${kind}(${params}): dyn`, (opts: MacroOptions) => expand(kind, opts));
    }
  }
  // cel-go also takes the one-variable macro's name for existsOne.
  env.registerFunction('dyn.exists_one(ast, ast, ast): dyn', (opts: MacroOptions) =>
    expand('existsOne', opts),
  );
}

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

const KINDS: Readonly<Record<Kind, { readonly arity: readonly [number, number] }>> = {
  all: { arity: [3, 3] },
  exists: { arity: [3, 3] },
  existsOne: { arity: [3, 3] },
  transformList: { arity: [3, 4] },
  transformMap: { arity: [3, 4] },
  transformMapEntry: { arity: [3, 4] },
};

interface Macro {
  readonly kind: Kind;
  readonly receiver: MacroAst;
  readonly first: string;
  readonly second: string;
  readonly filter: MacroAst | undefined;
  readonly body: MacroAst;
  readonly ast: MacroAst;
  /** The contexts of the two variables, made by the type check and reused by every evaluation. */
  outer?: MacroContext;
  inner?: MacroContext;
  readonly async: false;
  typeCheck(checker: MacroChecker, macro: Macro, ctx: MacroContext): MacroType;
  evaluate(ev: MacroEvaluator, macro: Macro, ctx: MacroContext): unknown;
}

function identifier(ast: MacroAst | undefined, kind: Kind, which: string): string {
  if (ast?.op === 'id' && typeof ast.args === 'string') return ast.args;
  throw new Error(`${kind}() ${which} variable must be a simple name`);
}

function expand(kind: Kind, { args, receiver, ast }: MacroOptions): Macro {
  if (receiver === null) throw new Error(`${kind}() needs a list or map to iterate`);
  const first = identifier(args[0], kind, 'first');
  const second = identifier(args[1], kind, 'second');
  if (first === second) throw new Error(`${kind}() needs two different variable names, not ${first} twice`);
  const filtered = args.length === 4;
  const body = args[filtered ? 3 : 2] as MacroAst;
  return {
    kind,
    receiver,
    first,
    second,
    filter: filtered ? args[2] : undefined,
    body,
    ast,
    async: false,
    typeCheck,
    evaluate,
  };
}

const QUANTIFIERS: ReadonlySet<Kind> = new Set(['all', 'exists', 'existsOne']);

function typeCheck(checker: MacroChecker, macro: Macro, ctx: MacroContext): MacroType {
  const range = checker.check(macro.receiver, ctx);
  const dyn = checker.getType('dyn');
  let firstType: MacroType;
  let secondType: MacroType;
  if (range.kind === 'list') {
    firstType = checker.getType('int');
    secondType = range.valueType ?? dyn;
  } else if (range.kind === 'map') {
    firstType = range.keyType ?? dyn;
    secondType = range.valueType ?? dyn;
  } else if (range.kind === 'dyn') {
    firstType = dyn;
    secondType = dyn;
  } else {
    throw checker.createError(
      'invalid_comprehension_range',
      `${macro.kind}() cannot iterate over ${range.kind}: a list or a map is needed`,
      macro.receiver,
    );
  }
  const outer = ctx.forkWithVariable(macro.first, firstType);
  const inner = outer.forkWithVariable(macro.second, secondType);
  macro.outer = outer;
  macro.inner = inner;
  const bool = (ast: MacroAst, what: string) => {
    const type = checker.check(ast, inner);
    if (!type.isDynOrBool())
      throw checker.createError('invalid_macro_argument', `${macro.kind}() ${what} must be a bool`, ast);
  };
  if (macro.filter !== undefined) bool(macro.filter, 'filter');
  if (QUANTIFIERS.has(macro.kind)) {
    bool(macro.body, 'predicate');
    return checker.getType('bool');
  }
  const bodyType = checker.check(macro.body, inner);
  if (macro.kind === 'transformList') return checker.registry.getListType(bodyType);
  if (macro.kind === 'transformMap') return checker.registry.getMapType(firstType, bodyType);
  if (bodyType.kind !== 'map' && bodyType.kind !== 'dyn')
    throw checker.createError('invalid_macro_argument', 'transformMapEntry() must give a map', macro.body);
  return bodyType.kind === 'map' ? bodyType : checker.registry.getMapType(dyn, dyn);
}

/** The entries of a list (index as an int, element) or a map (key, value). */
function entriesOf(ev: MacroEvaluator, macro: Macro, range: unknown): [unknown, unknown][] {
  if (Array.isArray(range)) return range.map((item, index) => [BigInt(index), item]);
  if (range instanceof Map) return [...range.entries()];
  if (range !== null && typeof range === 'object' && !(range instanceof Set))
    return Object.keys(range).map((key) => [key, (range as Record<string, unknown>)[key]]);
  throw ev.createError(
    'invalid_comprehension_range',
    `${macro.kind}() cannot iterate over this value: a list or a map is needed`,
    macro.receiver,
  );
}

function evaluate(ev: MacroEvaluator, macro: Macro, ctx: MacroContext): unknown {
  const { outer, inner } = macro;
  if (outer === undefined || inner === undefined) throw new Error(`${macro.kind}() was not type-checked`);
  const range = ev.run(macro.receiver, ctx);
  if (range instanceof Promise) throw new Error(`${macro.kind}() cannot iterate over an asynchronous value`);
  const entries = entriesOf(ev, macro, range);
  const scope = outer.reuse(ctx);
  const at = (key: unknown, value: unknown): MacroContext => {
    scope.setIterValue(key, ev);
    return inner.setIterValue(value, ev);
  };
  const run = (ast: MacroAst, c: MacroContext): unknown => {
    const result = ev.run(ast, c);
    if (result instanceof Promise) throw new Error(`${macro.kind}() cannot evaluate an asynchronous value`);
    return result;
  };
  const truth = (ast: MacroAst, value: unknown): boolean => {
    if (typeof value !== 'boolean')
      throw ev.createError('invalid_macro_argument', `${macro.kind}() needs a bool`, ast);
    return value;
  };
  switch (macro.kind) {
    case 'all':
    case 'exists': {
      // The decisive value wins over an error of another entry; without one, the first error.
      const decisive = macro.kind === 'exists';
      let error: Error | undefined;
      for (const [key, value] of entries) {
        const result = ev.tryEval(macro.body, at(key, value));
        if (result instanceof Error) {
          error ??= result;
          continue;
        }
        if (truth(macro.body, result) === decisive) return decisive;
      }
      if (error !== undefined) throw error;
      return !decisive;
    }
    case 'existsOne': {
      let count = 0;
      for (const [key, value] of entries) if (truth(macro.body, run(macro.body, at(key, value)))) count++;
      return count === 1;
    }
    case 'transformList': {
      const out: unknown[] = [];
      for (const [key, value] of entries) {
        const c = at(key, value);
        if (macro.filter !== undefined && !truth(macro.filter, run(macro.filter, c))) continue;
        out.push(run(macro.body, c));
      }
      return out;
    }
    case 'transformMap':
    case 'transformMapEntry': {
      const out = new Map<unknown, unknown>();
      for (const [key, value] of entries) {
        const c = at(key, value);
        if (macro.filter !== undefined && !truth(macro.filter, run(macro.filter, c))) continue;
        const result = run(macro.body, c);
        if (macro.kind === 'transformMap') {
          out.set(key, result);
          continue;
        }
        for (const [k, v] of entriesOf(ev, macro, result)) {
          if (out.has(k))
            throw ev.createError('invalid_macro_argument', `insert failed: key ${String(k)} already exists`);
          out.set(k, v);
        }
      }
      return out;
    }
  }
}
