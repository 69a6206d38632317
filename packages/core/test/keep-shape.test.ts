import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keepShape } from '@shipshape/core';
import { describe, expect, it } from 'vitest';

describe('keepShape', () => {
  it('returns the instance it keeps', () => {
    const cursor = { at: 0 };
    expect(keepShape(cursor)).toBe(cursor);
  });

  it('keeps the instance alive through full garbage collections, where an unkept one is collected', () => {
    // In a process of its own, with the collector exposed: weak references tell what survived.
    const script = `
import { keepShape } from '@shipshape/core';
class Cursor { constructor(at) { this.at = at; } }
let kept = keepShape(new Cursor(1));
let dropped = new Cursor(2);
const refs = [new WeakRef(kept), new WeakRef(dropped)];
kept = undefined;
dropped = undefined;
await new Promise((resolve) => setTimeout(resolve, 0));
globalThis.gc();
console.log(JSON.stringify(refs.map((r) => r.deref()?.at ?? null)));
`;
    const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([1, null]);
  });
});
