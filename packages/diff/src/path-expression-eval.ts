import { formatPointer } from '@shipshape/core';
import { isObject as isJsonObject } from './json-value.js';
import type { ExpressionNode } from './path-expression-ast.js';
import { comparePaths, type PathSegments } from './path-order.js';
import { sameJson } from './same-json.js';

/**
 * One output of an expression: a value and, for outputs that are locations in the input, its path.
 * `exists` is false for the `null` jq yields at a missing key or index (`path` is still set, as in
 * jq's `path(.missing)`), and for values that are no location at all (`path` is null).
 */
interface Location {
  readonly value: unknown;
  readonly exists: boolean;
  readonly path: PathSegments | null;
}

type Emit = (location: Location) => void;

/**
 * The limits one evaluation runs under.
 *
 * @example
 * ```ts
 * const limits: EvaluationLimits = { maxSteps: 1_000_000, maxResults: 10_000 };
 * ```
 */
export interface EvaluationLimits {
  readonly maxSteps: number;
  readonly maxResults: number;
}

/**
 * What an evaluation found: the selected paths in document order, or why it stopped.
 *
 * @example
 * ```ts
 * const found: Evaluation = { paths: [['spec', 'replicas']] };
 * const failed: Evaluation = { error: { code: 'runtime', message: 'Cannot iterate over null' } };
 * ```
 */
export type Evaluation =
  | { readonly paths: PathSegments[] }
  | { readonly error: { readonly code: 'runtime' | 'limit'; readonly message: string } };

/** A jq runtime error (`Cannot iterate over null`); `?` catches these. */
class JqError extends Error {}

/** A limit was reached; nothing catches this but `evaluateTree`. */
class LimitReached extends Error {}

/** A jq error raised after a `?` emitted its output: it belongs to a later step, not to the `?`. */
class Passthrough extends Error {
  constructor(
    readonly owner: object,
    readonly error: JqError,
  ) {
    super(error.message);
  }
}

/**
 * Run `root` on `input` (depth first, in jq's order, so `?` stops where jq stops) and collect the
 * existing locations it yields. A jq error anywhere fails the whole evaluation, as it makes Argo CD
 * skip the whole `del(…)`.
 *
 * @example
 * ```ts
 * evaluateTree(root, { a: [1, 2] }, { maxSteps: 1e6, maxResults: 1e4 }); // { paths: [['a', 0], ['a', 1]] }
 * ```
 */
export function evaluateTree(root: ExpressionNode, input: unknown, limits: EvaluationLimits): Evaluation {
  const evaluator = new Evaluator(limits.maxSteps);
  const found = new Map<string, PathSegments>();
  const start: Location = { value: input ?? null, exists: input !== undefined, path: [] };
  try {
    evaluator.run(root, start, (location) => {
      if (!location.exists || location.path === null) return;
      const pointer = formatPointer(location.path);
      if (found.has(pointer)) return;
      if (found.size >= limits.maxResults)
        throw new LimitReached(`selects more than ${limits.maxResults} locations`);
      found.set(pointer, location.path);
    });
  } catch (caught) {
    if (caught instanceof JqError) return { error: { code: 'runtime', message: caught.message } };
    if (caught instanceof LimitReached) return { error: { code: 'limit', message: caught.message } };
    if (caught instanceof RangeError)
      return { error: { code: 'limit', message: 'nests too deeply to evaluate' } };
    throw caught;
  }
  return { paths: [...found.values()].sort(comparePaths) };
}

class Evaluator {
  private steps = 0;

  constructor(private readonly maxSteps: number) {}

  private readonly tick = (count = 1): void => {
    this.steps += count;
    if (this.steps > this.maxSteps) throw new LimitReached(`takes more than ${this.maxSteps} steps`);
  };

  run(node: ExpressionNode, input: Location, emit: Emit): void {
    this.tick();
    switch (node.kind) {
      case 'identity':
        emit(input);
        break;
      case 'field':
        this.run(node.target, input, (at) => optional(node.optional, () => field(at, node.name), emit));
        break;
      case 'index':
        this.run(node.target, input, (at) => optional(node.optional, () => index(at, node.index), emit));
        break;
      case 'iterate':
        this.run(node.target, input, (at) => this.iterate(at, node.optional === true, emit));
        break;
      case 'try':
        this.attempt(node.target, input, emit);
        break;
      case 'pipe':
        this.stages(node.stages, 0, input, emit);
        break;
      case 'comma':
        for (const item of node.items) this.run(item, input, emit);
        break;
      case 'select':
        this.run(node.condition, input, (result) => {
          if (truthy(result.value)) emit(input);
        });
        break;
      default:
        this.values(node, input, (result) => emit(value(result)));
    }
  }

  /** The constructs that yield values, not locations: literals, comparisons, logic, tests. */
  private values(node: ExpressionNode, input: Location, emit: (result: unknown) => void): void {
    switch (node.kind) {
      case 'literal':
        emit(node.value);
        break;
      case 'compare':
        // jq runs the right side in the outer loop.
        this.run(node.right, input, (right) =>
          this.run(node.left, input, (left) => {
            emit(sameJson(left.value, right.value, this.tick) === (node.op === '=='));
          }),
        );
        break;
      case 'and':
      case 'or': {
        const shortCircuit = node.kind === 'or';
        this.run(node.left, input, (left) => {
          if (truthy(left.value) === shortCircuit) emit(shortCircuit);
          else this.run(node.right, input, (right) => emit(truthy(right.value)));
        });
        break;
      }
      default:
        emit(this.predicate(node, input.value));
    }
  }

  /** The filters that test their input: `not`, `has`, `startswith`, `endswith`, `test`. */
  private predicate(node: ExpressionNode, input: unknown): boolean {
    switch (node.kind) {
      case 'not':
        return !truthy(input);
      case 'has':
        return has(input, node.key);
      case 'startswith':
      case 'endswith':
        if (typeof input !== 'string') throw new JqError(`${node.kind}() requires string inputs`);
        return node.kind === 'startswith' ? input.startsWith(node.text) : input.endsWith(node.text);
      case 'test':
        if (typeof input !== 'string') {
          throw new JqError(`${typeName(input)} cannot be matched, as it is not a string`);
        }
        return node.regex.test(input, this.tick);
      default:
        throw new TypeError(`path expression node ${node.kind} reached the predicate evaluator`);
    }
  }

  private stages(stages: readonly ExpressionNode[], at: number, input: Location, emit: Emit): void {
    const stage = stages[at];
    if (stage === undefined) emit(input);
    else this.run(stage, input, (output) => this.stages(stages, at + 1, output, emit));
  }

  private iterate(at: Location, optional: boolean, emit: Emit): void {
    const { value: container, path } = at;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        this.tick();
        emit({ value: container[i], exists: at.exists, path: path && [...path, i] });
      }
    } else if (isJsonObject(container)) {
      for (const key of Object.keys(container)) {
        this.tick();
        emit({ value: container[key], exists: at.exists, path: path && [...path, key] });
      }
    } else if (!optional) {
      throw new JqError(`Cannot iterate over ${typeName(container)}`);
    }
  }

  /** `target?`: errors raised inside `target` end it quietly; errors of later steps pass through. */
  private attempt(target: ExpressionNode, input: Location, emit: Emit): void {
    const owner = {};
    try {
      this.run(target, input, (output) => {
        try {
          emit(output);
        } catch (caught) {
          throw caught instanceof JqError ? new Passthrough(owner, caught) : caught;
        }
      });
    } catch (caught) {
      if (caught instanceof Passthrough && caught.owner === owner) throw caught.error;
      if (caught instanceof JqError) return;
      throw caught;
    }
  }
}

/** Emit the step's result; an optional step (`.a?`) that fails emits nothing. */
function optional(isOptional: boolean | undefined, step: () => Location, emit: Emit): void {
  let result: Location;
  try {
    result = step();
  } catch (caught) {
    if (isOptional === true && caught instanceof JqError) return;
    throw caught;
  }
  emit(result);
}

function value(value: unknown): Location {
  return { value, exists: false, path: null };
}

/** jq's `.name`: null on null or a missing key, an error on anything but an object. */
function field(at: Location, name: string): Location {
  const path = at.path && [...at.path, name];
  if (at.value == null) return { value: null, exists: false, path };
  if (!isJsonObject(at.value))
    throw new JqError(`Cannot index ${typeName(at.value)} with ${JSON.stringify(name)}`);
  const present = Object.hasOwn(at.value, name);
  return { value: present ? at.value[name] : null, exists: at.exists && present, path };
}

/** jq's `.[n]`: negative counts from the end; null out of range or on null. */
function index(at: Location, index: number): Location {
  if (at.value == null) return { value: null, exists: false, path: at.path && [...at.path, index] };
  if (!Array.isArray(at.value)) throw new JqError(`Cannot index ${typeName(at.value)} with number`);
  const position = index < 0 ? at.value.length + index : index;
  const present = position >= 0 && position < at.value.length;
  return {
    value: present ? at.value[position] : null,
    exists: at.exists && present,
    path: at.path && [...at.path, position],
  };
}

/** jq's `has(key)`: false on null (as jq 1.6 and gojq have it), an error on a mismatched type. */
function has(container: unknown, key: string | number): boolean {
  if (container == null) return false;
  if (typeof key === 'string' && isJsonObject(container)) return Object.hasOwn(container, key);
  if (typeof key === 'number' && Array.isArray(container)) return key >= 0 && key < container.length;
  throw new JqError(
    `Cannot check whether ${typeName(container)} has a ${typeof key === 'string' ? 'string' : 'number'} key`,
  );
}

function truthy(value: unknown): boolean {
  return value !== false && value != null;
}

function typeName(value: unknown): string {
  if (value == null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}
