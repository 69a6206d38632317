/**
 * Build a JSON Pointer (RFC 6901) from path segments.
 *
 * @example
 * ```ts
 * formatPointer(['spec', 'containers', 0, 'image']); // '/spec/containers/0/image'
 * formatPointer(['metadata', 'annotations', 'a/b']); // '/metadata/annotations/a~1b'
 * ```
 */
export function formatPointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    out += `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`;
  }
  return out;
}

/**
 * Split a JSON Pointer into its unescaped segments; `''` is the whole document.
 * Throws a `TypeError` for text that is not a pointer (a programmer error).
 *
 * @example
 * ```ts
 * parsePointer('/spec/containers/0/image'); // ['spec', 'containers', '0', 'image']
 * ```
 */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new TypeError(`not a JSON Pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * The value at a JSON Pointer, or `undefined` when there is none. Only own properties are
 * followed, so `__proto__` and `constructor` are ordinary keys.
 *
 * @example
 * ```ts
 * valueAtPointer({ spec: { replicas: 3 } }, '/spec/replicas'); // 3
 * ```
 */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
      node = node[Number(segment)];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return node;
}
