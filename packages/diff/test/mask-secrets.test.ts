import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSecretValues } from '../src/mask-secrets.js';

type Obj = Record<string, unknown>;
type Data = Record<string, string>;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const mask = (n: number) => '+'.repeat(8 + 4 * n);
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const encoded = (data: Data): Data => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));

function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

function secret(fields: Obj, annotations?: Obj): Obj {
  const metadata = annotations === undefined ? { name: 's' } : { name: 's', annotations };
  return frozen({ apiVersion: 'v1', kind: 'Secret', metadata, ...fields });
}

const withLastApplied = (fields: Obj, applied: Obj): Obj =>
  secret(fields, { [LAST_APPLIED]: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', ...applied }) });

const annotationsOf = (object: Obj | undefined): Obj =>
  ((object?.['metadata'] as Obj | undefined)?.['annotations'] ?? {}) as Obj;
const lastAppliedOf = (object: Obj | undefined): Obj =>
  JSON.parse(String(annotationsOf(object)[LAST_APPLIED])) as Obj;

interface HideCase {
  'target.data': Data;
  'live.data': Data;
  'live.lastApplied.data'?: Data;
  'expect.target': Data;
  'expect.live': Data;
  'expect.live.lastApplied'?: Data;
}
const expected = JSON.parse(
  readFileSync(
    new URL('../../../../shared/conformance/gitops-engine/diff/expected.json', import.meta.url),
    'utf8',
  ),
) as { inlineCases: { id: string; cases?: HideCase[] }[] };
const hideCases = expected.inlineCases.find((c) => c.id === 'hide-secret-data')?.cases ?? [];

describe('maskSecretValues: hide-secret-data (gitops-engine)', () => {
  it('has the upstream cases', () => {
    expect(hideCases.length).toBe(4);
  });

  it.each(hideCases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const applied = c['live.lastApplied.data'];
    const desired = secret({ data: encoded(c['target.data']) });
    const live =
      applied === undefined
        ? secret({ data: encoded(c['live.data']) })
        : withLastApplied({ data: encoded(c['live.data']) }, { data: encoded(applied) });
    const out = maskSecretValues(desired, live);
    expect(out.desired?.['data']).toEqual(c['expect.target']);
    expect(out.live?.['data']).toEqual(c['expect.live']);
    if (applied !== undefined) expect(lastAppliedOf(out.live)['data']).toEqual(c['expect.live.lastApplied']);
  });
});

describe('maskSecretValues', () => {
  it('passes non-Secrets through', () => {
    const desired = frozen({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'x' } });
    const live = frozen({ apiVersion: 'apps/v1', kind: 'Secret', data: { a: 'y' } });
    const out = maskSecretValues(desired, live);
    expect(out.desired).toBe(desired);
    expect(out.live).toBe(live);
    expect(maskSecretValues(undefined, null)).toEqual({ desired: undefined, live: undefined });
  });

  it('masks one side when the other is absent', () => {
    expect(maskSecretValues(secret({ stringData: { a: 'x' } }), undefined)).toEqual({
      desired: secret({ data: { a: mask(0) } }),
      live: undefined,
    });
    expect(maskSecretValues(undefined, secret({ data: { a: 'eA==' } })).live?.['data']).toEqual({
      a: mask(0),
    });
  });

  it('compares stringData and data after encoding, and null as empty', () => {
    const desired = secret({ stringData: { a: 'same', b: '', c: 'new' } });
    const live = secret({ data: { a: b64('same'), b: null, c: b64('old') } });
    const out = maskSecretValues(desired, live);
    expect(out.desired).toEqual(secret({ data: { a: mask(0), b: mask(0), c: mask(0) } }));
    expect(out.live?.['data']).toEqual({ a: mask(0), b: mask(0), c: mask(1) });
  });

  it.each<[string, Obj, Obj]>([
    ['data that is not a map', secret({ data: 'c2VjcmV0' }), { data: mask(0) }],
    ['stringData that is not a map', secret({ stringData: ['secret'] }), { stringData: mask(0) }],
    ['a null data value', secret({ data: { a: null, b: 5 } }), { data: { a: mask(0), b: mask(0) } }],
  ])('masks %s', (_name, input, want) => {
    expect(maskSecretValues(input, undefined).desired).toMatchObject(want);
  });

  it('masks the annotations listed in hideAnnotations', () => {
    const desired = secret({}, { token: 'a', other: 'visible' });
    const live = withLastApplied({}, { metadata: { annotations: { token: 'c' } } });
    const liveWithToken = frozen({
      ...live,
      metadata: { ...(live['metadata'] as Obj), annotations: { ...annotationsOf(live), token: 'b' } },
    });
    const out = maskSecretValues(desired, liveWithToken, { hideAnnotations: ['token', 'absent'] });
    expect(annotationsOf(out.desired)).toEqual({ token: mask(0), other: 'visible' });
    expect(annotationsOf(out.live)['token']).toBe(mask(1));
    expect((lastAppliedOf(out.live)['metadata'] as Obj)['annotations']).toEqual({ token: mask(2) });
  });

  it('masks the last-applied annotation whole when it is listed', () => {
    const live = withLastApplied({ data: { a: 'eA==' } }, { data: { a: 'eA==' } });
    const out = maskSecretValues(undefined, live, { hideAnnotations: [LAST_APPLIED] });
    expect(annotationsOf(out.live)[LAST_APPLIED]).toBe(mask(0));
  });

  it.each<[string, unknown]>([
    ['not JSON', '{"data":{"a":"c2VjcmV0"'],
    ['JSON but not an object', '"c2VjcmV0"'],
    ['not a string', { data: { a: 'c2VjcmV0' } }],
  ])('replaces a last-applied annotation that is %s', (_name, text) => {
    const out = maskSecretValues(undefined, secret({ data: { a: 'eA==' } }, { [LAST_APPLIED]: text }));
    expect(annotationsOf(out.live)[LAST_APPLIED]).toBe(mask(0));
  });

  it('replaces a last-applied annotation on desired', () => {
    const desired = withLastApplied({ data: { a: 'eA==' } }, { data: { a: 'c2VjcmV0' } });
    expect(annotationsOf(maskSecretValues(desired, undefined).desired)[LAST_APPLIED]).toBe(mask(0));
  });

  it('folds stringData of the last-applied configuration too', () => {
    const live = withLastApplied({ data: { a: b64('v1') } }, { stringData: { a: 'v2' } });
    const out = maskSecretValues(secret({ stringData: { a: 'v2' } }), live);
    expect(out.desired?.['data']).toEqual({ a: mask(0) });
    expect(out.live?.['data']).toEqual({ a: mask(1) });
    expect(lastAppliedOf(out.live)).toEqual({ apiVersion: 'v1', kind: 'Secret', data: { a: mask(0) } });
  });
});

describe('maskSecretValues laws', () => {
  type Where = 'data' | 'stringData';
  type Side = Record<string, { value: string; where: Where }>;
  const key = fc.constantFrom('a', 'b', 'c', 'tls.key', '__proto__');
  const entry = (value: fc.Arbitrary<string>) =>
    fc.record({ value, where: fc.constantFrom<Where>('data', 'stringData') });
  const side = (value: fc.Arbitrary<string>) => fc.dictionary(key, entry(value), { maxKeys: 5 });

  function build(s: Side): Obj {
    const data: Obj = {};
    const stringData: Obj = {};
    for (const [k, { value, where }] of Object.entries(s)) {
      Object.defineProperty(where === 'data' ? data : stringData, k, {
        value: where === 'data' ? b64(value) : value,
        enumerable: true,
      });
    }
    return { data, stringData };
  }

  /** Secrets from the sides; `note` is an annotation listed in hideAnnotations, on all three. */
  function sides(desired: Side | null, live: Side | null, applied: Side | null, note = 'plain') {
    const d = desired === null ? undefined : secret(build(desired), { note });
    const appliedObject =
      applied === null
        ? undefined
        : { apiVersion: 'v1', kind: 'Secret', ...build(applied), metadata: { annotations: { note } } };
    const l =
      live === null
        ? undefined
        : secret(build(live), {
            note,
            ...(appliedObject === undefined ? {} : { [LAST_APPLIED]: JSON.stringify(appliedObject) }),
          });
    return maskSecretValues(d, l, { hideAnnotations: ['note'] });
  }

  const secretValue = fc.stringMatching(/^[A-Za-z0-9]{4,12}$/).map((v) => `S3cr3t${v}`);

  it('never leaves a value, raw or base64, in the output', () => {
    fc.assert(
      fc.property(
        fc.option(side(secretValue)),
        fc.option(side(secretValue)),
        fc.option(side(secretValue)),
        secretValue,
        (d, l, a, note) => {
          const text = JSON.stringify(sides(d, l, a, note));
          expect(text).not.toContain(note);
          for (const s of [d, l, a]) {
            for (const { value } of Object.values(s ?? {})) {
              expect(text).not.toContain(value);
              expect(text).not.toContain(b64(value).replace(/=+$/, ''));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('masks equal values equally and different values differently, in side order', () => {
    const few = fc.constantFrom('S3cr3tA', 'S3cr3tB', 'S3cr3tC');
    fc.assert(
      fc.property(fc.option(side(few)), side(few), fc.option(side(few)), (d, l, a) => {
        const out = sides(d, l, a);
        const masked = [
          out.desired?.['data'],
          out.live?.['data'],
          a === null ? undefined : lastAppliedOf(out.live)['data'],
        ];
        for (const k of new Set([d, l, a].flatMap((s) => Object.keys(s ?? {})))) {
          const seen: string[] = [];
          [d, l, a].forEach((s, i) => {
            const original = s !== null && Object.hasOwn(s, k) ? s[k] : undefined;
            if (original === undefined) return;
            if (!seen.includes(original.value)) seen.push(original.value);
            expect((masked[i] as Obj)[k]).toBe(mask(seen.indexOf(original.value)));
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
