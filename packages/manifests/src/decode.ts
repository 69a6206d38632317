import type { Diagnostic } from '@shipshape/core';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BINARY_SNIFF_BYTES = 8000;

/** Text of a file, or why there is none. */
export type Decoded =
  | { readonly text: string; readonly diagnostic?: Diagnostic }
  | { readonly text: undefined; readonly diagnostic: Diagnostic };

/**
 * Decode file bytes as a YAML processor would: UTF-8 (BOM stripped), UTF-16 with a BOM (with a
 * warning), anything else refused with a diagnostic. A NUL byte in the first 8000 bytes marks
 * the file binary, as Git does, unless a UTF-16 BOM explains it.
 */
export function decodeManifestBytes(bytes: Uint8Array, path: string): Decoded {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const encoding = b0 === 0xff ? 'utf-16le' : 'utf-16be';
    try {
      const text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2));
      return {
        text,
        diagnostic: fileDiagnostic(
          path,
          'file/encoding',
          'warning',
          `file is ${encoding.toUpperCase()}; it was read, but save it as UTF-8: many tools cannot read it`,
        ),
      };
    } catch {
      const name = encoding.toUpperCase();
      return refuse(
        path,
        'file/encoding',
        `file starts with a ${name} byte-order mark but is not valid ${name}`,
      );
    }
  }
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) {
    return refuse(path, 'file/binary', 'file holds binary data (a NUL byte); it was not parsed');
  }
  try {
    const text = utf8.decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return refuse(
      path,
      'file/encoding',
      `file is not valid UTF-8 (first bad byte at offset ${at}); save it as UTF-8`,
    );
  }
}

function refuse(path: string, code: string, message: string): Decoded {
  return { text: undefined, diagnostic: fileDiagnostic(path, code, 'error', message) };
}

/** A diagnostic about a whole file, placed at its first character. */
export function fileDiagnostic(
  path: string,
  code: string,
  severity: Diagnostic['severity'],
  message: string,
  data?: Record<string, unknown>,
): Diagnostic {
  const at = { offset: 0, line: 1, column: 1 };
  return {
    code,
    severity,
    message,
    span: { path, document: 0, start: at, end: at },
    ...(data ? { data } : {}),
  };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const extra =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += extra + 1;
  }
  return i;
}
