import { HEALTH_STATUSES, isHealthStatus, isWorse, worstHealth } from '@shipshape/health';
import { describe, expect, it } from 'vitest';

describe('HEALTH_STATUSES', () => {
  it("is Argo CD's order, best first", () => {
    expect(HEALTH_STATUSES).toEqual([
      'Healthy',
      'Suspended',
      'Progressing',
      'Missing',
      'Degraded',
      'Unknown',
    ]);
  });

  it('isHealthStatus accepts exactly the statuses', () => {
    for (const status of HEALTH_STATUSES) expect(isHealthStatus(status)).toBe(true);
    for (const value of ['healthy', 'Ready', '', null, undefined, 1, {}])
      expect(isHealthStatus(value)).toBe(false);
  });
});

describe('isWorse', () => {
  it.each([
    ['Degraded', 'Progressing', true],
    ['Progressing', 'Degraded', false],
    ['Unknown', 'Degraded', true],
    ['Missing', 'Progressing', true],
    ['Suspended', 'Healthy', true],
    ['Healthy', 'Suspended', false],
    ['Healthy', 'Healthy', false],
  ] as const)('isWorse(%s, %s) is %s', (a, b, want) => {
    expect(isWorse(a, b)).toBe(want);
  });

  it('is a strict total order over the statuses', () => {
    for (const [i, a] of HEALTH_STATUSES.entries()) {
      for (const [j, b] of HEALTH_STATUSES.entries()) expect(isWorse(a, b)).toBe(i > j);
    }
  });
});

describe('worstHealth', () => {
  it.each([
    [[], 'Healthy'],
    [['Healthy'], 'Healthy'],
    [['Healthy', 'Suspended'], 'Suspended'],
    [['Suspended', 'Progressing', 'Healthy'], 'Progressing'],
    [['Degraded', 'Missing'], 'Degraded'],
    [['Progressing', 'Unknown', 'Degraded'], 'Unknown'],
  ] as const)('worstHealth(%j) is %s', (statuses, want) => {
    expect(worstHealth(statuses)).toBe(want);
  });

  it('takes any iterable', () => {
    expect(worstHealth(new Set(['Healthy', 'Missing'] as const))).toBe('Missing');
  });
});
