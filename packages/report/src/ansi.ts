import type { Severity } from '@shipshape/core';

/** The few styles the text formatter uses, as SGR open/close pairs. */
const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

/** A style name from {@link STYLES}. */
export type Style = keyof typeof STYLES;

/** Applies styles to text when colour is on; a no-op otherwise, so plain output has no escapes. */
export type Painter = (text: string, ...styles: Style[]) => string;

/** A {@link Painter} for `color: true` (ANSI escapes) or `false` (text unchanged). */
export function createPainter(color: boolean): Painter {
  if (!color) return (text) => text;
  return (text, ...styles) => {
    if (text === '') return text;
    let out = text;
    for (const style of styles) {
      const [open, close] = STYLES[style];
      out = `\u001b[${open}m${out}\u001b[${close}m`;
    }
    return out;
  };
}

/** The colour of each severity. */
export function severityStyle(severity: Severity): Style {
  return severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'cyan';
}
