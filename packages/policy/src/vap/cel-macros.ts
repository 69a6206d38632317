/**
 * The parts of cel-js's macro interface that shipshape's macros use (`lib-comprehensions.ts`,
 * `lib-optionals.ts`). cel-js does not export its own types: these describe what its checker and
 * evaluator hand a macro registered with `ast` parameters (see cel-js's `registerFunction`).
 */

/** A node of the parsed expression. */
export interface MacroAst {
  readonly op: string;
  readonly args: unknown;
}

/** A checked type. */
export interface MacroType {
  readonly kind: string;
  isDynOrBool(): boolean;
  readonly keyType?: MacroType;
  readonly valueType?: MacroType;
}

/** A scope of variables: the checker's, then the evaluator's (a fork reused for each run). */
export interface MacroContext {
  forkWithVariable(name: string, type: MacroType): MacroContext;
  reuse(parent: MacroContext): MacroContext;
  setIterValue(value: unknown, ev: MacroEvaluator): MacroContext;
}

export interface MacroChecker {
  check(ast: MacroAst, ctx: MacroContext): MacroType;
  getType(name: string): MacroType;
  createError(code: string, message: string, ast: MacroAst): Error;
  readonly registry: {
    getListType(t: MacroType): MacroType;
    getMapType(k: MacroType, v: MacroType): MacroType;
  };
}

export interface MacroEvaluator {
  run(ast: MacroAst, ctx: MacroContext): unknown;
  tryEval(ast: MacroAst, ctx: MacroContext): unknown;
  createError(code: string, message: string, ast?: MacroAst): Error;
}

/** What a macro's handler receives when the expression is parsed. */
export interface MacroOptions {
  readonly args: readonly MacroAst[];
  readonly receiver: MacroAst | null;
  readonly ast: MacroAst;
}
