// What the schema and policy stages cost on their own, over resources parsed beforehand: the
// breakdown behind the added-cost lines (issue 4 asks that policies cost no more than schema
// validation). Each stage is called through its package's public API, as `check()` calls it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@shipshape/core';
import { parseManifests } from '@shipshape/manifests';
import {
  admissionPolicyRule,
  createPolicyEngine,
  type FinishContext,
  type HeldFinding,
  type PackName,
  packRules,
  type Rule,
  type RuleContext,
} from '@shipshape/policy';
import { createSchemaValidator, loadKubernetesSchemas, resolveKubernetesVersion } from '@shipshape/schema';
import { measureRun, medianOf } from './measure.js';
import { BENCH_POLICIES } from './sides.js';

/** One stage's runs: wall and CPU time per round, and what it reported. */
export interface StageCost {
  readonly stage: 'schemas' | 'policy rules, findings dropped' | 'policy rules' | 'policy rules + placing';
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
  readonly diagnostics: number;
}

/**
 * Time the schema validator and the policy engine over the same parsed resources, in `rounds`
 * rounds: the engine with its rules' findings dropped as they are reported (what the rules
 * themselves cost), as it is without a locator (plus building the diagnostics), and with the
 * set's locator (plus placing them). Every round parses the files afresh, untimed:
 * a locator remembers what it placed, and `check()` always places with a fresh one. The four runs
 * of a round go in a rotating order, each after a full GC.
 */
export async function measureStageCosts(
  root: string,
  files: readonly string[],
  rounds: number,
): Promise<StageCost[]> {
  const version = resolveKubernetesVersion(undefined).version;
  const bundle = await loadKubernetesSchemas(version);
  const engineOver = (
    resources: readonly Resource[],
    placeWith: Parameters<typeof createPolicyEngine>[0]['locator'],
    drop = false,
  ) => {
    const rules = [
      ...packRules([...BENCH_POLICIES] as PackName[], version),
      admissionPolicyRule({ kubernetesVersion: version }),
    ];
    const engine = createPolicyEngine({
      rules: drop ? rules.map(dropFindings) : rules,
      kubernetesVersion: version,
      ...(placeWith ? { locator: placeWith } : {}),
    });
    let count = 0;
    for (const r of resources) count += engine.check(r).length;
    return count + engine.finish().length;
  };
  const stages: StageCost['stage'][] = [
    'schemas',
    'policy rules, findings dropped',
    'policy rules',
    'policy rules + placing',
  ];
  const wall = stages.map((): number[] => []);
  const cpu = stages.map((): number[] => []);
  const counts = stages.map(() => 0);
  for (let round = -1; round < rounds; round++) {
    const set = parseManifests(files.map((path) => ({ path, content: readFileSync(join(root, path)) })));
    const runs = [
      () => {
        // Made per run with the run's locator, as each check() makes its own (compiled schemas are cached).
        const validator = createSchemaValidator({ bundle, strict: true, locator: set.locator });
        let count = 0;
        for (const r of set.resources) count += validator.validate(r).length;
        return count;
      },
      () => engineOver(set.resources, undefined, true),
      () => engineOver(set.resources, undefined),
      () => engineOver(set.resources, set.locator),
    ];
    for (let k = 0; k < runs.length; k++) {
      const index = (round + 1 + k) % runs.length;
      const run = runs[index];
      if (!run) continue;
      const { value, sample } = await measureRun(run);
      // Round -1 warms the code and the schema cache up; its counts are the ones reported.
      if (round < 0) counts[index] = value;
      else {
        wall[index]?.push(sample.wallMs);
        cpu[index]?.push(sample.cpuMs);
      }
    }
  }
  return stages.map((stage, i) => ({
    stage,
    wallMs: wall[i] ?? [],
    cpuMs: cpu[i] ?? [],
    diagnostics: counts[i] ?? 0,
  }));
}

/**
 * The bench's policy packs and the admission-policy rule with every finding dropped as its rule
 * reports it, as a pack a custom rule module exports: `check({ policies: [module],
 * admissionPolicies: false })` runs exactly the rules of the `policies` mode, minus their findings
 * (see `quietPolicyModule` in sides.ts). `rules` is read once per check and makes the rules afresh,
 * as `packRules` does for every check: cross-resource rules keep what they gather in the rule.
 */
export const quietBenchPack: { readonly rules: Rule[] } = {
  get rules() {
    const version = resolveKubernetesVersion(undefined).version;
    // The admission-policy rule too, which the check then leaves out (`admissionPolicies: false`).
    // Custom rules may not use shipshape's own prefixes (pss/, bp/, vap/): each id goes under
    // `quiet/`; the rules report nothing, so their ids name nothing shown.
    const admission = admissionPolicyRule({ kubernetesVersion: version });
    return [...packRules([...BENCH_POLICIES] as PackName[], version), admission].map((rule) =>
      dropFindings({ ...rule, id: `quiet/${rule.id}` }),
    );
  },
};

/** A handle `hold` gives while findings are dropped; `finish` reports it to a `report` that drops it. */
const DROPPED: HeldFinding = {
  code: 'dropped',
  resource: { apiVersion: 'v1', kind: 'Dropped', group: '', namespace: '', name: '' },
};

/**
 * The same rule, its findings dropped as they are reported: the engine passes one context per rule
 * for the whole run, so the quiet copy is made once. A rule without `check` or `finish` stays
 * without it, so the engine calls the copy exactly where it calls the rule.
 */
function dropFindings(rule: Rule): Rule {
  let quiet: RuleContext | undefined;
  return {
    ...rule,
    ...(rule.check
      ? {
          check(resource: Resource, context: RuleContext) {
            quiet ??= { ...context, report() {}, hold: () => DROPPED };
            rule.check?.(resource, quiet);
          },
        }
      : {}),
    ...(rule.finish
      ? {
          finish(context: FinishContext) {
            rule.finish?.({ ...context, report() {} });
          },
        }
      : {}),
  };
}

/**
 * One line: each stage's median wall and CPU time, its fastest run, what it reported, and for the
 * policy stages their cost as a multiple of schema validation's: the median of the ratios within
 * each round (the runs of a round are next to each other in time, so a slow spell of the machine
 * counts on both sides).
 */
export function formatStageCosts(costs: readonly StageCost[], resources: number): string {
  const schemas = costs[0];
  const parts = costs.map((c, i) => {
    const times = `${c.stage} ${Math.round(medianOf(c.wallMs))} ms (fastest ${Math.round(Math.min(...c.wallMs))}; CPU ${Math.round(medianOf(c.cpuMs))}`;
    const ratio = i === 0 || schemas === undefined ? undefined : ratioOf(c.wallMs, schemas.wallMs);
    return `${times}${ratio === undefined ? '' : `; ${ratio.toFixed(2)}× schemas`}) → ${c.diagnostics.toLocaleString('en-US')} diagnostics`;
  });
  return (
    `  stages alone over ${resources.toLocaleString('en-US')} parsed resources ` +
    `(median of ${costs[0]?.wallMs.length ?? 0} rounds): ${parts.join(' · ')}`
  );
}

/** The median of `a[r] / b[r]` over the rounds both have; `undefined` when none. */
function ratioOf(a: readonly number[], b: readonly number[]): number | undefined {
  const ratios: number[] = [];
  for (let r = 0; r < Math.min(a.length, b.length); r++) {
    const over = b[r];
    if (over > 0) ratios.push(a[r] / over);
  }
  return ratios.length === 0 ? undefined : medianOf(ratios);
}
