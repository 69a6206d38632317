import { readFileSync } from 'node:fs';

/** The version of the `shipshape` package, read from its package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
