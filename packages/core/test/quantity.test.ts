import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantities, parseQuantity, sameQuantity } from '../src/quantity.js';

const expected = JSON.parse(
  readFileSync(
    new URL('../../../../shared/conformance/gitops-engine/diff/expected.json', import.meta.url),
    'utf8',
  ),
) as { inlineCases: { id: string; input?: Record<string, unknown> }[] };

describe('canonicalQuantity', () => {
  it.each<[unknown, string]>([
    // The examples of the brief and of gitops-engine's remarshal.
    [0.2, '200m'],
    ['0.2', '200m'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['1.5Gi', '1536Mi'],
    ['100', '100'],
    ['1e3', '1e3'],
    ['0', '0'],
    ['-0.5', '-500m'],
    ['-1.5Gi', '-1536Mi'],
    ['-1000m', '-1'],
    // apimachinery TestQuantityParseEmit and TestQuantityString alternates.
    ['1Ki', '1Ki'],
    ['1Gi', '1Gi'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['5000m', '5'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['1000E', '1e21'],
    ['5000E', '5e21'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
    // Binary amounts below 1024 or not whole are written in decimal.
    ['0.5Ki', '512'],
    ['1025Ki', '1025Ki'],
    ['100.035Ki', '102435840m'],
    ['0.05Gi', '53687091200m'],
    ['0.5Mi', '512Ki'],
    // Precision below 1n rounds away from zero.
    ['3.001n', '4n'],
    ['1.1E-9', '2e-9'],
    ['0.0000000001', '1n'],
    ['0.00000012345', '124n'],
    ['-0.0000000001', '-1n'],
    ['0.9n', '1n'],
    // Binary quantities are capped at 2^63-1.
    ['9Ei', '9223372036854775807'],
    ['9223372036854775807Ki', '9223372036854775807'],
    // Exponents and decimal suffixes.
    ['1.3E+6', '1300e3'],
    ['1.5e3', '1500'],
    ['12E', '12E'],
    ['1e21', '1e21'],
    ['10e3', '10e3'],
    ['1000e3', '1e6'],
    // Go keeps canonical-looking input as written, sign and leading zeros included.
    ['+1', '+1'],
    ['01', '01'],
    ['1.', '1.'],
    ['1.G', '1.G'],
    ['-', '0'],
    ['.', '0'],
    // JSON numbers are read as Go writes them; JSON strings are trimmed as UnmarshalJSON does.
    [1e21, '1e+21'],
    [1e-7, '100e-9'],
    [-3, '-3'],
    [1500, '1500'],
    [1000, '1k'],
    [' 1', '1'],
    ['1 ', '1'],
  ])('%j → %s', (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });

  it.each<unknown>([
    'invalid',
    '',
    '   ',
    '1.1.M',
    '1+1.0M',
    '0.1mi',
    '0.1am',
    'aoeu',
    '.5i',
    '1i',
    '-3.01i',
    '-3.01e-',
    '1KiB',
    '1e',
    '1ki',
    '-.e-10',
    '1e99999999999999999999',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    undefined,
    true,
    {},
    ['1'],
  ])('%j is not a quantity', (input) => {
    expect(canonicalQuantity(input)).toBeUndefined();
    expect(parseQuantity(input)).toBeUndefined();
  });

  it('canonicalises the cpu of the remarshal-quantity case', () => {
    const testCase = expected.inlineCases.find((c) => c.id === 'remarshal-quantity');
    const spec = testCase?.input?.['spec'] as { containers: { resources: { requests: { cpu: unknown } } }[] };
    const cpu = spec.containers[0]?.resources.requests.cpu;
    expect(cpu).toBe(0.2);
    expect(canonicalQuantity(cpu)).toBe('200m');
    expect(canonicalQuantity(String(cpu))).toBe('200m');
    expect(canonicalQuantity('invalid')).toBeUndefined();
  });

  it('reads a bigint as its digits', () => {
    expect(canonicalQuantity(12000n)).toBe('12k');
  });

  it('does not blow up on huge exponents', () => {
    expect(canonicalQuantity('1e2147483647')).toBe('10e2147483646');
    expect(canonicalQuantity('15e2147483646')).toBe('15e2147483646');
    expect(canonicalQuantity('2e-2147483647')).toBe('1e-9');
    expect(canonicalQuantity('0.000000000000000000002')).toBe('1n');
  });
});

describe('parseQuantity', () => {
  it.each<[string, bigint, number, string]>([
    ['1.5Gi', 1610612736n, 0, 'BinarySI'],
    ['1000m', 1n, 0, 'DecimalSI'],
    ['1e3', 1n, 3, 'DecimalExponent'],
    ['-250m', -25n, -2, 'DecimalSI'],
    ['0Ki', 0n, 0, 'BinarySI'],
    // A binary amount below one is decimal from the start.
    ['.000000000001Ki', 2n, -9, 'DecimalSI'],
  ])('%s', (input, mantissa, exponent, format) => {
    expect(parseQuantity(input)).toMatchObject({ mantissa, exponent, format });
  });
});

describe('sameQuantity', () => {
  it.each<[unknown, unknown, boolean]>([
    ['1', '1000m', true],
    [0.2, '200m', true],
    ['1Gi', '1024Mi', true],
    // Same amount, different canonical strings: still the same quantity (Kubernetes' Cmp).
    ['1Gi', '1073741824', true],
    ['1Gi', 1073741824, true],
    ['1k', '1e3', true],
    ['0', '0Ki', true],
    ['-0', '0', true],
    ['1Gi', '1G', false],
    ['1', '-1', false],
    ['1n', '2n', false],
    ['0.0000000001', '1n', true],
    ['invalid', 'invalid', false],
    ['1', undefined, false],
  ])('%j and %j → %s', (a, b, want) => {
    expect(sameQuantity(a, b)).toBe(want);
    expect(sameQuantity(b, a)).toBe(want);
  });
});

describe('laws', () => {
  const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
  const suffix = fc.oneof(
    fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'),
    fc
      .tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 40 }))
      .map(([e, sign, n]) => `${e}${sign}${n}`),
  );
  const quantityText = fc
    .tuple(fc.constantFrom('', '+', '-'), digits(1, 22), fc.option(digits(0, 14)), suffix)
    .map(([sign, int, frac, suf]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${suf}`);
  const anyValue = fc.oneof(quantityText, fc.string(), fc.double(), fc.integer());

  it('canonical form is a fixed point', () => {
    fc.assert(
      fc.property(anyValue, (x) => {
        const c = canonicalQuantity(x);
        if (c !== undefined) expect(canonicalQuantity(c)).toBe(c);
      }),
      { numRuns: 2000 },
    );
  });

  it('a quantity is the same amount as its canonical form', () => {
    fc.assert(
      fc.property(anyValue, (x) => {
        const c = canonicalQuantity(x);
        if (c !== undefined) expect(sameQuantity(x, c)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('generated quantity text always parses', () => {
    fc.assert(
      fc.property(quantityText, (x) => {
        expect(parseQuantity(x)).toBeDefined();
      }),
    );
  });

  it('decimal suffixes scale by powers of ten', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 20n }), (n) => {
        expect(sameQuantity(`${n}k`, `${n * 1000n}`)).toBe(true);
        expect(sameQuantity(`${n}m`, `${n}e-3`)).toBe(true);
        expect(sameQuantity(`${n}`, `${n + 1n}`)).toBe(false);
      }),
    );
  });
});

describe('compareQuantities', () => {
  it('orders amounts whatever their suffixes', () => {
    expect(compareQuantities('10Gi', '20Gi')).toBe(-1);
    expect(compareQuantities('1Gi', '1G')).toBe(1);
    expect(compareQuantities('1', '1000m')).toBe(0);
    expect(compareQuantities('1.5Ti', '1536Gi')).toBe(0);
    expect(compareQuantities('500M', '0.5G')).toBe(0);
    expect(compareQuantities('1e3', '999')).toBe(1);
    expect(compareQuantities('10Gi', 'ten')).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (a, b) => {
        expect(compareQuantities(`${a}Ki`, `${b * 1024}`)).toBe(Math.sign(a - b * 1) as -1 | 0 | 1);
      }),
    );
  });
});
