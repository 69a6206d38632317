import type { ListRule } from './hints.js';

/**
 * The rule that matches entries of one list pair: the schema's, or, for lists the schema does not
 * describe, by `name` when every entry on both sides is an object with a distinct string `name`
 * (containers-like lists of custom resources); else by position. A keyed list whose entries lack
 * a key or repeat one is compared by position, as the API server would not have accepted it.
 */
export function effectiveRule(
  rule: ListRule | undefined,
  a: readonly unknown[],
  b: readonly unknown[],
): ListRule {
  if (rule === undefined) {
    const byName: ListRule = { type: 'map', keys: ['name'] };
    return keyable(byName, a) && keyable(byName, b) && (a.length > 0 || b.length > 0) ? byName : ATOMIC;
  }
  if (rule.type === 'atomic') return rule;
  return keyable(rule, a) && keyable(rule, b) ? rule : ATOMIC;
}

const ATOMIC: ListRule = { type: 'atomic' };

function keyable(rule: ListRule, items: readonly unknown[]): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    const key = itemKey(item, rule);
    if (key === undefined || seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/**
 * The identity of a list entry under a map or set rule (`undefined` when it has none). A missing
 * `protocol` key counts as `TCP`, the API server's default, so a desired port without a protocol
 * matches the live port the server completed.
 */
export function itemKey(item: unknown, rule: ListRule): string | undefined {
  if (rule.type === 'set')
    return item !== null && typeof item === 'object' ? undefined : JSON.stringify(item);
  if (rule.type !== 'map' || item === null || typeof item !== 'object' || Array.isArray(item))
    return undefined;
  const record = item as Record<string, unknown>;
  const values: unknown[] = [];
  let any = false;
  for (const key of rule.keys) {
    let value = Object.hasOwn(record, key) ? record[key] : undefined;
    if (value === undefined && key === 'protocol') value = 'TCP';
    if (value !== undefined) any = true;
    if (value !== null && typeof value === 'object') return undefined;
    values.push(value ?? null);
  }
  return any ? JSON.stringify(values) : undefined;
}

/** Index the entries of a keyed list by their key. */
export function indexByKey(items: readonly unknown[], rule: ListRule): Map<string, number> {
  const out = new Map<string, number>();
  items.forEach((item, i) => {
    const key = itemKey(item, rule);
    if (key !== undefined) out.set(key, i);
  });
  return out;
}
