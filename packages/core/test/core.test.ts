import {
  compareDiagnostics,
  countSeverities,
  type Diagnostic,
  formatPointer,
  formatResourceKey,
  isAtLeast,
  isSeverity,
  LineIndex,
  parsePointer,
  parseResourceKey,
  type ResourceKey,
  sameResourceKey,
  sharedString,
  sortDiagnostics,
  splitApiVersion,
  stringPool,
  valueAtPointer,
} from '@shipshape/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('resource keys', () => {
  it.each([
    [{ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'api' }, 'apps/Deployment/web/api'],
    [{ group: '', kind: 'Service', namespace: 'web', name: 'api' }, 'Service/web/api'],
    [{ group: '', kind: 'Namespace', namespace: '', name: 'web' }, 'Namespace/web'],
    [
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'view' },
      'rbac.authorization.k8s.io/ClusterRole/view',
    ],
    [{ group: '', kind: 'Service', namespace: 'web', name: '' }, 'Service/web/(unnamed)'],
  ])('formats %j as %s', (key, text) => {
    expect(formatResourceKey(key)).toBe(text);
  });

  it.each([
    ['Deployment/web/api', { group: '', kind: 'Deployment', namespace: 'web', name: 'api' }],
    ['Namespace//web', { group: '', kind: 'Namespace', namespace: '', name: 'web' }],
    ['apps/Deployment/web/api', { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'api' }],
    ['deployment/web/api', undefined],
    ['Deployment', undefined],
    ['Deployment/web/', undefined],
    ['apps/Deployment/a/b/c', undefined],
  ])('parses %s', (text, key) => {
    expect(parseResourceKey(text)).toEqual(key);
  });

  it('parse inverts format for every key with a name', () => {
    const dns = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?$/);
    const key = fc.record({
      group: fc.oneof(fc.constant(''), dns),
      kind: fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,15}$/),
      namespace: fc.oneof(fc.constant(''), dns),
      name: dns,
    });
    fc.assert(
      fc.property(key, (k: ResourceKey) => {
        const back = parseResourceKey(formatResourceKey(k));
        return back !== undefined && sameResourceKey(back, k);
      }),
    );
  });

  it('splits apiVersions', () => {
    expect([splitApiVersion('apps/v1'), splitApiVersion('v1')]).toEqual([
      { group: 'apps', version: 'v1' },
      { group: '', version: 'v1' },
    ]);
  });
});

describe('LineIndex', () => {
  const text = 'a: 1\r\nbb: 2\n\nlast';
  const index = new LineIndex(text);

  it.each([
    [0, 1, 1],
    [3, 1, 4],
    [6, 2, 1],
    [12, 3, 1],
    [13, 4, 1],
    [16, 4, 4],
    [999, 4, 5],
  ])('offset %i is line %i column %i', (offset, line, column) => {
    expect(index.position(offset)).toMatchObject({ line, column });
  });

  it('maps lines back to offsets and text', () => {
    expect([
      index.offset(2, 2),
      index.lineText(1),
      index.lineText(2),
      index.lineText(4),
      index.lineCount,
    ]).toEqual([7, 'a: 1', 'bb: 2', 'last', 4]);
  });
});

describe('JSON Pointers', () => {
  it('round-trips escaped segments', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (segments) => {
        expect(parsePointer(formatPointer(segments))).toEqual(segments);
      }),
    );
    expect(formatPointer(['metadata', 'annotations', 'a/b~c', 0])).toBe('/metadata/annotations/a~1b~0c/0');
  });

  it('reads own properties only', () => {
    const doc = JSON.parse('{"spec":{"containers":[{"image":"x"}]},"__proto__":{"p":1}}');
    expect(valueAtPointer(doc, '/spec/containers/0/image')).toBe('x');
    expect(valueAtPointer(doc, '/__proto__/p')).toBe(1);
    expect(valueAtPointer({}, '/constructor')).toBeUndefined();
    expect(valueAtPointer({ a: [1] }, '/a/01')).toBeUndefined();
    expect(() => parsePointer('spec')).toThrow(TypeError);
  });
});

describe('diagnostics', () => {
  const at = (path: string, offset: number) => ({
    path,
    document: 0,
    start: { offset, line: 1, column: offset + 1 },
    end: { offset, line: 1, column: offset + 1 },
  });
  const d = (code: string, severity: Diagnostic['severity'], span?: ReturnType<typeof at>): Diagnostic => ({
    code,
    severity,
    message: code,
    ...(span ? { span } : {}),
  });

  it('sorts by file, position, severity and code, without mutating the input', () => {
    const input = Object.freeze([
      d('b', 'info', at('b.yaml', 0)),
      d('a', 'error', at('a.yaml', 5)),
      d('c', 'warning', at('a.yaml', 5)),
      d('z', 'error'),
    ]);
    expect(sortDiagnostics(input).map((x) => x.code)).toEqual(['z', 'a', 'c', 'b']);
    expect(compareDiagnostics(input[1]!, input[2]!)).toBeLessThan(0);
  });

  it('orders as a stable sort by compareDiagnostics does, ties kept in input order', () => {
    // Pseudo-random lists with many ties (few files, offsets, codes and messages), and spans with
    // an empty path beside diagnostics without one: the same order, object for object.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const severities = ['error', 'warning', 'info'] as const;
    for (let round = 0; round < 50; round++) {
      const input: Diagnostic[] = [];
      for (let i = 0; i < 200; i++) {
        const file = ['', 'b.yaml', 'a.yaml', 'a/b.yaml', 'A.yaml'][next(5)] as string;
        const base = {
          code: `c${next(3)}`,
          severity: severities[next(3)] as Diagnostic['severity'],
          message: `m${next(2)}`,
        };
        input.push(next(6) === 0 ? base : { ...base, span: at(file, next(4)) });
      }
      const expected = [...input].sort(compareDiagnostics);
      const sorted = sortDiagnostics(input);
      expect(sorted.length).toBe(expected.length);
      expect(sorted.every((x, i) => x === expected[i])).toBe(true);
    }
  });

  it('counts severities and compares them', () => {
    expect(countSeverities([d('a', 'error'), d('b', 'info'), d('c', 'info')])).toEqual({
      errors: 1,
      warnings: 0,
      infos: 2,
    });
    expect([
      isAtLeast('error', 'warning'),
      isAtLeast('info', 'warning'),
      isSeverity('fatal'),
      isSeverity('info'),
    ]).toEqual([true, false, false, true]);
  });
});

describe('string pools', () => {
  it('give back the value asked for, pooled or not, before and after the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }), (values) => {
        const pooled = stringPool(3);
        // Twice each: the second answer comes from the pool for the first three long values.
        for (const v of [...values, ...values]) {
          expect(pooled(v)).toBe(v);
          expect(sharedString(v)).toBe(v);
        }
      }),
    );
  });

  it('keep pools apart: a value pooled by one is answered by another as asked', () => {
    const a = stringPool(10);
    const b = stringPool(10);
    const long = 'container app has no liveness probe';
    expect(a(long)).toBe(long);
    expect(b(`${long}!`)).toBe(`${long}!`);
    expect(a(`${long}!`)).toBe(`${long}!`);
  });
});
