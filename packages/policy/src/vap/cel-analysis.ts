import { COST_FUNCTION } from './cel-cost.js';
import { MAX_INT, MIN_INT } from './cel-overflow.js';
import { isComputedPresenceTest, PRESENCE_FUNCTION } from './cel-presence.js';
import { REPLACED_FUNCTIONS, REPLACED_METHODS } from './cel-replacements.js';
import { typeName } from './lib-string-format.js';

/** What a compiled expression reads and uses, found by walking its syntax tree. */
export interface ExpressionFacts {
  /**
   * Names of functions and methods called (macros included); a method called on a name (a library's
   * namespace, `format.named`) is listed under both `named` and `format.named`.
   */
  readonly functions: ReadonlySet<string>;
  /** Whether it uses optional syntax (`.?`, `[?]`). */
  readonly optionalSyntax: boolean;
  /** The first two-variable comprehension (`all(i, v, …)`, `transformList`, …) called, if any. */
  readonly twoVariableMacro: string | undefined;
  /**
   * Calls of `string.format` on a string literal with a list literal, which cel-go checks when the
   * policy is written: the format string and the type of each argument (`dyn` unless a literal).
   */
  readonly formatCalls: readonly { readonly format: string; readonly argTypes: readonly string[] }[];
  /** Whether the expression reads the `params` variable (not a macro variable of that name). */
  readonly readsParams: boolean;
  /** Whether the expression reads the `authorizer` variable. */
  readonly authorizer: boolean;
  /** Names read as `variables.<name>`. */
  readonly variables: ReadonlySet<string>;
  /** Field paths read from `object` (`object.spec.replicas` → `['spec', 'replicas']`). */
  readonly objectPaths: readonly (readonly string[])[];
  /**
   * The fields selected for a type check, each path led by the variable it starts from (`object`,
   * `oldObject`, `request`, `namespaceObject` or `params`; `self` or `oldSelf` in a CRD's rules): those of {@link objectPaths}, and those
   * selected through a macro's variable, with `*` for an item of the list iterated (or a key of a
   * map) and `**` for an item or a map's value (`object.spec.containers.all(c, c.image)` gives
   * `['object', 'spec', 'containers', '*', 'image']`).
   */
  readonly typedPaths: readonly (readonly string[])[];
  /** The path the whole expression is, when it is one (`object.spec.containers`): a variable so defined is typed by it. */
  readonly wholePath: readonly string[] | undefined;
  /** Regular expressions written as string literals, for `matches`, `find` and `findAll`. */
  readonly literalPatterns: readonly string[];
  /**
   * Int literals outside the int64 range, as written: cel-go's parser refuses them, cel-js reads
   * them as unbounded bigints. `-9223372036854775808` is one literal in CEL's grammar (the sign
   * belongs to it), so 2^63 directly under a minus is not one of them.
   */
  readonly outOfRangeInts: readonly string[];
  /**
   * Offsets of the `has()` calls whose operand cel-js's `has()` refuses and cel-go accepts
   * (`has(object.spec.containers[0].securityContext)`), in ascending order: they call the stand-in
   * of `cel-presence.ts` instead, in `instrumented` and in the source that is type-checked.
   */
  readonly computedPresenceTests: readonly number[];
  /**
   * The expression rewritten to charge the cost meter and to call shipshape's stand-ins for the
   * cel-js built-ins that differ from cel-go (`cel-replacements.ts`), such as RE2 for `matches`.
   */
  readonly instrumented: string;
}

/** A node of cel-js's syntax tree, as far as this walk needs it. */
interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly start: number;
  readonly end: number;
}

interface Edit {
  readonly at: number;
  /** Characters replaced from `at` (0 for an insertion). */
  readonly remove: number;
  readonly text: string;
  /** Order of edits at the same offset: closing parentheses before anything that opens. */
  readonly rank: number;
}

const ITERATING_MACROS: Readonly<Record<string, readonly number[]>> = {
  all: [2, 3],
  exists: [2, 3],
  exists_one: [2, 3],
  existsOne: [3],
  map: [2, 3],
  filter: [2],
  transformList: [3, 4],
  transformMap: [3, 4],
  transformMapEntry: [3, 4],
};

// The two-variable forms of cel-go's comprehensions, by the numbers of arguments that make them one
// (the `transform…` macros take an optional filter). No prototype: `constructor` is no macro.
const TWO_VARIABLE_MACROS: Readonly<Record<string, readonly number[] | undefined>> = Object.assign(
  Object.create(null) as Record<string, readonly number[] | undefined>,
  {
    all: [3],
    exists: [3],
    existsOne: [3],
    exists_one: [3],
    transformList: [3, 4],
    transformMap: [3, 4],
    transformMapEntry: [3, 4],
  },
);

const PATTERN_FUNCTIONS = new Set(['matches', 'find', 'findAll']);

/**
 * Walk a parsed expression (cel-js's `ParseResult.ast`): collect the facts above and rewrite the
 * source so that iteration is charged to the cost meter (see `cel-cost.ts`).
 */
export function analyzeExpression(
  source: string,
  ast: unknown,
  variablePaths: ReadonlyMap<string, readonly string[]> = NO_VARIABLE_PATHS,
  typedRoots: readonly string[] = OBJECT_ROOTS,
): ExpressionFacts {
  const functions = new Set<string>();
  const variables = new Set<string>();
  const objectPaths: string[][] = [];
  const typedPaths: string[][] = [];
  // Macro variables bound to a field path (innermost last): `c` in `object.spec.containers.all(c, …)`.
  const bound: [string, string[] | undefined][] = [];
  const typedPath = (node: AstNode): string[] | undefined =>
    objectPath(node, bound, variablePaths, typedRoots);
  const literalPatterns: string[] = [];
  const outOfRangeInts: string[] = [];
  const computedPresenceTests: number[] = [];
  // The literal 2^63 directly under a unary minus: the smallest int, written as CEL writes it.
  let smallestInt: unknown;
  const edits: Edit[] = [];
  let optionalSyntax = false;
  let authorizer = false;
  let readsParams = false;
  let twoVariableMacro: string | undefined;
  const formatCalls: { format: string; argTypes: string[] }[] = [];

  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    const node = value;
    if (node.op === '.?' || node.op === '[?]') optionalSyntax = true;
    if (node.op === 'id' && node.args === 'authorizer') authorizer = true;
    if (node.op === 'id' && node.args === 'params' && !bound.some(([name]) => name === 'params'))
      readsParams = true;
    if (node.op === '-_') smallestInt = node.args;
    if (node.op === 'value' && typeof node.args === 'bigint') {
      const literal = node.args;
      const allowed = node === smallestInt && literal === -MIN_INT;
      if (!allowed && (literal > MAX_INT || literal < MIN_INT))
        outOfRangeInts.push(source.slice(node.start, node.end));
    }
    const variable = variableName(node);
    if (variable !== undefined) variables.add(variable);
    // Without the root: `object.spec.replicas` is `['spec', 'replicas']`.
    const path = objectPath(node, [], NO_VARIABLE_PATHS, ONLY_OBJECT)?.slice(1);
    if (path) {
      objectPaths.push(path);
      // Keep walking: a chain may hold optional syntax or index expressions.
    }
    const typed = typedPath(node);
    if (typed) typedPaths.push(typed);
    // Concatenation copies both sides: `v + v` doubling a list in each of 30 variables would use
    // gigabytes before any loop is charged. Each operand of `+` is charged its size.
    if (node.op === '+' && Array.isArray(node.args)) {
      for (const operand of node.args as unknown[]) {
        if (!isNode(operand) || operand.op === 'value') continue;
        edits.push({ at: operand.start, remove: 0, text: `${COST_FUNCTION}(`, rank: 1 });
        edits.push({ at: operand.end, remove: 0, text: ')', rank: 0 });
      }
    }
    if (node.op === 'call' || node.op === 'rcall') {
      const args = node.args as unknown[];
      const name = String(args[0]);
      functions.add(name);
      // A namespaced function (`format.named()`, `sets.contains()`) is also known by its full name.
      const receiver = node.op === 'rcall' ? args[1] : undefined;
      if (isNode(receiver) && receiver.op === 'id' && typeof receiver.args === 'string')
        functions.add(`${receiver.args}.${name}`);
      const callArgs = (node.op === 'call' ? args[1] : args[2]) as unknown[];
      if (PATTERN_FUNCTIONS.has(name)) {
        const pattern = callArgs[node.op === 'call' ? 1 : 0];
        if (isNode(pattern) && pattern.op === 'value' && typeof pattern.args === 'string') {
          literalPatterns.push(pattern.args);
        }
      }
      if (node.op === 'rcall') {
        const receiver = args[1];
        if (TWO_VARIABLE_MACROS[name]?.includes(callArgs.length)) twoVariableMacro ??= name;
        const [list] = callArgs;
        if (
          name === 'format' &&
          callArgs.length === 1 &&
          isNode(receiver) &&
          receiver.op === 'value' &&
          typeof receiver.args === 'string' &&
          isNode(list) &&
          list.op === 'list' &&
          Array.isArray(list.args)
        ) {
          formatCalls.push({ format: receiver.args, argTypes: (list.args as unknown[]).map(literalType) });
        }
        // Own entries only: a method named `constructor` is no macro (nor `Object`).
        const arity = Object.hasOwn(ITERATING_MACROS, name) ? ITERATING_MACROS[name] : undefined;
        if (arity?.includes(callArgs.length) && isNode(receiver)) {
          edits.push({ at: receiver.start, remove: 0, text: `${COST_FUNCTION}(`, rank: 1 });
          edits.push({ at: receiver.end, remove: 0, text: ')', rank: 0 });
        }
        const replacement = Object.hasOwn(REPLACED_METHODS, name) ? REPLACED_METHODS[name] : undefined;
        if (replacement !== undefined && isNode(receiver)) {
          const at = methodNameOffset(source, receiver.end, name);
          if (at !== undefined) edits.push({ at, remove: name.length, text: replacement, rank: 2 });
        }
      } else {
        const replacement = Object.hasOwn(REPLACED_FUNCTIONS, name)
          ? REPLACED_FUNCTIONS[name]
          : isComputedPresenceTest(node)
            ? PRESENCE_FUNCTION
            : undefined;
        if (replacement !== undefined && source.startsWith(name, node.start)) {
          edits.push({ at: node.start, remove: name.length, text: replacement, rank: 2 });
          if (replacement === PRESENCE_FUNCTION) computedPresenceTests.push(node.start);
        }
      }
    }
    // A macro's variable stands for an item (or key) of its receiver while its body is walked.
    const bindings = node.op === 'rcall' ? macroBindings(node, typedPath) : undefined;
    if (bindings !== undefined) {
      const [, receiver, callArgs] = node.args as [unknown, unknown, unknown[]];
      visit(receiver);
      bound.push(...bindings);
      visit(callArgs);
      bound.length -= bindings.length;
      return;
    }
    visitChildren(node, visit);
  };
  visit(ast);
  return {
    functions,
    optionalSyntax,
    authorizer,
    readsParams,
    twoVariableMacro,
    formatCalls,
    variables,
    objectPaths: dropPrefixes(objectPaths),
    typedPaths: dropPrefixes(typedPaths),
    wholePath: isNode(ast) ? typedPath(ast) : undefined,
    literalPatterns,
    outOfRangeInts,
    computedPresenceTests: computedPresenceTests.sort((a, b) => a - b),
    instrumented: applyEdits(source, edits),
  };
}

function isNode(value: unknown): value is AstNode {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { op?: unknown }).op === 'string' &&
    'args' in value &&
    typeof (value as { start?: unknown }).start === 'number'
  );
}

function visitChildren(node: AstNode, visit: (value: unknown) => void): void {
  switch (node.op) {
    case 'value':
    case 'id':
      return;
    case '.':
    case '.?':
      visit((node.args as unknown[])[0]);
      return;
    case 'call':
      visit((node.args as unknown[])[1]);
      return;
    case 'rcall':
      visit((node.args as unknown[])[1]);
      visit((node.args as unknown[])[2]);
      return;
    default:
      visit(node.args);
  }
}

/** The CEL type of a literal node (`dyn` for anything else). */
function literalType(node: unknown): string {
  if (!isNode(node)) return 'dyn';
  if (node.op === 'list') return 'list';
  if (node.op === 'map') return 'map';
  return node.op === 'value' ? typeName(node.args) : 'dyn';
}

/** `variables.<name>` → name. */
function variableName(node: AstNode): string | undefined {
  if (node.op !== '.' && node.op !== '.?') return undefined;
  const [target, field] = node.args as [unknown, unknown];
  return isNode(target) && target.op === 'id' && target.args === 'variables' && typeof field === 'string'
    ? field
    : undefined;
}

/**
 * The field path of `object.a.b['c'][0]` (or of a macro variable bound in `bound`, innermost
 * last), or undefined for anything else.
 */
function objectPath(
  node: AstNode,
  bound: readonly (readonly [string, readonly string[] | undefined])[],
  variablePaths: ReadonlyMap<string, readonly string[]> = NO_VARIABLE_PATHS,
  roots: readonly string[] = ONLY_OBJECT,
): string[] | undefined {
  if (node.op === 'id') {
    // A macro variable shadows what has its name; one over no known field is no path.
    for (let i = bound.length - 1; i >= 0; i--) {
      const [name, path] = bound[i] as readonly [string, readonly string[] | undefined];
      if (name === node.args) return path === undefined ? undefined : [...path];
    }
    return typeof node.args === 'string' && roots.includes(node.args) ? [node.args] : undefined;
  }
  if (node.op === '.' || node.op === '.?') {
    const [target, field] = node.args as [unknown, unknown];
    // `variables.containers`, a variable defined as a path.
    if (isNode(target) && target.op === 'id' && target.args === 'variables' && typeof field === 'string') {
      const path = variablePaths.get(field);
      return path === undefined ? undefined : [...path];
    }
    const base = isNode(target) ? objectPath(target, bound, variablePaths, roots) : undefined;
    return base && typeof field === 'string' ? [...base, field] : undefined;
  }
  if (node.op === '[]' || node.op === '[?]') {
    const [target, index] = node.args as [unknown, unknown];
    const base = isNode(target) ? objectPath(target, bound, variablePaths, roots) : undefined;
    if (!base || !isNode(index) || index.op !== 'value') return undefined;
    const key = index.args;
    return typeof key === 'string' || typeof key === 'bigint' ? [...base, String(key)] : undefined;
  }
  return undefined;
}

/**
 * The variables an iterating macro binds: a one-variable macro's variable to an item of its
 * receiver's path (`*`: a list's item or a map's key); a two-variable one's second to an item or a
 * map's value (`**`), its first to no path. A variable over a receiver with no known path is bound
 * to none: it still shadows. `undefined` when the node is no such macro.
 */
function macroBindings(
  node: AstNode,
  pathOf: (node: AstNode) => string[] | undefined,
): [string, string[] | undefined][] | undefined {
  const [name, receiver, callArgs] = node.args as [unknown, unknown, unknown[]];
  if (typeof name !== 'string' || !isNode(receiver) || !Array.isArray(callArgs)) return undefined;
  const twoVariables = TWO_VARIABLE_MACROS[name]?.includes(callArgs.length) === true;
  const oneVariable = !twoVariables && ONE_VARIABLE_MACROS[name]?.includes(callArgs.length) === true;
  if (!twoVariables && !oneVariable) return undefined;
  const names = callArgs
    .slice(0, twoVariables ? 2 : 1)
    .map((v) => (isNode(v) && v.op === 'id' && typeof v.args === 'string' ? v.args : undefined));
  const receiverPath = pathOf(receiver);
  const out: [string, string[] | undefined][] = [];
  names.forEach((variable, i) => {
    if (variable === undefined) return;
    const isItem = twoVariables ? i === 1 : i === 0;
    out.push([
      variable,
      isItem && receiverPath !== undefined ? [...receiverPath, twoVariables ? '**' : '*'] : undefined,
    ]);
  });
  return out;
}

const NO_VARIABLE_PATHS: ReadonlyMap<string, readonly string[]> = new Map();
const ONLY_OBJECT: readonly string[] = ['object'];
/** The typed variables an admission policy's expressions read: the objects, the request, the params. */
const OBJECT_ROOTS: readonly string[] = ['object', 'oldObject', 'request', 'namespaceObject', 'params'];

// The one-variable macros that iterate, by their numbers of arguments.
const ONE_VARIABLE_MACROS: Readonly<Record<string, readonly number[] | undefined>> = Object.assign(
  Object.create(null) as Record<string, readonly number[] | undefined>,
  { all: [2], exists: [2], exists_one: [2], map: [2, 3], filter: [2] },
);

/** Keep only the longest chains: `object.spec` inside `object.spec.replicas` is the same read. */
function dropPrefixes(paths: string[][]): string[][] {
  return paths.filter(
    (path) =>
      !paths.some((other) => other.length > path.length && path.every((segment, i) => other[i] === segment)),
  );
}

/** Where `.name(` starts after a receiver that ends at `from` (past closing parentheses). */
function methodNameOffset(source: string, from: number, name: string): number | undefined {
  const match = /^[\s)]*\.\s*/.exec(source.slice(from));
  if (!match) return undefined;
  const at = from + match[0].length;
  return source.startsWith(name, at) && /^\s*\(/.test(source.slice(at + name.length)) ? at : undefined;
}

function applyEdits(source: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.at - a.at || b.rank - a.rank);
  let out = source;
  for (const edit of sorted) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at + edit.remove);
  return out;
}
