/**
 * Path expressions: the subset of jq that Argo CD users write in
 * `ignoreDifferences.jqPathExpressions` (Argo CD runs them through gojq as `del(<expr>)`). Here
 * an expression selects locations, returned as JSON Pointers; `docs/diff-paths.md` is the user
 * documentation.
 *
 * Grammar (loosest binding first, as in jq):
 *
 * ```
 * pipe     := comma ('|' comma)*
 * comma    := or (',' or)*
 * or       := and ('or' and)*
 * and      := compare ('and' compare)*
 * compare  := postfix (('==' | '!=') postfix)?          comparisons do not chain
 * postfix  := primary suffix*
 * suffix   := .name | ."string" | .[…] | […] | ?       […] is [], ["key"], [n] or [-n]
 * primary  := .name | . | "string" | number | -number | true | false | null | ( pipe )
 *           | select( pipe ) | not | has("key" | n) | startswith("s") | endswith("s")
 *           | test("regex") | test("regex"; "flags")
 * ```
 *
 * `name` is `[A-Za-z_][A-Za-z0-9_]*`; other keys need `."key"` or `["key"]`. Strings are JSON
 * strings (no interpolation). Whitespace is free except inside `.name`. Semantics are gojq's
 * (what Argo CD runs): `.name` and `.[n]` give null on null or when missing, and fail on other
 * types; `.[]` fails on anything but an array or object; `has` is false on null; `select(c)`
 * passes its input on for each truthy output of `c` (only `false` and `null` are falsy); `.[-1]`
 * counts from the end. A `?` after a step ignores that step's error only (`.a.b?` is
 * `.a | .b?`); after a term's head, a first `[]`, a group or a function it covers the whole term
 * (`.a[]?`, `(…)?`); errors of later steps are never caught (unlike jq 1.6). A jq error anywhere
 * fails the whole expression and selects nothing, because Argo CD then skips the rule for that
 * object. `test` takes RE2 syntax (gojq uses Go's `regexp`) and runs in linear time (see
 * `safe-regex.ts`); flags may be `g`, `i`, `n`.
 *
 * Not supported (each refused with a message and column): `..`, variables, object and array
 * construction, slices, arithmetic, `<` `>`, `//`, `if`, `reduce`, string interpolation,
 * functions other than those above, and arguments that are not literals.
 *
 * The top level must yield locations: `.a | select(.b == 1)` does, `.a == 1` does not (jq would
 * fail at run time with "Invalid path expression"; here it is a parse error with a column).
 */

import { formatPointer } from '@shipshape/core';
import {
  type ExpressionNode,
  PATH_EXPRESSION_ERROR_CODES,
  type PathExpressionError,
  type PathExpressionErrorCode,
} from './path-expression-ast.js';
import { evaluateTree } from './path-expression-eval.js';
import { parseExpressionTree } from './path-expression-parse.js';

export { PATH_EXPRESSION_ERROR_CODES, type PathExpressionError, type PathExpressionErrorCode };

/**
 * A parsed path expression; parse once, match against many objects.
 *
 * @example
 * ```ts
 * const parsed = parsePathExpression('.spec.replicas');
 * if ('expression' in parsed) parsed.expression.source; // '.spec.replicas'
 * ```
 */
export interface PathExpression {
  /** The text it was parsed from. */
  readonly source: string;
  /** The syntax tree; internal, may change between versions. */
  readonly root: ExpressionNode;
}

/**
 * Parse a path expression. Never throws: a problem comes back as `{ error }` with a stable `code`,
 * a message saying what was expected and the 1-based column of the offending token.
 *
 * @example
 * ```ts
 * parsePathExpression('.spec.template.spec.containers[] | select(.name == "app") | .image');
 * // { expression: { source: '…', root: … } }
 * parsePathExpression('.a[');
 * // { error: { code: 'syntax', message: 'expected ], a "string" key or an integer index …', column: 4 } }
 * ```
 */
export function parsePathExpression(
  text: string,
): { expression: PathExpression } | { error: PathExpressionError } {
  if (typeof text !== 'string') {
    return { error: { code: 'syntax', message: 'expected the expression as a string', column: 1 } };
  }
  const parsed = parseExpressionTree(text);
  if ('error' in parsed) return parsed;
  return { expression: { source: text, root: parsed.root } };
}

/**
 * Limits for one match. Argo CD stops a jq expression after one second; these bound the work
 * instead, so results do not depend on the machine.
 *
 * @example
 * ```ts
 * matchPaths(expression, object, { maxResults: 100 });
 * ```
 */
export interface MatchOptions {
  /** Evaluation steps (nodes run, elements iterated, regex work). Default 1,000,000. */
  readonly maxSteps?: number;
  /** Distinct locations selected. Default 10,000. */
  readonly maxResults?: number;
}

/**
 * The result of `evaluatePathExpression`.
 *
 * @example
 * ```ts
 * const ok: PathMatch = { pointers: ['/spec/replicas'] };
 * const failed: PathMatch = { pointers: [], error: { code: 'limit', message: 'selects more than 10000 locations' } };
 * ```
 */
export interface PathMatch {
  /** JSON Pointers of the selected locations that exist, in document order, without duplicates. */
  readonly pointers: string[];
  /**
   * Set when evaluation failed: `runtime` for a jq error (`Cannot iterate over null`), `limit` when
   * a `MatchOptions` limit was reached. `pointers` is then empty, as Argo CD skips such a rule.
   */
  readonly error?: { readonly code: 'runtime' | 'limit'; readonly message: string };
}

/**
 * Run `expression` on `object` and say what it selected or why it failed. Never throws and never
 * mutates `object`. Only own properties are followed (`__proto__` is an ordinary key).
 *
 * @example
 * ```ts
 * const { expression } = parsePathExpression('.spec.replicas[]') as { expression: PathExpression };
 * evaluatePathExpression(expression, { spec: { replicas: 3 } });
 * // { pointers: [], error: { code: 'runtime', message: 'Cannot iterate over number' } }
 * ```
 */
export function evaluatePathExpression(
  expression: PathExpression,
  object: unknown,
  options: MatchOptions = {},
): PathMatch {
  const limits = { maxSteps: options.maxSteps ?? 1_000_000, maxResults: options.maxResults ?? 10_000 };
  const evaluation = evaluateTree(expression.root, object, limits);
  if ('error' in evaluation) return { pointers: [], error: evaluation.error };
  return { pointers: evaluation.paths.map((path) => formatPointer(path)) };
}

/**
 * The JSON Pointers (RFC 6901, escaped) of every existing location `expression` selects in
 * `object`, in document order (array indexes by number), without duplicates. Locations the
 * expression names but the object lacks are not returned. When evaluation fails (a jq error or a
 * limit, see `evaluatePathExpression`) the result is empty.
 *
 * @example
 * ```ts
 * const { expression } = parsePathExpression('.webhooks[]?.clientConfig.caBundle') as { expression: PathExpression };
 * matchPaths(expression, { webhooks: [{ clientConfig: { caBundle: 'x' } }, { clientConfig: {} }] });
 * // ['/webhooks/0/clientConfig/caBundle']
 * ```
 */
export function matchPaths(expression: PathExpression, object: unknown, options?: MatchOptions): string[] {
  return evaluatePathExpression(expression, object, options).pointers;
}
