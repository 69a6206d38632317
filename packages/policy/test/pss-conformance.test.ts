import { readFileSync } from 'node:fs';
import type { Diagnostic } from '@shipshape/core';
import { createPolicyEngine } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { evaluatePodSecurity, pssRules } from '../src/pss/index.js';

const ROOT = new URL('../../../../shared/conformance/psa/', import.meta.url);

interface Expectation {
  readonly level: 'baseline' | 'restricted';
  readonly version: string;
  readonly expect: 'allowed' | 'denied';
  readonly check: string | null;
}

const expected = JSON.parse(readFileSync(new URL('expected.json', ROOT), 'utf8')) as {
  readonly counts: Readonly<Record<string, number>>;
  readonly fixtures: Readonly<Record<string, Expectation>>;
};
const fixtures = Object.entries(expected.fixtures).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Fixtures not run, each with the reason. None so far: every upstream fixture must agree. */
const SKIPPED: Readonly<Record<string, string>> = {};

const pods = new Map<string, Record<string, unknown>>();

function readPod(file: string): Record<string, unknown> {
  let pod = pods.get(file);
  if (!pod) {
    pod = load(readFileSync(new URL(file, ROOT), 'utf8')) as Record<string, unknown>;
    pods.set(file, pod);
  }
  return pod;
}

/** The same pod as a Deployment's template, as upstream's controller test wraps it. */
function asDeployment(pod: Record<string, unknown>, name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { test: 'true' } },
      template: { metadata: { ...(pod['metadata'] as object), labels: { test: 'true' } }, spec: pod['spec'] },
    },
  };
}

/** Whether a JSON Pointer names a value that exists in `object`. */
function exists(object: unknown, pointer: string): boolean {
  let at = object;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(at) && /^\d+$/.test(token) && Number(token) < at.length) at = at[Number(token)];
    else if (at !== null && typeof at === 'object' && Object.hasOwn(at, token))
      at = (at as Record<string, unknown>)[token];
    else return false;
  }
  return true;
}

describe('Pod Security Admission conformance (kubernetes/pod-security-admission test data)', () => {
  it('agrees with upstream on every fixture', () => {
    expect(fixtures.length).toBe(3216);
    const wrong: string[] = [];
    let passed = 0;
    let skipped = 0;
    for (const [file, want] of fixtures) {
      if (SKIPPED[file] !== undefined) {
        skipped++;
        continue;
      }
      const result = evaluatePodSecurity(readPod(file), want.level, want.version);
      const got = result.allowed ? 'allowed' : 'denied';
      if (got === want.expect) passed++;
      else
        wrong.push(
          `${file}: expected ${want.expect}, got ${got} ${JSON.stringify(result.failures.map((f) => `${f.reason} (${f.detail})`))}`,
        );
    }
    console.log(`PSA conformance: ${passed}/${fixtures.length} pass, ${skipped} skipped`);
    expect(wrong).toEqual([]);
    expect(skipped).toBe(0);
    expect(passed).toBe(3216);
  });

  it('denies each fail fixture for the check it was made for (or the restricted check replacing it)', () => {
    const replacedBy: Readonly<Record<string, string>> = {
      capabilities_baseline: 'capabilities_restricted',
      seccompProfile_baseline: 'seccompProfile_restricted',
      hostPathVolumes: 'restrictedVolumes',
      procMount: 'procMount_restricted',
    };
    const wrong: string[] = [];
    for (const [file, want] of fixtures) {
      if (want.expect !== 'denied' || want.check === null) continue;
      const checks = evaluatePodSecurity(readPod(file), want.level, want.version).failures.map(
        (f) => f.check,
      );
      const replacement = replacedBy[want.check];
      if (!checks.includes(want.check as never) && !(replacement && checks.includes(replacement as never))) {
        wrong.push(`${file}: ${want.check} not among ${checks.join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives the same verdicts through pssRules on Deployments, with pointers that exist', () => {
    const engines = new Map<string, ReturnType<typeof createPolicyEngine>>();
    const engineFor = (level: Expectation['level'], version: string) => {
      const key = `${level}/${version}`;
      let engine = engines.get(key);
      if (!engine) {
        engine = createPolicyEngine({ rules: pssRules(level, version), kubernetesVersion: version.slice(1) });
        engines.set(key, engine);
      }
      return engine;
    };
    const wrong: string[] = [];
    let denied = 0;
    for (const [file, want] of fixtures) {
      const pod = readPod(file);
      const direct = evaluatePodSecurity(pod, want.level, want.version);
      const deployment = asDeployment(pod, 'fixture');
      const diagnostics: Diagnostic[] = engineFor(want.level, want.version).check(asResource(deployment));
      if (diagnostics.length > 0) denied++;
      const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
      const checks = direct.failures.map((f) => `pss/${f.check}`).sort();
      if (JSON.stringify(codes) !== JSON.stringify(checks))
        wrong.push(`${file}: rules ${codes.join()} vs ${checks.join()}`);
      if ((diagnostics.length === 0) !== (want.expect === 'allowed'))
        wrong.push(`${file}: expected ${want.expect}`);
      for (const d of diagnostics) {
        if (!d.path?.startsWith('/spec/template/'))
          wrong.push(`${file}: ${d.code} points outside the template: ${d.path}`);
        if (d.path === undefined || !exists(deployment, d.path))
          wrong.push(`${file}: ${d.code} points at missing ${d.path}`);
      }
      const fromEvaluator = direct.failures
        .flatMap((f) => f.findings.map((x) => x.path.replace(/^\/(spec|metadata)/, '/spec/template/$1')))
        .sort();
      const fromRules = diagnostics.map((d) => d.path ?? '').sort();
      if (JSON.stringify(fromRules) !== JSON.stringify(fromEvaluator)) {
        wrong.push(`${file}: rule pointers ${fromRules.join()} vs evaluator ${fromEvaluator.join()}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(denied).toBe(expected.counts['baseline/fail']! + expected.counts['restricted/fail']!);
  });
});
