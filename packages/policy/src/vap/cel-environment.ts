import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import { analyzeExpression, type ExpressionFacts } from './cel-analysis.js';
import { COST_FUNCTION, type CostMeter } from './cel-cost.js';
import { guardOperators } from './cel-operators.js';
import { registerOptionalEntries, rewriteOptionalEntries } from './cel-optional-entries.js';
import { presenceCheckSource, registerPresenceTest } from './cel-presence.js';
import { errorSummary } from './cel-values.js';
import { registerAuthorizerLibrary } from './lib-authorizer.js';
import { registerTwoVariableComprehensions } from './lib-comprehensions.js';
import { registerExtensionLibrary } from './lib-ext.js';
import { registerFormatLibrary } from './lib-format.js';
import { registerIpLibrary } from './lib-ip.js';
import { registerListLibrary } from './lib-lists.js';
import { registerNumberLibrary } from './lib-numbers.js';
import { registerOptionalExtras } from './lib-optionals.js';
import { registerQuantityLibrary } from './lib-quantity.js';
import { registerSemverLibrary } from './lib-semver.js';
import { FormatError, formatString, registerStringFormat } from './lib-string-format.js';
import { regexProblem, registerStringLibrary } from './lib-strings.js';
import { registerTimeLibrary } from './lib-time.js';
import { registerUrlLibrary } from './lib-url.js';

/**
 * A CEL environment for ValidatingAdmissionPolicy expressions: cel-js with optional types, mixed
 * list and map literals (as in cel-go), the VAP variables, and the Kubernetes libraries of this
 * folder. Functions that iterate charge `meter`.
 *
 * Every variable is `dyn` except `variables` (a map) and `authorizer`: without the OpenAPI schema of
 * the matched kinds, field types are only known when the expression runs.
 */
export function createVapEnvironment(meter: CostMeter): Environment {
  const env = kubernetesEnvironment(meter, ['object', 'oldObject', 'request', 'params', 'namespaceObject']);
  env.registerVariable('variables', 'map<string, dyn>');
  registerAuthorizerLibrary(env);
  env.registerVariable('authorizer', 'Authorizer');
  return env;
}

/**
 * The environment of {@link createVapEnvironment} without `object`, `oldObject`, `request`,
 * `params`, `namespaceObject` and `variables`: a clone of it declares them with the types of a policy's kinds,
 * to type-check expressions by schema (see `SchemaTypes`). Not for running expressions.
 */
export function createTypedVapBase(meter: CostMeter): Environment {
  const env = kubernetesEnvironment(meter, []);
  registerAuthorizerLibrary(env);
  env.registerVariable('authorizer', 'Authorizer');
  return env;
}

/**
 * The type-check of an expression that compiled with `dyn` variables, in `typed` (an environment
 * whose variables have their schemas' types): the type it gives, or why it fails (cel-js's "no
 * such overload" or "found no matching overload", or a field the type does not have); neither
 * for other failures. Left alone, where cel-js and the API server's
 * cel-go may not agree: comparisons with `null` (cel-go lets an object be compared with null,
 * `oldObject == null`; cel-js does not), and lists of two object types joined with `+`
 * (`containers + ephemeralContainers`: the API server names object types by their path, not
 * their definition, so which lists it lets be joined is not certain).
 */
export function typedCheck(
  typed: Environment,
  compiled: CompiledExpression,
): { readonly type?: string; readonly problem?: string } {
  let result: ReturnType<Environment['check']>;
  try {
    result = typed.check(compiled.checked);
  } catch {
    return {};
  }
  if (result.valid) return { type: fieldType(result.type) };
  const summary = errorSummary(result.error);
  // A field the type lacks, met where the field check does not look (a list a variable computes).
  const missing = /^No such key: (.+)$/.exec(summary)?.[1];
  if (missing !== undefined) {
    return { problem: `undefined field '${missing}'${atCharacter(result.error, compiled.sourceOffset)}` };
  }
  if (!/no (such|matching) overload/.test(summary) || /\bnull\b/.test(summary)) return {};
  const joined = /list<([^<>]+)> \+ list<([^<>]+)>/.exec(summary);
  if (joined && (joined[1]?.includes('.') || joined[2]?.includes('.'))) return {};
  return { problem: `${celGoWording(summary)}${atCharacter(result.error, compiled.sourceOffset)}` };
}

const BINARY_OPERATORS: Readonly<Record<string, string>> = {
  '==': '_==_',
  '!=': '_!=_',
  '<': '_<_',
  '<=': '_<=_',
  '>': '_>_',
  '>=': '_>=_',
  '+': '_+_',
  '-': '_-_',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
  in: '@in',
};

/**
 * cel-js's words for an overload it lacks, as cel-go (the API server) says them:
 * `no such overload: int > string` is "found no matching overload for '_>_' applied to '(int,
 * string)'", `size(int)` is "… for 'size' applied to '(int)'", and `list<string>` is
 * `list(string)`. A method call (`int.startsWith(string)`) keeps cel-js's words: its receiver
 * cannot be told from a namespaced function's name.
 */
export function celGoWording(summary: string): string {
  const types = (text: string) => text.replaceAll('<', '(').replaceAll('>', ')');
  const binary = /^no such overload: (.+) (==|!=|<=|>=|<|>|\+|-|\*|\/|%|in) (.+)$/.exec(summary);
  if (binary) {
    const [, left = '', operator = '', right = ''] = binary;
    return `found no matching overload for '${BINARY_OPERATORS[operator]}' applied to '(${types(left)}, ${types(right)})'`;
  }
  const unary = /^no such overload: ([-!])(.+)$/.exec(summary);
  if (unary) return `found no matching overload for '${unary[1]}_' applied to '(${types(unary[2] ?? '')})'`;
  const call = /^found no matching overload for '([A-Za-z_][A-Za-z0-9_]*)\((.*)\)'$/.exec(summary);
  if (call) return `found no matching overload for '${call[1]}' applied to '(${types(call[2] ?? '')})'`;
  return summary;
}

/** A type cel-js's check gives, as a field of a declared type takes it (`list` is `list<dyn>`). */
function fieldType(type: string | undefined): string {
  if (type === undefined || type === 'null' || type === 'type') return 'dyn';
  if (type === 'list') return 'list<dyn>';
  if (type === 'map') return 'map<dyn, dyn>';
  return type;
}

/**
 * A CEL environment for the validation rules of a CustomResourceDefinition: `self` and `oldSelf`
 * (both `dyn`; `oldSelf` an `optional<dyn>` for a rule with `optionalOldSelf`) and the Kubernetes
 * libraries, as the apiextensions server compiles `x-kubernetes-validations` rules (no
 * `authorizer`, no VAP variables).
 */
export function createCrdRuleEnvironment(meter: CostMeter, optionalOldSelf = false): Environment {
  if (!optionalOldSelf) return kubernetesEnvironment(meter, ['self', 'oldSelf']);
  const env = kubernetesEnvironment(meter, ['self']);
  env.registerVariable('oldSelf', 'optional<dyn>');
  return env;
}

/**
 * The environment of {@link createCrdRuleEnvironment} without `self` and `oldSelf`, for clones that
 * declare them with a schema's type (see `SchemaTypes`). Not for running rules.
 */
export function createTypedCrdRuleBase(meter: CostMeter): Environment {
  return kubernetesEnvironment(meter, []);
}

/** cel-js with Kubernetes' options and libraries, the cost stand-ins, and `dyn` variables. */
function kubernetesEnvironment(meter: CostMeter, variables: readonly string[]): Environment {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  for (const name of variables) env.registerVariable(name, 'dyn');
  env.registerFunction(`${COST_FUNCTION}(A): A`, (value: unknown) => {
    meter.chargeSize(value);
    return value;
  });
  registerPresenceTest(env);
  registerNumberLibrary(env);
  registerTimeLibrary(env);
  registerQuantityLibrary(env, meter);
  registerListLibrary(env, meter);
  registerStringLibrary(env, meter);
  registerUrlLibrary(env, meter);
  registerIpLibrary(env, meter);
  registerSemverLibrary(env, meter);
  registerExtensionLibrary(env, meter);
  registerFormatLibrary(env, meter);
  registerTwoVariableComprehensions(env);
  registerStringFormat(env, meter);
  registerOptionalExtras(env);
  registerOptionalEntries(env);
  return env;
}

/** What an expression must evaluate to (`string-or-null`: an auditAnnotation's valueExpression). */
export type ExpectedType = 'bool' | 'string' | 'string-or-null' | 'any';

const ACCEPTED: Readonly<Record<Exclude<ExpectedType, 'any'>, readonly string[]>> = {
  bool: ['bool'],
  string: ['string'],
  'string-or-null': ['string', 'null'],
};

/** An expression ready to run. */
export interface CompiledExpression {
  readonly source: string;
  /** The instrumented program; call it with the VAP variables. */
  readonly program: ParseResult;
  readonly facts: ExpressionFacts;
  /** The text that was type-checked (`source` with stand-ins for some presence tests). */
  readonly checked: string;
  /** Where an offset in {@link checked} is in `source`. */
  readonly sourceOffset: (offset: number) => number;
}

/** The outcome of compiling: the program, or why it does not compile. */
export type Compilation =
  | { readonly ok: true; readonly compiled: CompiledExpression }
  | { readonly ok: false; readonly message: string; readonly unsupported?: boolean };

// Kubernetes enables libraries version by version (k8s.io/apiserver/pkg/cel/environment/base.go), and
// compiles a new or changed expression with the libraries of the version before its own (the
// compatibility version), so a library introduced in 1.30 is usable from 1.31. A policy using one
// its target cluster lacks does not compile there. Functions not listed are checked whatever the
// version; namespaced ones are listed as `namespace.function`, and `format.*` stands for them all.
const USABLE_FROM: ReadonlyMap<string, string> = new Map([
  ['quantity', '1.29'],
  ['isQuantity', '1.29'],
  // Optional types came with their syntax (`.?`, checked apart): these are their functions.
  ['optional.of', '1.29'],
  ['optional.none', '1.29'],
  ['optional.ofNonZeroValue', '1.29'],
  ['hasValue', '1.29'],
  ['orValue', '1.29'],
  ['optMap', '1.29'],
  ['optFlatMap', '1.29'],
  ['sets.contains', '1.30'],
  ['sets.equivalent', '1.30'],
  ['sets.intersects', '1.30'],
  ['strings.quote', '1.30'],
  ['ip', '1.31'],
  ['isIP', '1.31'],
  ['cidr', '1.31'],
  ['isCIDR', '1.31'],
  ['format.*', '1.32'],
  // The authorizer's selectors (AuthzSelectors): introduced behind a gate in 1.31, on from 1.32.
  ['fieldSelector', '1.32'],
  ['labelSelector', '1.32'],
  ['semver', '1.34'],
  ['isSemver', '1.34'],
]);
// The authorizer library came in 1.27: usable from 1.28. Two-variable comprehensions came in 1.32.
const AUTHORIZER_SINCE = '1.28';
const TWO_VARIABLE_SINCE = '1.33';
const OPTIONAL_TYPES_SINCE = '1.29';

/**
 * Parse and type-check an expression as the API server would when the policy is created, then
 * rewrite it to run within the cost budget.
 */
export function compileExpression(
  env: Environment,
  source: string,
  expected: ExpectedType,
  kubernetesVersion: string,
  variablePaths?: ReadonlyMap<string, readonly string[]>,
  typedRoots?: readonly string[],
): Compilation {
  try {
    return compileChecked(env, source, expected, kubernetesVersion, variablePaths, typedRoots);
  } catch (error) {
    // A chain of thousands of terms (`a && b && …`) overflows the recursive parser and checker:
    // that expression is refused, and every other policy still runs.
    if (error instanceof RangeError) {
      return {
        ok: false,
        message: `the expression is too deeply nested to compile (${error.message}); split it into variables`,
      };
    }
    throw error;
  }
}

function compileChecked(
  env: Environment,
  source: string,
  expected: ExpectedType,
  kubernetesVersion: string,
  variablePaths: ReadonlyMap<string, readonly string[]> | undefined,
  typedRoots: readonly string[] | undefined,
): Compilation {
  if (source.trim() === '') return { ok: false, message: 'the expression is empty' };
  // The optional entries of literals (`[?x]`, `{?k: v}`), which cel-js cannot parse, as calls.
  const rewritten = rewriteOptionalEntries(source);
  const text = rewritten?.text ?? source;
  const fromText = rewritten?.sourceOffset ?? ((offset: number) => offset);
  let parsed: ParseResult;
  try {
    parsed = env.parse(text);
  } catch {
    // A syntax error, which cel-js's check reports as it always has.
    return refusal(env.check(text).error, fromText, source);
  }
  // Walked before the type-check: has() of a computed operand is checked under its stand-in's name.
  const analyzed = analyzeExpression(text, parsed.ast, variablePaths, typedRoots);
  const facts = rewritten ? { ...analyzed, optionalSyntax: true } : analyzed;
  const checkable = presenceCheckSource(text, facts.computedPresenceTests);
  const checked = env.check(checkable.text);
  if (!checked.valid)
    return refusal(checked.error, (offset) => fromText(checkable.sourceOffset(offset)), source);
  const type = checked.type ?? 'dyn';
  if (expected !== 'any' && type !== 'dyn' && !ACCEPTED[expected].includes(type)) {
    const wanted = ACCEPTED[expected].join(' or ');
    return { ok: false, message: `the expression must evaluate to ${wanted}, but it gives ${type}` };
  }
  const problem =
    versionProblem(facts, kubernetesVersion) ??
    patternProblem(facts) ??
    literalProblem(facts) ??
    formatCallProblem(facts);
  if (problem) return { ok: false, message: problem };
  let program = env.parse(facts.instrumented);
  // The rewrite only wraps and renames; should it ever fail to check, run the checked source
  // unbounded rather than blame the policy for it.
  if (!program.check().valid) {
    program = env.parse(checkable.text);
    program.check();
  }
  guardOperators(program.ast);
  const sourceOffset = (offset: number) => fromText(checkable.sourceOffset(offset));
  return { ok: true, compiled: { source, program, facts, checked: checkable.text, sourceOffset } };
}

/** Why an expression does not compile, from cel-js's error (`sourceOffset` maps its position). */
function refusal(error: unknown, sourceOffset: (offset: number) => number, source: string): Compilation {
  const missing = unsupportedSyntax(error, sourceOffset, source);
  if (missing !== undefined) {
    return {
      ok: false,
      unsupported: true,
      message: `the expression uses ${missing}, which shipshape cannot evaluate offline yet: it is not evaluated`,
    };
  }
  return { ok: false, message: describeCompileError(error, sourceOffset) };
}

/**
 * What the API server's CEL has and cel-js cannot parse, when a syntax error comes from it: an
 * optional entry of a list or map literal (`[?x]`, `{?'k': v}`) that `rewriteOptionalEntries` did
 * not rewrite. The policy is valid there, only unchecked here.
 */
function unsupportedSyntax(
  error: unknown,
  sourceOffset: (offset: number) => number,
  source: string,
): string | undefined {
  if (!/Unexpected token: QUESTION/.test(errorSummary(error))) return undefined;
  const start = (error as { range?: { start?: unknown } } | undefined)?.range?.start;
  if (typeof start !== 'number') return undefined;
  const at = sourceOffset(start);
  // The `?` opens an entry: it follows `[`, `{` or `,`.
  const before = source.slice(0, at).trimEnd();
  return source[at] === '?' && /[[{,]$/.test(before)
    ? 'an optional entry in a list or map literal ([?x], {?k: v})'
    : undefined;
}

function describeCompileError(error: unknown, sourceOffset: (offset: number) => number): string {
  return `${errorSummary(error)}${atCharacter(error, sourceOffset)}`;
}

/** ` (at character N)`, where cel-js's error is in the source (`sourceOffset` maps its position); else empty. */
function atCharacter(error: unknown, sourceOffset: (offset: number) => number): string {
  const range = (error as { range?: { start?: unknown } } | undefined)?.range;
  return typeof range?.start === 'number' ? ` (at character ${sourceOffset(range.start) + 1})` : '';
}

function versionProblem(facts: ExpressionFacts, kubernetesVersion: string): string | undefined {
  if (facts.optionalSyntax && !atLeast(kubernetesVersion, OPTIONAL_TYPES_SINCE)) {
    return `optional syntax (.? and [?]) needs Kubernetes ${OPTIONAL_TYPES_SINCE} or later (target ${kubernetesVersion})`;
  }
  if (facts.twoVariableMacro !== undefined && !atLeast(kubernetesVersion, TWO_VARIABLE_SINCE)) {
    return `${facts.twoVariableMacro}() with two variables needs Kubernetes ${TWO_VARIABLE_SINCE} or later (target ${kubernetesVersion})`;
  }
  if (facts.authorizer && !atLeast(kubernetesVersion, AUTHORIZER_SINCE)) {
    return `the authorizer library needs Kubernetes ${AUTHORIZER_SINCE} or later (target ${kubernetesVersion})`;
  }
  for (const name of [...facts.functions].sort()) {
    const since = USABLE_FROM.get(name.startsWith('format.') ? 'format.*' : name);
    if (since && !atLeast(kubernetesVersion, since)) {
      return `${name}() needs Kubernetes ${since} or later (target ${kubernetesVersion})`;
    }
  }
  return undefined;
}

/** What cel-go's validator of `string.format` refuses in a literal call (the arguments' types, their count). */
function formatCallProblem(facts: ExpressionFacts): string | undefined {
  for (const { format, argTypes } of facts.formatCalls) {
    const clauses = {
      arg: (i: number) => (i < argTypes.length ? { type: argTypes[i] ?? 'dyn' } : undefined),
      size: argTypes.length,
    };
    const result = formatString(format, clauses, true);
    if (result instanceof FormatError) return result.message;
  }
  return undefined;
}

function patternProblem(facts: ExpressionFacts): string | undefined {
  for (const pattern of facts.literalPatterns) {
    const problem = regexProblem(pattern);
    if (problem) return `invalid regular expression ${JSON.stringify(pattern)}: ${problem}`;
  }
  return undefined;
}

function literalProblem(facts: ExpressionFacts): string | undefined {
  const [literal] = facts.outOfRangeInts;
  return literal === undefined ? undefined : `invalid int literal ${literal}: outside the int64 range`;
}

/** Whether version `X.Y` is at least `since` (`X.Y`); an unreadable version counts as recent. */
function atLeast(version: string, since: string): boolean {
  const [major = NaN, minor = NaN] = version.replace(/^v/, '').split('.').map(Number);
  const [wantMajor = 0, wantMinor = 0] = since.split('.').map(Number);
  if (Number.isNaN(major) || Number.isNaN(minor)) return true;
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
