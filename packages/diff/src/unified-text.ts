import { formatResourceKey, type ResourceKey } from '@shipshape/core';
import { createTwoFilesPatch } from 'diff';
import { dump } from 'js-yaml/browser';

/**
 * A unified diff of two normalised objects printed as YAML with sorted keys, live as the old side
 * and predicted live as the new one. Labels name the resource (`live/apps/Deployment/web/api`).
 *
 * @example
 * ```ts
 * unifiedText(key, { data: { a: '1' } }, { data: { a: '2' } });
 * // '--- live/ConfigMap/web/settings\n+++ desired/ConfigMap/web/settings\n@@ -1,2 +1,2 @@\n data:\n-  a: \'1\'\n+  a: \'2\'\n'
 * ```
 */
export function unifiedText(key: ResourceKey, live: unknown, predicted: unknown): string {
  const name = formatResourceKey(key);
  const patch = createTwoFilesPatch(
    `live/${name}`,
    `desired/${name}`,
    yaml(live),
    yaml(predicted),
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  // Drop the "Index:"/"====" preamble the library writes: the labels say what the sides are.
  return patch.slice(patch.indexOf('--- '));
}

function yaml(value: unknown): string {
  if (value === undefined) return '';
  return dump(value, { sortKeys: true, lineWidth: -1, noRefs: true });
}
