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

/** Forbidden characters become the visible text `\uXXXX`, so nothing is lost silently. */
function allowedOnly(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    out += isForbidden(cp) ? `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}` : ch;
  }
  return out;
}

/** Text content: `&`, `<`, `>` escaped, and `\r` kept as a reference (parsers normalise it away). */
export function xmlText(text: string): string {
  return allowedOnly(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

/** Attribute value in double quotes; line breaks and tabs as references, which survive parsing. */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\t', '&#9;');
}
