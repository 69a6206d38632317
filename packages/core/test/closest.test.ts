import { closest } from '@shipshape/core';
import { describe, expect, it } from 'vitest';

describe('closest', () => {
  it('finds the known name a misspelling meant', () => {
    expect(closest('selctor', ['ports', 'selector'])).toBe('selector');
    expect(closest('defualts', ['defaults', 'exemptions'])).toBe('defaults'); // two letters swapped
    expect(closest('Namespace', ['namespace', 'name'])).toBe('namespace'); // case only
    expect(closest('enforce-versoin', ['enforce', 'enforce-version'])).toBe('enforce-version');
  });

  it('answers nothing for a name too far from every known one', () => {
    expect(closest('replicas', ['selector', 'template'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
