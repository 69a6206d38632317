/**
 * Characters XML 1.0 does not allow anywhere, not even as character references: C0 controls
 * other than tab, line feed and carriage return, U+FFFE, U+FFFF and unpaired surrogates (which
 * `for…of` yields on their own).
 */
function isForbidden(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    cp === 0xfffe ||
    cp === 0xffff ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

/** Whether `text` may hold a character {@link isForbidden} refuses: most text has none, and is kept as it is. */
const MAYBE_FORBIDDEN = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd]/;
/** Characters {@link xmlText} escapes. */
const TEXT_SPECIAL = /[&<>\r]/;
/** Characters {@link xmlAttr} escapes besides those of {@link xmlText}. */
const ATTR_SPECIAL = /["'\n\t]/;

/** Forbidden characters become the visible text `\uXXXX`, so nothing is lost silently. */
function allowedOnly(text: string): string {
  if (!MAYBE_FORBIDDEN.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    out += isForbidden(cp) ? `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}` : ch;
  }
  return out;
}

/** Text content: `&`, `<`, `>` escaped, and `\r` kept as a reference (parsers normalise it away). */
export function xmlText(text: string): string {
  const allowed = allowedOnly(text);
  if (!TEXT_SPECIAL.test(allowed)) return allowed;
  return allowed
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

/** Attribute value in double quotes; line breaks and tabs as references, which survive parsing. */
export function xmlAttr(text: string): string {
  const escaped = xmlText(text);
  if (!ATTR_SPECIAL.test(escaped)) return escaped;
  return escaped
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\t', '&#9;');
}
