import {
  describeValueNode,
  type ExpressionNode,
  notAPath,
  type PathExpressionError,
} from './path-expression-ast.js';
import { Failure, show, TokenCursor } from './path-expression-cursor.js';
import { type Token, tokenize } from './path-expression-lex.js';
import { compileRegex } from './safe-regex.js';

const FUNCTIONS = 'select, has, not, test, startswith, endswith';

/**
 * Parse `text` into a tree whose top level yields locations (see `notAPath`).
 *
 * @example
 * ```ts
 * parseExpressionTree('.a[]?'); // { root: { kind: 'iterate', optional: true, target: { kind: 'field', … } } }
 * ```
 */
export function parseExpressionTree(text: string): { root: ExpressionNode } | { error: PathExpressionError } {
  const lexed = tokenize(text);
  if ('error' in lexed) return lexed;
  const parser = new Parser(lexed.tokens);
  try {
    const root = parser.pipe();
    parser.expectEnd();
    const culprit = notAPath(root);
    if (culprit === undefined) return { root };
    const what = describeValueNode(culprit);
    const message = `expected a path such as .spec.replicas or select(...), but ${what} yields a value, not a location (conditions belong inside select(...))`;
    return { error: { code: 'not-a-path', message, column: culprit.column } };
  } catch (caught) {
    if (caught instanceof Failure) return { error: caught.error };
    throw caught;
  }
}

class Parser extends TokenCursor {
  /** pipe := comma ('|' comma)* — the loosest binding, as in jq. */
  pipe(): ExpressionNode {
    const first = this.comma();
    if (!this.isPunct('|')) return first;
    const stages = [first];
    while (this.isPunct('|')) {
      this.at++;
      stages.push(this.comma());
    }
    return this.node({ kind: 'pipe', stages, column: first.column });
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    if (token.text === ')') this.fail('syntax', 'unexpected ) without a matching (', token.column);
    this.fail(
      'syntax',
      `expected |, ",", and, or, == or the end of the expression, but found ${show(token)}`,
    );
  }

  private comma(): ExpressionNode {
    const first = this.or();
    if (!this.isPunct(',')) return first;
    const items = [first];
    while (this.isPunct(',')) {
      this.at++;
      items.push(this.or());
    }
    return this.node({ kind: 'comma', items, column: first.column });
  }

  private or(): ExpressionNode {
    let left = this.and();
    while (this.isIdent('or')) {
      const column = this.next().column;
      left = this.node({ kind: 'or', left, right: this.and(), column });
    }
    return left;
  }

  private and(): ExpressionNode {
    let left = this.compare();
    while (this.isIdent('and')) {
      const column = this.next().column;
      left = this.node({ kind: 'and', left, right: this.compare(), column });
    }
    return left;
  }

  private compare(): ExpressionNode {
    const left = this.postfix();
    const { kind, text: op, column } = this.peek();
    if (kind !== 'punct' || (op !== '==' && op !== '!=')) return left;
    this.at++;
    const right = this.postfix();
    const next = this.peek();
    if (next.kind === 'punct' && (next.text === '==' || next.text === '!=')) {
      this.fail('syntax', 'comparisons do not chain; wrap one side in parentheses', next.column);
    }
    return this.node({ kind: 'compare', op, left, right, column });
  }

  /**
   * postfix := primary ( .name | ."str" | .[…] | […] | ? )*
   *
   * A `?` after a step covers that step only, as gojq compiles it: `.a.b?` is `.a | .b?`. It
   * covers the whole term when it follows the term's head (`.a?`, `(…)?`, `select(…)?`), another
   * `?`, or a `[]` that is the head's first step (gojq reads `.a[]?` and `(…)[]?` as one try).
   */
  private postfix(): ExpressionNode {
    const first = this.peek();
    let node = this.primary();
    const bareDot = first.kind === 'dot';
    let steps = 0;
    let lastWasTry = false;
    for (;;) {
      const token = this.peek();
      if (token.kind === 'punct' && token.text === '?') {
        this.at++;
        const step =
          node.kind === 'field' || node.kind === 'index' || node.kind === 'iterate' ? node : undefined;
        const wholeTerm =
          lastWasTry || step === undefined || steps === 0 || (steps === 1 && step.kind === 'iterate');
        node =
          wholeTerm || step === undefined
            ? this.node({ kind: 'try', target: node, column: token.column })
            : { ...step, optional: true };
        lastWasTry = true;
        continue;
      }
      if (token.kind === 'field') {
        this.at++;
        node = this.node({ kind: 'field', target: node, name: token.text, column: token.column });
      } else if (token.kind === 'dot' && this.peek(1).kind === 'string') {
        this.at += 2;
        node = this.node({
          kind: 'field',
          target: node,
          name: this.tokens[this.at - 1]!.text,
          column: token.column,
        });
      } else if (token.kind === 'dot' && this.peek(1).text === '[' && this.peek(1).kind === 'punct') {
        this.at++;
        node = this.bracket(node);
      } else if (token.kind === 'dot') {
        const found = this.peek(1);
        this.fail(
          'syntax',
          `expected a field name, a "string" or [ after ".", but found ${show(found)}`,
          found.column,
        );
      } else if (token.kind === 'punct' && token.text === '[') {
        node = this.bracket(node);
      } else {
        return node;
      }
      // `."a"` and `.[0]` right after a bare `.` are the head itself, as `.a` is.
      const joinsHead =
        bareDot && steps === 0 && !lastWasTry && node.kind !== 'iterate' && isOnIdentity(node);
      if (!joinsHead) steps++;
      lastWasTry = false;
    }
  }

  /** `[]`, `["key"]`, `[3]` or `[-1]` after `target`; the current token is the `[`. */
  private bracket(target: ExpressionNode): ExpressionNode {
    const open = this.next();
    const inside = this.next();
    if (inside.kind === 'punct' && inside.text === ']') {
      return this.node({ kind: 'iterate', target, column: open.column });
    }
    let node: ExpressionNode;
    if (inside.kind === 'string') {
      node = this.node({ kind: 'field', target, name: inside.text, column: open.column });
    } else if (inside.kind === 'number' || (inside.text === '-' && this.peek().kind === 'number')) {
      const number = inside.kind === 'number' ? inside : this.next();
      const index = (inside.kind === 'number' ? 1 : -1) * number.number!;
      if (!Number.isSafeInteger(index)) this.fail('syntax', 'expected an integer index', number.column);
      node = this.node({ kind: 'index', target, index, column: open.column });
    } else {
      const message = `expected ], a "string" key or an integer index after [, but found ${show(inside)} (only literal keys and indexes are supported)`;
      this.fail(inside.kind === 'end' ? 'syntax' : 'unsupported', message, inside.column);
    }
    const close = this.next();
    if (close.kind !== 'punct' || close.text !== ']') {
      if (close.text === ':') this.fail('unsupported', 'slices (.[a:b]) are not supported', close.column);
      this.fail(
        'syntax',
        `expected ] to close the [ at column ${open.column}, but found ${show(close)}`,
        close.column,
      );
    }
    return node;
  }

  private primary(): ExpressionNode {
    const token = this.next();
    const column = token.column;
    switch (token.kind) {
      case 'field':
        return this.node({
          kind: 'field',
          target: this.node({ kind: 'identity', column }),
          name: token.text,
          column,
        });
      case 'dot':
        // `."key"` and `.[…]` are postfix steps on the identity; `postfix` takes them from here.
        this.at -= this.peek().kind === 'string' || this.peek().text === '[' ? 1 : 0;
        return this.node({ kind: 'identity', column });
      case 'string':
        return this.node({ kind: 'literal', value: token.text, column });
      case 'number':
        return this.node({ kind: 'literal', value: token.number!, column });
      case 'recurse':
        return this.fail('unsupported', 'recursive descent (..) is not supported', column);
      case 'ident':
        return this.word(token);
      case 'punct':
        if (token.text === '(') return this.group(token);
        if (token.text === '-' && this.peek().kind === 'number') {
          return this.node({ kind: 'literal', value: -this.next().number!, column });
        }
        break;
      case 'end':
        break;
    }
    return this.fail(
      'syntax',
      `expected a path (.name, .[…]), a literal or a function, but found ${show(token)}`,
      column,
    );
  }

  private group(open: Token): ExpressionNode {
    this.enter(open);
    const inner = this.pipe();
    this.close(open);
    return inner;
  }

  /** Keywords, literals and the supported functions. */
  private word(token: Token): ExpressionNode {
    const column = token.column;
    switch (token.text) {
      case 'true':
      case 'false':
        return this.node({ kind: 'literal', value: token.text === 'true', column });
      case 'null':
        return this.node({ kind: 'literal', value: null, column });
      case 'not':
        return this.node({ kind: 'not', column });
      case 'select': {
        const open = this.open(token);
        const condition = this.pipe();
        this.close(open);
        return this.node({ kind: 'select', condition, column });
      }
      case 'has': {
        const open = this.open(token);
        const key = this.next();
        if (key.kind !== 'string' && !(key.kind === 'number' && Number.isSafeInteger(key.number))) {
          this.fail(
            'unsupported',
            `expected a "string" or an integer literal as the argument of has, but found ${show(key)}`,
            key.column,
          );
        }
        this.close(open);
        return this.node({ kind: 'has', key: key.kind === 'string' ? key.text : key.number!, column });
      }
      case 'startswith':
      case 'endswith': {
        const open = this.open(token);
        const text = this.stringArgument(token.text);
        this.close(open);
        return this.node({ kind: token.text, text: text.text, column });
      }
      case 'test':
        return this.test(token);
      case 'and':
      case 'or':
        return this.fail('syntax', `expected an expression before \`${token.text}\``, column);
      default:
        return this.fail('unsupported', `unknown function ${token.text} (supported: ${FUNCTIONS})`, column);
    }
  }

  /** `test("regex")` or `test("regex"; "flags")`; the regex is compiled now so errors have a column. */
  private test(token: Token): ExpressionNode {
    const open = this.open(token);
    const pattern = this.stringArgument('test');
    let flags = '';
    if (this.isPunct(';')) {
      this.at++;
      const given = this.stringArgument('test');
      if (!/^[gin]*$/.test(given.text)) {
        this.fail(
          'unsupported',
          'expected regex flags made of g, i and n (others are not supported)',
          given.column,
        );
      }
      flags = given.text;
    }
    this.close(open);
    const compiled = compileRegex(pattern.text, { ignoreCase: flags.includes('i') });
    if ('error' in compiled) {
      this.fail('invalid-regex', `${compiled.error} in the regular expression`, pattern.column);
    }
    return this.node({ kind: 'test', regex: compiled.regex, source: pattern.text, column: token.column });
  }
}

function isOnIdentity(node: ExpressionNode): boolean {
  return (node.kind === 'field' || node.kind === 'index') && node.target.kind === 'identity';
}
