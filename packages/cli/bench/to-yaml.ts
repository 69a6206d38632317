/** A JSON value, the shape every generated manifest has. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

// Words a YAML 1.1 reader (Kubernetes' go-yaml) resolves to something other than a string.
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./:@%+ -]*$/;
const NUMBER_LIKE = /^[-+]?(?:[\d._:]+(?:[eE][-+]?\d+)?|0[xob][\da-f_]+|\.inf|\.nan)$/i;
const DATE_LIKE = /^\d{4}-\d\d?-\d\d?/;

/**
 * Render a value the way people write Kubernetes YAML: block style, two-space indent, sequences
 * indented under their key, multi-line strings as `|` block scalars, and quotes only where a plain
 * scalar would change type or meaning.
 */
export function toYaml(value: Json): string {
  return renderNode(value, 0).join('\n') + '\n';
}

function renderNode(value: Json, indent: number): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [pad(indent) + '[]'] : renderSequence(value, indent);
  if (isMapping(value)) {
    return Object.keys(value).length === 0 ? [pad(indent) + '{}'] : renderMapping(value, indent);
  }
  return [pad(indent) + scalar(value)];
}

function renderMapping(map: { [key: string]: Json }, indent: number): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    const head = pad(indent) + scalar(key) + ':';
    if (typeof value === 'string' && value.includes('\n')) {
      lines.push(head + ' ' + blockHeader(value), ...blockLines(value, indent + 2));
    } else if (isInline(value)) {
      lines.push(head + ' ' + inline(value));
    } else {
      lines.push(head, ...renderNode(value, indent + 2));
    }
  }
  return lines;
}

function renderSequence(items: Json[], indent: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    if (typeof item === 'string' && item.includes('\n')) {
      lines.push(pad(indent) + '- ' + blockHeader(item), ...blockLines(item, indent + 2));
    } else if (isInline(item)) {
      lines.push(pad(indent) + '- ' + inline(item));
    } else {
      // The first line of a nested collection shares the line of its dash.
      const [first = '', ...rest] = renderNode(item, indent + 2);
      lines.push(pad(indent) + '- ' + first.slice(indent + 2), ...rest);
    }
  }
  return lines;
}

function isMapping(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInline(value: Json): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isMapping(value)) return Object.keys(value).length === 0;
  return true;
}

function inline(value: Json): string {
  if (Array.isArray(value)) return '[]';
  if (isMapping(value)) return '{}';
  return scalar(value);
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  const plain =
    PLAIN.test(value) &&
    !value.endsWith(' ') &&
    !value.includes(': ') &&
    !value.includes(' #') &&
    !RESERVED.test(value) &&
    !NUMBER_LIKE.test(value) &&
    !DATE_LIKE.test(value);
  return plain ? value : JSON.stringify(value);
}

function blockHeader(text: string): string {
  return text.endsWith('\n') ? '|' : '|-';
}

function blockLines(text: string, indent: number): string[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body.split('\n').map((line) => (line === '' ? '' : pad(indent) + line));
}

function pad(indent: number): string {
  return ' '.repeat(indent);
}
