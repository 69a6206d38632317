import { type HintNode, listRuleOf, stepHints } from './hints.js';
import { isObject, type JsonObject, put } from './json-value.js';
import { effectiveRule, indexByKey, itemKey } from './list-match.js';

/**
 * What live would look like once desired is applied: desired's fields win, fields only live has
 * stay (defaults, controllers, webhooks), keyed lists merge entry by entry in live's order with new
 * entries after, sets gain desired's entries, and a list without keys is desired's, merged position
 * by position when both have the same length (so defaults inside the entries stay).
 */
export function mergeLive(live: unknown, desired: unknown, hints: readonly HintNode[]): unknown {
  if (desired === undefined) return live;
  if (isObject(desired)) {
    if (!isObject(live)) return desired;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(live)) put(out, key, value);
    for (const [key, value] of Object.entries(desired)) {
      put(
        out,
        key,
        mergeLive(Object.hasOwn(live, key) ? live[key] : undefined, value, stepHints(hints, key)),
      );
    }
    return out;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return desired;
    return mergeList(live, desired, hints);
  }
  return desired;
}

function mergeList(
  live: readonly unknown[],
  desired: readonly unknown[],
  hints: readonly HintNode[],
): unknown[] {
  const rule = effectiveRule(listRuleOf(hints), live, desired);
  const items = stepHints(hints, '*');
  if (rule.type === 'atomic') {
    if (live.length !== desired.length) return [...desired];
    return desired.map((item, i) => mergeLive(live[i], item, items));
  }
  const wanted = indexByKey(desired, rule);
  const out: unknown[] = [];
  const used = new Set<number>();
  for (const item of live) {
    const key = itemKey(item, rule);
    const at = key === undefined ? undefined : wanted.get(key);
    if (at === undefined) out.push(item);
    else {
      used.add(at);
      out.push(rule.type === 'set' ? desired[at] : mergeLive(item, desired[at], items));
    }
  }
  desired.forEach((item, i) => {
    if (!used.has(i)) out.push(item);
  });
  return out;
}
