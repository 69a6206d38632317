import fc from 'fast-check';

/**
 * Random JSON built from a few `keys` (objects written with defineProperty, so `__proto__` is an
 * ordinary key) and a few `scalars`, small enough to shrink well.
 */
export function jsonFrom(keys: readonly string[], scalars: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...scalars),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.array(fc.tuple(fc.constantFrom(...keys), tie('value')), { maxLength: 4 }).map((entries) => {
        const object: Record<string, unknown> = {};
        for (const [key, value] of entries) {
          Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        }
        return object;
      }),
    ),
  })).value;
}
