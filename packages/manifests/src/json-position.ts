/** JSON.parse gives no position on Node 20: find the first offset where the text stops being JSON. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++;
  };
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if (depth > 512) fail();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') {
      string();
      return;
    }
    const m = /^(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)/.exec(
      text.slice(i, i + 400),
    );
    if (!m) fail();
    i += m?.[0].length ?? 0;
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if ((text.charCodeAt(i) ?? 0) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  try {
    value(0);
    ws();
    return i;
  } catch (stop) {
    if (stop instanceof JsonStop) return Math.min(stop.at, text.length);
    throw stop;
  }
}

/** Unwinds the scanner at the first offset that is not JSON. */
class JsonStop extends Error {
  readonly at: number;
  constructor(at: number) {
    super(`not JSON at offset ${at}`);
    this.at = at;
  }
}
