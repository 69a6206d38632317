import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine, packRules, type Rule } from '@shipshape/policy';
import { describe, expect, it } from 'vitest';

// A clock that moves only when read: each reading is one step later, so every timed span is the
// number of readings made inside it, and the figures below are exact.
function steppingClock(step: number): { now: () => number; readings: () => number } {
  let readings = 0;
  return {
    now: () => {
      readings++;
      return readings * step;
    },
    readings: () => readings,
  };
}

const DOCS = { summary: 'test', details: '', examples: [] } as const;

/** A rule that reads the clock `ticks` times on each resource (its own work, as the engine sees it). */
function ticking(id: string, kinds: string[], tick: () => number, ticks: number, finishTicks = 0): Rule {
  return {
    id,
    category: 'reliability',
    severity: 'warning',
    kinds,
    docs: DOCS,
    check() {
      for (let i = 0; i < ticks; i++) tick();
    },
    ...(finishTicks > 0
      ? {
          finish() {
            for (let i = 0; i < finishTicks; i++) tick();
          },
        }
      : {}),
  };
}

const YAML = `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  namespace: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  namespace: shop
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports:
    - port: 80
`;

describe('rule timings', () => {
  it('times each rule over the resources of its kinds, and its finish', () => {
    const clock = steppingClock(1);
    const set = parseManifests([{ path: 'all.yaml', content: YAML }]);
    const engine = createPolicyEngine({
      rules: [
        ticking('t/config-maps', ['ConfigMap'], clock.now, 3),
        ticking('t/services', ['Service'], clock.now, 0, 4),
      ],
      kubernetesVersion: '1.35',
      clock: clock.now,
    });
    for (const r of set.resources) engine.check(r);
    engine.finish();
    const timings = engine.timings();
    // A span is 1 + the readings inside it: the end reading is one step after the start.
    expect(timings?.rules).toEqual([
      { rule: 't/config-maps', check: 2 * (3 + 1), finish: 0, calls: 2 },
      { rule: 't/services', check: 1, finish: 4 + 1, calls: 1 },
    ]);
    expect(timings?.placing).toBe(0); // nothing was reported
  });

  it('keeps timing a rule that throws, and times placing the findings', () => {
    const clock = steppingClock(2);
    const set = parseManifests([{ path: 'all.yaml', content: YAML }]);
    const thrower: Rule = {
      id: 't/throws',
      category: 'reliability',
      severity: 'error',
      kinds: ['ConfigMap'],
      docs: DOCS,
      check() {
        clock.now();
        throw new Error('broken');
      },
    };
    const reporter: Rule = {
      id: 't/reports',
      category: 'reliability',
      severity: 'warning',
      kinds: ['Service'],
      docs: DOCS,
      check(_resource, context) {
        context.report({ path: '/spec/ports/0/port', message: 'port 80' });
      },
    };
    const engine = createPolicyEngine({
      rules: [thrower, reporter],
      kubernetesVersion: '1.35',
      locator: set.locator,
      clock: clock.now,
    });
    const found = set.resources.flatMap((r) => engine.check(r));
    expect(found.map((d) => d.code)).toEqual(['policy/rule-error', 'policy/rule-error', 't/reports']);
    expect(found[2]?.span?.start.line).toBe(20);
    const timings = engine.timings();
    expect(timings?.rules.find((t) => t.rule === 't/throws')).toEqual({
      rule: 't/throws',
      check: 2 * 2 * (1 + 1),
      finish: 0,
      calls: 2,
    });
    expect(timings?.rules.find((t) => t.rule === 't/reports')).toEqual({
      rule: 't/reports',
      check: 2,
      finish: 0,
      calls: 1,
    });
    // One resource had findings to place: one span of one step.
    expect(timings?.placing).toBe(2);
  });

  it('leaves rules turned off out, and times nothing without a clock', () => {
    const clock = steppingClock(1);
    const rules = packRules(['best-practices'], '1.35');
    const set = parseManifests([{ path: 'all.yaml', content: YAML }]);
    const timed = createPolicyEngine({
      rules,
      kubernetesVersion: '1.35',
      settings: { 'bp/namespace': { severity: 'off' } },
      clock: clock.now,
    });
    for (const r of set.resources) timed.check(r);
    timed.finish();
    const ids = timed.timings()?.rules.map((t) => t.rule) ?? [];
    expect(ids).toHaveLength(rules.length - 1);
    expect(ids).not.toContain('bp/namespace');
    // Every rule that looks at Services was called once; the clock was read around each call.
    const service = timed.timings()?.rules.find((t) => t.rule === 'bp/service-type');
    expect(service?.calls).toBe(1);
    expect(clock.readings()).toBeGreaterThan(0);

    const plain = createPolicyEngine({ rules, kubernetesVersion: '1.35' });
    for (const r of set.resources) plain.check(r);
    plain.finish();
    expect(plain.timings()).toBeUndefined();
  });
});
