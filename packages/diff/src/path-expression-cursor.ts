import type { ExpressionNode, PathExpressionError, PathExpressionErrorCode } from './path-expression-ast.js';
import type { Token } from './path-expression-lex.js';

/** Parentheses, `select(...)` and function arguments nest at most this deep. */
const MAX_NESTING = 32;
/** An expression has at most this many syntax nodes; evaluation recurses once per node at most. */
const MAX_NODES = 500;

/**
 * Unwinds the recursive descent to `parseExpressionTree`, which turns it into data; never escapes.
 *
 * @example
 * ```ts
 * throw new Failure({ code: 'syntax', message: 'expected ]', column: 4 });
 * ```
 */
export class Failure extends Error {
  constructor(readonly error: PathExpressionError) {
    super(error.message);
  }
}

/**
 * The parser's position in the token list, with the limits it enforces (nesting, size) and the way
 * it fails. The grammar itself is in `path-expression-parse.ts`.
 *
 * @example
 * ```ts
 * class Parser extends TokenCursor {
 *   prefix(): Token { return this.stringArgument('startswith'); } // fails unless a string is next
 * }
 * ```
 */
export class TokenCursor {
  protected at = 0;
  private depth = 0;
  private nodes = 0;

  constructor(protected readonly tokens: readonly Token[]) {}

  protected stringArgument(name: string): Token {
    const token = this.next();
    if (token.kind !== 'string') {
      this.fail(
        'unsupported',
        `expected a "string" literal as the argument of ${name}, but found ${show(token)}`,
        token.column,
      );
    }
    return token;
  }

  protected open(name: Token): Token {
    const open = this.next();
    if (open.kind !== 'punct' || open.text !== '(') {
      this.fail('syntax', `expected ( after ${name.text}, but found ${show(open)}`, open.column);
    }
    this.enter(open);
    return open;
  }

  protected enter(open: Token): void {
    if (++this.depth > MAX_NESTING) {
      this.fail('too-complex', `expression nests deeper than ${MAX_NESTING} levels`, open.column);
    }
  }

  protected close(open: Token): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== ')') {
      this.fail(
        'syntax',
        `expected ) to close the ( at column ${open.column}, but found ${show(token)}`,
        token.column,
      );
    }
    this.depth--;
  }

  protected node(node: ExpressionNode): ExpressionNode {
    if (++this.nodes > MAX_NODES) {
      this.fail('too-complex', `expression has more than ${MAX_NODES} steps`, node.column);
    }
    return node;
  }

  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  protected isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  protected isIdent(text: string): boolean {
    const token = this.peek();
    return token.kind === 'ident' && token.text === text;
  }

  protected fail(code: PathExpressionErrorCode, message: string, column = this.peek().column): never {
    throw new Failure({ code, message, column });
  }
}

/**
 * A token as error messages name it.
 *
 * @example
 * ```ts
 * show({ kind: 'end', text: '', column: 4 }); // 'the end of the expression'
 * ```
 */
export function show(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the string ${JSON.stringify(token.text)}`;
    case 'field':
      return `.${token.text}`;
    default:
      return JSON.stringify(token.text);
  }
}
