import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a64 } from '../src/fingerprint.js';

/** The definition: FNV-1a over the UTF-8 bytes, in 64-bit BigInt arithmetic. */
function reference(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text))
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

describe('fnv1a64', () => {
  it('gives the published FNV-1a 64-bit values', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('hashes the UTF-8 bytes, lone surrogates as U+FFFD, as the BigInt definition does', () => {
    for (const text of ['é', '€', '日本', '😀', '\ud800', 'a\udc00b', '\ud83d', `x${'\u0000'.repeat(3)}y`])
      expect(fnv1a64(text)).toBe(reference(text));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => fnv1a64(text) === reference(text)),
      { numRuns: 2000 },
    );
  });
});
