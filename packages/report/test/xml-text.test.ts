import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xmlAttr, xmlText } from '../src/xml-text.js';

/** The escaping spelled out: every code point looked at, forbidden ones written as `\uXXXX`. */
function referenceText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const forbidden =
      (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
      cp === 0xfffe ||
      cp === 0xffff ||
      (cp >= 0xd800 && cp <= 0xdfff);
    if (forbidden) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '\r') out += '&#13;';
    else out += ch;
  }
  return out;
}

function referenceAttr(text: string): string {
  return referenceText(text)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\t', '&#9;');
}

describe('xml text and attributes', () => {
  it('escape exactly what XML needs, whatever the text holds', () => {
    const samples = [
      'plain',
      'a&b<c>d',
      'tab\tline\nret\r',
      'nul\u0000',
      '\ud800 alone',
      '😀 pair',
      '\ufffe\uffff',
      `q"'`,
    ];
    for (const text of samples) {
      expect(xmlText(text)).toBe(referenceText(text));
      expect(xmlAttr(text)).toBe(referenceAttr(text));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        expect(xmlText(text)).toBe(referenceText(text));
        expect(xmlAttr(text)).toBe(referenceAttr(text));
      }),
      { numRuns: 3000 },
    );
  });
});
