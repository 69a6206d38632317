import { formatPointer, valueAtPointer } from '@shipshape/core';
import { type HintNode, listRuleOf, stepHints } from './hints.js';
import { isObject, type JsonObject } from './json-value.js';
import { effectiveRule } from './list-match.js';
import { logicalPath, resolveLogical, rewrite } from './logical-path.js';
import { ownedFields } from './managed-fields.js';

/**
 * Undo what mutating webhooks did to an API server's dry-run answer: every leaf of `predicted` that
 * `managers` do not own (in `predicted`'s managed fields) takes live's value, or goes when live has
 * none. Fields that identify an entry of a keyed list stay, so entries keep their identity.
 */
export function revertUnowned(
  predicted: JsonObject,
  live: JsonObject,
  managers: readonly string[],
  hints: HintNode,
): JsonObject {
  const owned = ownedFields(predicted, managers);
  const replace = new Map<string, { value: unknown } | undefined>();
  for (const [pointer, isKey] of leaves(predicted, hints)) {
    if (isKey || pointer.startsWith('/metadata/managedFields') || pointer.startsWith('/status')) continue;
    if (pointer === '/apiVersion' || pointer === '/kind' || pointer === '/metadata/name') continue;
    if (owned.covers(pointer)) continue;
    const path = logicalPath(predicted, pointer, hints);
    const inLive = path === undefined ? undefined : resolveLogical(live, path);
    replace.set(pointer, inLive === undefined ? undefined : { value: valueAtPointer(live, inLive) });
  }
  return (rewrite(predicted, replace) as JsonObject | undefined) ?? {};
}

/** Every leaf pointer of `root`, and whether it is a key field of a keyed list entry. */
function leaves(root: unknown, hints: HintNode): [string, boolean][] {
  const out: [string, boolean][] = [];
  const walk = (node: unknown, nodes: readonly HintNode[], path: (string | number)[]): void => {
    if (isObject(node)) {
      const entries = Object.entries(node);
      if (entries.length === 0) out.push([formatPointer(path), false]);
      for (const [key, value] of entries) walk(value, stepHints(nodes, key), [...path, key]);
      return;
    }
    if (Array.isArray(node)) {
      const rule = effectiveRule(listRuleOf(nodes), node, node);
      const itemKeys = rule.type === 'map' ? rule.keys : [];
      if (rule.type === 'atomic' || rule.type === 'set') {
        out.push([formatPointer(path), false]);
        return;
      }
      node.forEach((item, i) => {
        if (!isObject(item)) return;
        for (const [key, value] of Object.entries(item)) {
          if (itemKeys.includes(key) && !isObject(value) && !Array.isArray(value))
            out.push([formatPointer([...path, i, key]), true]);
          else walk(value, stepHints(stepHints(nodes, '*'), key), [...path, i, key]);
        }
      });
      return;
    }
    out.push([formatPointer(path), false]);
  };
  walk(root, [hints], []);
  return out;
}
