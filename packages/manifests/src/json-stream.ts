/** One top-level JSON value in a stream: its text range. */
export interface JsonChunk {
  readonly start: number;
  readonly end: number;
}

/**
 * Split concatenated JSON values (`{…}{…}` or one per line, as `kubectl` accepts) into chunks by
 * tracking nesting and strings. Returns `undefined` when the text is not such a stream of
 * objects and arrays, so the caller reports the ordinary syntax error instead.
 */
export function splitJsonStream(text: string): JsonChunk[] | undefined {
  const chunks: JsonChunk[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      if (depth === 0) return undefined;
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) chunks.push({ start, end: i + 1 });
    } else if (depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      return undefined;
    }
  }
  return depth === 0 && !inString ? chunks : undefined;
}
