import type { Environment, RegisteredFunctionHandler } from '@marcbachmann/cel-js';
import { PRESENCE_FUNCTION } from './cel-presence.js';

/**
 * cel-js built-ins that behave differently from cel-go's, and the shipshape functions standing in
 * for them. cel-js cannot replace a built-in (registering an overload it has throws), so the
 * instrumented expression calls the stand-in instead (`cel-analysis.ts` renames the calls). The
 * original source is still type-checked against cel-js's own overloads, which keeps its compile
 * errors; a stand-in must therefore have every overload of the built-in, which
 * {@link registerOverload} and {@link registerReplacement} take care of.
 */
export const REPLACED_METHODS: Readonly<Record<string, string>> = {
  matches: 'shipshapeMatches',
  indexOf: 'shipshapeIndexOf',
  lastIndexOf: 'shipshapeLastIndexOf',
  substring: 'shipshapeSubstring',
  split: 'shipshapeSplit',
  lowerAscii: 'shipshapeLowerAscii',
  upperAscii: 'shipshapeUpperAscii',
  trim: 'shipshapeTrim',
};

/** Global functions replaced, as {@link REPLACED_METHODS} for methods. */
export const REPLACED_FUNCTIONS: Readonly<Record<string, string>> = {
  matches: 'shipshapeMatches',
  int: 'shipshapeInt',
  uint: 'shipshapeUint',
  double: 'shipshapeDouble',
  string: 'shipshapeString',
  duration: 'shipshapeDuration',
  timestamp: 'shipshapeTimestamp',
};

interface Signature {
  readonly receiver: string | undefined;
  readonly name: string;
  /** From the opening parenthesis on. */
  readonly rest: string;
}

function parseSignature(signature: string): Signature {
  const open = signature.indexOf('(');
  const head = signature.slice(0, open);
  const dot = head.lastIndexOf('.');
  return {
    receiver: dot < 0 ? undefined : head.slice(0, dot),
    name: head.slice(dot + 1),
    rest: signature.slice(open),
  };
}

/** The signature under the stand-in's name, or undefined when the function is not replaced. */
function replacedSignature(signature: string): string | undefined {
  const { receiver, name, rest } = parseSignature(signature);
  const table = receiver === undefined ? REPLACED_FUNCTIONS : REPLACED_METHODS;
  const replacement = Object.hasOwn(table, name) ? table[name] : undefined;
  if (replacement === undefined) return undefined;
  return receiver === undefined ? `${replacement}${rest}` : `${receiver}.${replacement}${rest}`;
}

/**
 * Register an overload cel-js lacks (`string(IP)`, `list<A>.indexOf(A)`): under its own name, for
 * type-checking the source, and under the stand-in's name when the function is replaced.
 */
export function registerOverload(
  env: Environment,
  signature: string,
  handler: RegisteredFunctionHandler,
): void {
  env.registerFunction(signature, handler);
  const replaced = replacedSignature(signature);
  if (replaced !== undefined) env.registerFunction(replaced, handler);
}

/**
 * Register cel-go's behaviour of a built-in overload cel-js has (`int(double): int`), under the
 * stand-in's name only. Throws when the function is not in the tables above.
 */
export function registerReplacement(
  env: Environment,
  signature: string,
  handler: RegisteredFunctionHandler,
): void {
  const replaced = replacedSignature(signature);
  if (replaced === undefined) throw new Error(`${signature} is not a replaced built-in`);
  env.registerFunction(replaced, handler);
}

const STAND_INS = new Map(
  [
    ...Object.entries(REPLACED_METHODS),
    ...Object.entries(REPLACED_FUNCTIONS),
    ['has', PRESENCE_FUNCTION] as const,
  ].map(([name, replacement]) => [replacement, name]),
);
const STAND_IN_NAME = new RegExp(`\\b(${[...STAND_INS.keys()].join('|')})\\b`, 'g');

/** A message about the instrumented expression, with the names the policy wrote. */
export function restoreBuiltinNames(message: string): string {
  return message.replace(STAND_IN_NAME, (name) => STAND_INS.get(name) ?? name);
}
