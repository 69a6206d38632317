import type { Diagnostic, ResourceKey } from '@shipshape/core';
import { matchPaths, type PathExpression, parsePathExpression } from './path-expression.js';

/**
 * Differences to ignore on the resources a selector picks (as Argo CD's `ignoreDifferences`).
 * Selector fields are globs (`*` for any run of characters); an absent field matches everything,
 * and `group` is the API group without version (`''` for the core group).
 *
 * @example
 * ```ts
 * const rule: IgnoreRule = {
 *   group: 'apps', kind: 'Deployment', name: 'web',
 *   jsonPointers: ['/spec/replicas'],
 *   paths: ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'],
 *   managers: ['kube-controller-manager'],
 * };
 * ```
 */
export interface IgnoreRule {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** RFC 6901 pointers removed from both sides. */
  readonly jsonPointers?: readonly string[];
  /** Path expressions (a jq subset, see docs/diff-paths.md) whose matches are removed from both sides. */
  readonly paths?: readonly string[];
  /** Field managers whose fields in live are removed from both sides. */
  readonly managers?: readonly string[];
}

/** An ignore rule with its selector and expressions compiled. */
export interface CompiledIgnoreRule {
  readonly matches: (key: ResourceKey) => boolean;
  readonly jsonPointers: readonly string[];
  readonly paths: readonly PathExpression[];
  readonly managers: readonly string[];
}

/**
 * Compile ignore rules once for many resources. A path expression that does not parse is reported
 * as a `diff/invalid-ignore-path` diagnostic (with `data.rule`, the rule's index, and the column)
 * and left out; the rest of the rule still applies.
 */
export function compileIgnoreRules(rules: readonly IgnoreRule[]): {
  rules: CompiledIgnoreRule[];
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const compiled = rules.map((rule, index): CompiledIgnoreRule => {
    const paths: PathExpression[] = [];
    for (const text of rule.paths ?? []) {
      const parsed = parsePathExpression(text);
      if ('error' in parsed) {
        diagnostics.push({
          code: 'diff/invalid-ignore-path',
          severity: 'error',
          message: `ignore rule ${index}: path expression ${JSON.stringify(text)}: ${parsed.error.message} at column ${parsed.error.column}`,
          data: { rule: index, expression: text, column: parsed.error.column },
        });
      } else {
        paths.push(parsed.expression);
      }
    }
    const badPointer = (rule.jsonPointers ?? []).filter((p) => p !== '' && !p.startsWith('/'));
    for (const pointer of badPointer) {
      diagnostics.push({
        code: 'diff/invalid-ignore-path',
        severity: 'error',
        message: `ignore rule ${index}: ${JSON.stringify(pointer)} is not a JSON Pointer (it must start with "/")`,
        data: { rule: index, pointer },
      });
    }
    const selectors = [
      glob(rule.group, (k) => k.group),
      glob(rule.kind, (k) => k.kind),
      glob(rule.namespace, (k) => k.namespace),
      glob(rule.name, (k) => k.name),
    ];
    return {
      matches: (key) => selectors.every((s) => s(key)),
      jsonPointers: (rule.jsonPointers ?? []).filter((p) => p.startsWith('/')),
      paths,
      managers: rule.managers ?? [],
    };
  });
  return { rules: compiled, diagnostics };
}

function glob(
  pattern: string | undefined,
  field: (key: ResourceKey) => string,
): (key: ResourceKey) => boolean {
  if (pattern === undefined || pattern === '*') return () => true;
  if (!pattern.includes('*')) return (key) => field(key) === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (key) => regex.test(field(key));
}

/** The pointers the rules for `key` select in `object` (JSON Pointers and path expressions). */
export function ignoredPointers(rules: readonly CompiledIgnoreRule[], object: unknown): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    out.push(...rule.jsonPointers);
    for (const expression of rule.paths) out.push(...matchPaths(expression, object));
  }
  return out;
}
