import { formatPointer, parsePointer } from '@shipshape/core';
import { type HintNode, type ListRule, listRuleOf, stepHints } from './hints.js';
import { emptyOf, isObject, type JsonObject, put } from './json-value.js';
import { effectiveRule, itemKey } from './list-match.js';

/**
 * One step of a path that means the same place in two versions of an object: a field, a keyed list
 * entry by its key, or a position in a list without keys.
 */
export type Step =
  | { readonly field: string }
  | { readonly key: string; readonly rule: ListRule }
  | { readonly index: number };

/**
 * The logical path of `pointer` in `root`: list positions become entry keys where the list has
 * them, so the path finds the same entry in another version of the object.
 */
export function logicalPath(root: unknown, pointer: string, hints: HintNode): Step[] | undefined {
  const steps: Step[] = [];
  let node = root;
  let nodes: readonly HintNode[] = [hints];
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
      const index = Number(segment);
      if (index >= node.length) return undefined;
      const rule = effectiveRule(listRuleOf(nodes), node, node);
      const key = rule.type === 'atomic' ? undefined : itemKey(node[index], rule);
      steps.push(key === undefined ? { index } : { key, rule });
      node = node[index];
      nodes = stepHints(nodes, '*');
    } else if (isObject(node) && Object.hasOwn(node, segment)) {
      steps.push({ field: segment });
      node = node[segment];
      nodes = stepHints(nodes, segment);
    } else {
      return undefined;
    }
  }
  return steps;
}

/** Where a logical path lands in `root`, as a JSON Pointer; `undefined` when it does not exist there. */
export function resolveLogical(root: unknown, steps: readonly Step[]): string | undefined {
  const segments: (string | number)[] = [];
  let node = root;
  for (const step of steps) {
    if ('field' in step) {
      if (!isObject(node) || !Object.hasOwn(node, step.field)) return undefined;
      segments.push(step.field);
      node = node[step.field];
    } else if (!Array.isArray(node)) {
      return undefined;
    } else if ('index' in step) {
      if (step.index >= node.length) return undefined;
      segments.push(step.index);
      node = node[step.index];
    } else {
      const index = node.findIndex((item) => itemKey(item, step.rule) === step.key);
      if (index < 0) return undefined;
      segments.push(index);
      node = node[index];
    }
  }
  return formatPointer(segments);
}

/**
 * The topmost places of `source` that `target` lacks, as logical paths: a field missing from the
 * target, or a keyed entry the target's list does not have. Lists without keys are not looked into.
 */
export function absentIn(source: unknown, target: unknown, hints: HintNode): Step[][] {
  const out: Step[][] = [];
  const walk = (a: unknown, b: unknown, nodes: readonly HintNode[], path: Step[]): void => {
    if (isObject(a) && isObject(b)) {
      for (const [key, value] of Object.entries(a)) {
        const here = [...path, { field: key }];
        if (!Object.hasOwn(b, key)) out.push(here);
        else walk(value, b[key], stepHints(nodes, key), here);
      }
    } else if (Array.isArray(a) && Array.isArray(b)) {
      const rule = effectiveRule(listRuleOf(nodes), a, b);
      if (rule.type === 'atomic') return;
      const items = stepHints(nodes, '*');
      for (const item of a) {
        const key = itemKey(item, rule);
        if (key === undefined) continue;
        const match: unknown = b.find((other) => itemKey(other, rule) === key);
        const here = [...path, { key, rule }];
        if (match === undefined) out.push(here);
        else walk(item, match, items, here);
      }
    }
  };
  walk(source, target, [hints], []);
  return out;
}

/**
 * A copy of `root` without the values at `pointers`; objects and lists left empty by a removal go
 * too, as `removeEmptyObjects` does after Argo CD's ignore rules.
 */
export function without(root: unknown, pointers: Iterable<string>): unknown {
  const tree = new Map<string, unknown>();
  let any = false;
  for (const pointer of pointers) {
    any = true;
    let node = tree;
    const segments = parsePointer(pointer);
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      if (i === segments.length - 1) node.set(segment, true);
      else {
        const next = node.get(segment);
        if (next === true) break;
        if (next instanceof Map) node = next as Map<string, unknown>;
        else {
          const child = new Map<string, unknown>();
          node.set(segment, child);
          node = child;
        }
      }
    }
    if (segments.length === 0) return undefined;
  }
  return any ? prune(root, tree) : root;
}

function prune(value: unknown, tree: Map<string, unknown>): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const sub = tree.get(String(i));
      if (sub === true) return;
      out.push(sub instanceof Map ? (prune(item, sub as Map<string, unknown>) ?? emptyOf(item)) : item);
    });
    return out.length === 0 ? undefined : out;
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  let any = false;
  for (const [key, child] of Object.entries(value)) {
    const sub = tree.get(key);
    if (sub === true) continue;
    const kept = sub instanceof Map ? prune(child, sub as Map<string, unknown>) : child;
    if (kept === undefined) continue;
    put(out, key, kept);
    any = true;
  }
  return any ? out : undefined;
}

/**
 * A copy of `root` with the values at some pointers replaced (`{ value }`) or removed (`undefined`).
 * List entries are never removed here, only their contents.
 */
export function rewrite(
  root: unknown,
  changes: ReadonlyMap<string, { readonly value: unknown } | undefined>,
): unknown {
  if (changes.size === 0) return root;
  const walk = (node: unknown, pointer: string): unknown => {
    if (changes.has(pointer)) return changes.get(pointer)?.value;
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${pointer}/${i}`) ?? emptyOf(item));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const kept = walk(value, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
      if (kept !== undefined) put(out, key, kept);
    }
    return out;
  };
  return walk(root, '');
}
