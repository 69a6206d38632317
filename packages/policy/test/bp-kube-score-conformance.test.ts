import { readFileSync } from 'node:fs';
import type { Diagnostic } from '@shipshape/core';
import { createPolicyEngine, loadPack, type Rule, type RuleSetting } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { UPSTREAM_NOT_RULES } from '../src/rule-docs.js';

// kube-score's fixtures (zegl/kube-score score/testdata, expectations transcribed from its Go tests):
// each file is scored on its own; the named check must pass (OK) or fail (WARNING, CRITICAL). Here
// the rule that stands for the check runs alone over all documents of the file (check each, then
// finish); the check fails when the rule reports anything. Where Polaris has the same check, the
// pack follows Polaris, and the fixtures where the two disagree are skipped with the reason.
const ROOT = new URL('../../../../shared/conformance/kube-score/', import.meta.url);

interface Grade {
  readonly grade: 'OK' | 'WARNING' | 'CRITICAL' | 'SKIPPED';
}

const expected = JSON.parse(readFileSync(new URL('expected.json', ROOT), 'utf8')) as {
  readonly counts: Readonly<Record<string, number>>;
  readonly fixtures: Readonly<Record<string, Readonly<Record<string, Grade>>>>;
};

/** The rules standing for each kube-score check, with the settings that make them kube-score's. */
const CHECKS: Readonly<
  Record<string, { readonly rules: readonly string[]; readonly settings?: Record<string, RuleSetting> }>
> = {
  'container-image-pull-policy': { rules: ['bp/image-pull-policy'] },
  'container-image-tag': { rules: ['bp/image-tag'] },
  'container-resources': { rules: ['bp/resources'] },
  'deployment-has-host-podantiaffinity': { rules: ['bp/spread'] },
  'deployment-has-poddisruptionbudget': { rules: ['bp/pdb-present'] },
  'statefulset-has-poddisruptionbudget': {
    rules: ['bp/pdb-present'],
    settings: { 'bp/pdb-present': { options: { kinds: ['Deployment', 'StatefulSet'] } } },
  },
  'poddisruptionbudget-has-policy': { rules: ['bp/pdb-sane'] },
  'pod-networkpolicy': { rules: ['bp/network-policy'] },
  'pod-probes': { rules: ['bp/liveness-probe', 'bp/readiness-probe'] },
  'service-targets-pod': { rules: ['bp/service-selector'] },
  'pod-topology-spread-constraints': { rules: ['bp/spread'] },
  'pod-probes-identical': { rules: ['bp/probes-identical'] },
  'ingress-targets-service': { rules: ['bp/ingress-service'] },
  'networkpolicy-targets-pod': { rules: ['bp/network-policy-targets'] },
  'horizontalpodautoscaler-has-target': { rules: ['bp/hpa-target'] },
  'service-type': { rules: ['bp/service-type'] },
};

/** kube-score checks with fixtures that no rule stands for, each with the reason. */
const UNIMPLEMENTED: Readonly<Record<string, string>> = {
  'container-ephemeral-storage-request-and-limit':
    'ephemeral-storage requests and limits: kube-score alone asks for them (catalogue row ephemeral-storage, low)',
  'deployment-strategy': 'the rollout strategy: kube-score alone checks it by default (kube-linter: off)',
  'stable-version':
    "deprecated API versions are the schema stage's (api/deprecated, api/removed from the deprecation data), not a policy rule",
};

/** Fixtures where the pack follows Polaris (or the API server) and kube-score grades otherwise. */
const DEPARTURES: Readonly<Record<string, string>> = {
  'pod-topology-spread-constraints testdata/pod-topology-spread-constraints-no-topologykey.yaml':
    'topologyKey is a required field of the constraint: schema validation reports it (schema/missing-field), not bp/spread',
  'pod-probes testdata/pod-probes-not-targeted-by-service.yaml':
    'Polaris readinessProbeMissing asks every long-running container for a readiness probe; kube-score only one a Service targets',
  'container-image-pull-policy testdata/pod-image-pullpolicy-undefined-no-tag.yaml':
    'Polaris pullPolicyNotAlways asks for imagePullPolicy: Always as written; kube-score accepts an untagged image, whose policy defaults to Always',
  'deployment-has-host-podantiaffinity testdata/deployment-host-antiaffinity-required.yaml':
    'bp/spread is Polaris topologySpreadConstraint, which asks for topologySpreadConstraints; kube-score accepts a hostname podAntiAffinity instead',
  'deployment-has-host-podantiaffinity testdata/deployment-host-antiaffinity-preffered-selector-expression.yaml':
    'bp/spread is Polaris topologySpreadConstraint, which asks for topologySpreadConstraints; kube-score accepts a hostname podAntiAffinity instead',
};

const rules = new Map<string, Rule>(loadPack('best-practices', '1.35').rules.map((r) => [r.id, r]));

/** What the rules standing for `check` report on every document of `file`. */
function findingsOf(check: string, file: string): Diagnostic[] {
  const mapped = CHECKS[check];
  if (!mapped) throw new Error(`no rule stands for ${check}`);
  const chosen = mapped.rules.map((id) => {
    const rule = rules.get(id);
    if (!rule) throw new Error(`rule ${id} is not in the best-practices pack`);
    return rule;
  });
  const documents = loadAll(readFileSync(new URL(file, ROOT), 'utf8')).filter(
    (d): d is Record<string, unknown> => d !== null && typeof d === 'object' && !Array.isArray(d),
  );
  const engine = createPolicyEngine({
    rules: chosen,
    kubernetesVersion: '1.35',
    ...(mapped.settings ? { settings: mapped.settings } : {}),
  });
  const resources = documents.map((d, i) => asResource(d, i));
  const all = [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
  return all.filter((d) => mapped.rules.includes(d.code));
}

const cases = Object.entries(expected.fixtures)
  .flatMap(([file, checks]) =>
    Object.entries(checks).map(([check, want]) => ({ file, check, grade: want.grade })),
  )
  .sort((a, b) => (a.check === b.check ? (a.file < b.file ? -1 : 1) : a.check < b.check ? -1 : 1));

function skipReason(c: { readonly file: string; readonly check: string }): string | undefined {
  return UNIMPLEMENTED[c.check] ?? DEPARTURES[`${c.check} ${c.file}`];
}

describe('kube-score conformance (zegl/kube-score score/testdata)', () => {
  it('has every expectation either run or skipped with a reason', () => {
    const total = Object.values(expected.counts).reduce((a, b) => a + b, 0);
    expect(cases).toHaveLength(total);
    const unknown = cases.filter(
      (c) => CHECKS[c.check] === undefined && UNIMPLEMENTED[c.check] === undefined,
    );
    expect(unknown.map((c) => c.check)).toEqual([]);
    // A check no rule stands for is said in the migration index (docs/rules/README.md), with why.
    for (const check of Object.keys(UNIMPLEMENTED)) {
      expect(UPSTREAM_NOT_RULES[`kube-score/${check}`], check).toBeDefined();
    }
    // A departure names a fixture that exists, for a check that runs.
    for (const key of Object.keys(DEPARTURES)) {
      expect(cases.some((c) => `${c.check} ${c.file}` === key && CHECKS[c.check] !== undefined)).toBe(true);
    }
  });

  it('gives every fixture the grade kube-score gives, except the departures', () => {
    const run = cases.filter((c) => skipReason(c) === undefined);
    const outcomes = run.map((c) => {
      const found = findingsOf(c.check, c.file);
      const fails = found.length > 0;
      const ok = fails === (c.grade === 'WARNING' || c.grade === 'CRITICAL');
      return { ...c, ok, found: found.map((d) => d.message) };
    });
    const skipped = cases.filter((c) => skipReason(c) !== undefined);
    const passed = outcomes.filter((o) => o.ok).length;
    console.log(
      `kube-score conformance: ${passed}/${run.length} expectations agree; ${skipped.length} skipped:\n${skipped
        .map((c) => `  - ${c.check} ${c.file}: ${skipReason(c)}`)
        .join('\n')}`,
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(passed).toBeGreaterThan(0);
  });
});
