import type { SafeRegex } from './safe-regex.js';

/**
 * Why an expression was refused, in a documented order: `syntax` (not jq), `unsupported` (jq, but
 * outside the subset), `not-a-path` (a value where a location is needed), `invalid-regex`,
 * `too-complex` (past the nesting or size limits).
 *
 * @example
 * ```ts
 * PATH_EXPRESSION_ERROR_CODES.indexOf('syntax'); // 0
 * ```
 */
export const PATH_EXPRESSION_ERROR_CODES = [
  'syntax',
  'unsupported',
  'not-a-path',
  'invalid-regex',
  'too-complex',
] as const;

/**
 * One of `PATH_EXPRESSION_ERROR_CODES`.
 *
 * @example
 * ```ts
 * const code: PathExpressionErrorCode = 'not-a-path';
 * ```
 */
export type PathExpressionErrorCode = (typeof PATH_EXPRESSION_ERROR_CODES)[number];

/**
 * Why a path expression did not parse: a stable code, a message saying what was expected, a column.
 *
 * @example
 * ```ts
 * const error: PathExpressionError = { code: 'syntax', message: 'expected ] to close the [ at column 3, …', column: 6 };
 * ```
 */
export interface PathExpressionError {
  readonly code: PathExpressionErrorCode;
  readonly message: string;
  /** 1-based, in UTF-16 code units from the start of the text. */
  readonly column: number;
}

/**
 * The syntax tree of a path expression (see `path-expression.ts` for the language). Postfix steps
 * (`.a`, `[0]`, `[]`) wrap the term they apply to. A `?` right after a step marks that step
 * `optional` (its own error is ignored, not those of the term before it): `.a.b[]?` is
 * `iterate?(field(field(identity, "a"), "b"))`, as gojq (which Argo CD runs) and jq 1.6 read it.
 * After anything else (`(…)?`, `select(…)?`, a second `?`) it is a `try` over that whole term.
 * `column` (1-based) is where the construct starts, or its operator for `==`, `!=`, `and`, `or`; it
 * is used for errors about the construct.
 *
 * @example
 * ```ts
 * // .a[0]
 * const node: ExpressionNode = { kind: 'index', index: 0, column: 3, target: { kind: 'field', name: 'a', column: 1, target: { kind: 'identity', column: 1 } } };
 * ```
 */
export type ExpressionNode =
  | { readonly kind: 'identity'; readonly column: number }
  | {
      readonly kind: 'field';
      readonly target: ExpressionNode;
      readonly name: string;
      readonly optional?: boolean;
      readonly column: number;
    }
  | {
      readonly kind: 'index';
      readonly target: ExpressionNode;
      readonly index: number;
      readonly optional?: boolean;
      readonly column: number;
    }
  | {
      readonly kind: 'iterate';
      readonly target: ExpressionNode;
      readonly optional?: boolean;
      readonly column: number;
    }
  | { readonly kind: 'try'; readonly target: ExpressionNode; readonly column: number }
  | { readonly kind: 'pipe'; readonly stages: readonly ExpressionNode[]; readonly column: number }
  | { readonly kind: 'comma'; readonly items: readonly ExpressionNode[]; readonly column: number }
  | { readonly kind: 'select'; readonly condition: ExpressionNode; readonly column: number }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly column: number }
  | {
      readonly kind: 'compare';
      readonly op: '==' | '!=';
      readonly left: ExpressionNode;
      readonly right: ExpressionNode;
      readonly column: number;
    }
  | {
      readonly kind: 'and' | 'or';
      readonly left: ExpressionNode;
      readonly right: ExpressionNode;
      readonly column: number;
    }
  | { readonly kind: 'not'; readonly column: number }
  | { readonly kind: 'has'; readonly key: string | number; readonly column: number }
  | { readonly kind: 'startswith' | 'endswith'; readonly text: string; readonly column: number }
  | { readonly kind: 'test'; readonly regex: SafeRegex; readonly source: string; readonly column: number };

/**
 * Why `node` cannot stand where a location is needed (the top level, a pipe stage or a `,` item
 * there), or `undefined` when it yields locations. jq finds this out only when it runs `path(…)`;
 * checking it while parsing points at the culprit.
 *
 * @example
 * ```ts
 * notAPath(parsed('.a | select(.b == 1)')); // undefined
 * notAPath(parsed('.a == 1')); // the compare node
 * ```
 */
export function notAPath(node: ExpressionNode): ExpressionNode | undefined {
  switch (node.kind) {
    case 'identity':
    case 'select':
      return undefined;
    case 'field':
    case 'index':
    case 'iterate':
    case 'try':
      return notAPath(node.target);
    case 'pipe':
      return firstDefined(node.stages);
    case 'comma':
      return firstDefined(node.items);
    default:
      return node;
  }
}

function firstDefined(nodes: readonly ExpressionNode[]): ExpressionNode | undefined {
  for (const node of nodes) {
    const found = notAPath(node);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * How a value-only construct is named in the "not a location" message.
 *
 * @example
 * ```ts
 * describeValueNode({ kind: 'literal', value: 'x', column: 1 }); // 'the literal "x"'
 * ```
 */
export function describeValueNode(node: ExpressionNode): string {
  switch (node.kind) {
    case 'literal':
      return `the literal ${JSON.stringify(node.value)}`;
    case 'compare':
      return `the comparison ${node.op}`;
    case 'and':
    case 'or':
    case 'not':
      return `\`${node.kind}\``;
    default:
      return `${node.kind}(...)`;
  }
}
