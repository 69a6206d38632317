import { formatPointer } from '@shipshape/core';
import { type HintNode, listRuleOf, stepHints } from './hints.js';
import { isObject } from './json-value.js';
import { effectiveRule, indexByKey, itemKey } from './list-match.js';
import { sameJson } from './same-json.js';

/** One structural change from live to desired. */
export interface Change {
  /**
   * JSON Pointer of the changed value: into the predicted live object for `add` and `replace`, into
   * the live object for `remove`.
   */
  readonly path: string;
  readonly op: 'add' | 'remove' | 'replace';
  /** The live value (`remove`, `replace`). */
  readonly from?: unknown;
  /** The new value (`add`, `replace`). */
  readonly to?: unknown;
}

/**
 * The changes that turn `live` into `predicted`, both normalised. Keyed lists are compared entry by
 * entry whatever their order; lists without keys by position.
 */
export function compareObjects(live: unknown, predicted: unknown, hints: HintNode): Change[] {
  const out: Change[] = [];
  walk(live, predicted, [hints], [], [], out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type Segments = readonly (string | number)[];

function walk(
  a: unknown,
  b: unknown,
  hints: readonly HintNode[],
  pathA: Segments,
  pathB: Segments,
  out: Change[],
): void {
  if (isObject(a) && isObject(b)) {
    for (const [key, value] of Object.entries(b)) {
      const here = [...pathB, key];
      if (!Object.hasOwn(a, key)) out.push({ path: formatPointer(here), op: 'add', to: value });
      else walk(a[key], value, stepHints(hints, key), [...pathA, key], here, out);
    }
    for (const [key, value] of Object.entries(a)) {
      if (!Object.hasOwn(b, key))
        out.push({ path: formatPointer([...pathA, key]), op: 'remove', from: value });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    walkList(a, b, hints, pathA, pathB, out);
    return;
  }
  if (!sameJson(a, b)) out.push({ path: formatPointer(pathB), op: 'replace', from: a, to: b });
}

function walkList(
  a: readonly unknown[],
  b: readonly unknown[],
  hints: readonly HintNode[],
  pathA: Segments,
  pathB: Segments,
  out: Change[],
): void {
  const rule = effectiveRule(listRuleOf(hints), a, b);
  const items = stepHints(hints, '*');
  if (rule.type === 'atomic') {
    if (sameJson(a, b)) return;
    const objects = a.every(isObject) && b.every(isObject);
    if (a.length !== b.length || !objects) {
      out.push({ path: formatPointer(pathB), op: 'replace', from: a, to: b });
      return;
    }
    for (const [i, item] of a.entries()) walk(item, b[i], items, [...pathA, i], [...pathB, i], out);
    return;
  }
  const inA = indexByKey(a, rule);
  const inB = indexByKey(b, rule);
  b.forEach((item, i) => {
    const key = itemKey(item, rule) as string;
    const at = inA.get(key);
    if (at === undefined) out.push({ path: formatPointer([...pathB, i]), op: 'add', to: item });
    else walk(a[at], item, items, [...pathA, at], [...pathB, i], out);
  });
  a.forEach((item, i) => {
    if (!inB.has(itemKey(item, rule) as string))
      out.push({ path: formatPointer([...pathA, i]), op: 'remove', from: item });
  });
}
