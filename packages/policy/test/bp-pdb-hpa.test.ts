import type { Diagnostic } from '@shipshape/core';
import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine } from '@shipshape/policy';
import { RuleTester } from '@shipshape/policy/testing';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { bpRule, container, deployment } from './bp-helpers.js';

// bp/pdb-sane against Polaris pdbMinAvailableGreaterThanHPAMinReplicas: a budget's minAvailable
// compared with the minReplicas of the autoscaler scaling the workload it selects.

type Obj = Record<string, unknown>;

const CHECK = 'pdbMinAvailableGreaterThanHPAMinReplicas';

function pdb(spec: Obj, options: { name?: string; namespace?: string; selector?: unknown } = {}): Obj {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: options.name ?? 'web-pdb', namespace: options.namespace ?? 'shop' },
    spec: { ...spec, selector: options.selector ?? { matchLabels: { app: 'web' } } },
  };
}

function hpa(minReplicas: number | undefined, target: Obj = { kind: 'Deployment', name: 'web' }): Obj {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web-hpa', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', ...target },
      ...(minReplicas === undefined ? {} : { minReplicas }),
      maxReplicas: 10,
    },
  };
}

const web = (labels: Obj = { app: 'web', tier: 'api' }, name = 'web') =>
  deployment(name, [container('web')], { namespace: 'shop', template: { labels } });

/** The findings of this Polaris check only (bp/pdb-sane also reports pdbDisruptionsIsZero). */
function starved(resources: readonly Obj[]): Diagnostic[] {
  return new RuleTester(bpRule('bp/pdb-sane'))
    .findings({ name: 'case', resources })
    .filter((d) => d.data?.['polaris'] === CHECK);
}

describe('bp/pdb-sane: minAvailable against the autoscaler minimum', () => {
  const tester = new RuleTester(bpRule('bp/pdb-sane'));

  it('compares an integer minAvailable with minReplicas: equal or above fails', () => {
    tester.assert({
      valid: [
        { name: 'below', resources: [pdb({ minAvailable: 1 }), web(), hpa(2)] },
        { name: 'zero', resources: [pdb({ minAvailable: 0 }), web(), hpa(undefined)] },
      ],
      invalid: [
        {
          name: 'above',
          resources: [pdb({ minAvailable: 3 }), web(), hpa(2)],
          reports: [
            { path: '/spec/minAvailable', message: /HorizontalPodAutoscaler web-hpa .*minReplicas 2\)/ },
          ],
        },
        {
          name: 'equal',
          resources: [pdb({ minAvailable: 2 }), web(), hpa(2)],
          reports: [{ path: '/spec/minAvailable', message: /keeps 2 pod\(s\) of Deployment web .*web-hpa/ }],
        },
      ],
    });
  });

  it('rounds a percentage of minReplicas up, as the disruption controller does', () => {
    tester.assert({
      valid: [
        { name: 'below: 50% of 2 is 1', resources: [pdb({ minAvailable: '50%' }), web(), hpa(2)] },
        { name: 'below: 66% of 3 is 2', resources: [pdb({ minAvailable: '66%' }), web(), hpa(3)] },
      ],
      invalid: [
        {
          name: 'equal: 60% of 2 rounds up to 2',
          resources: [pdb({ minAvailable: '60%' }), web(), hpa(2)],
          reports: [{ path: '/spec/minAvailable', message: /keeps 2 pod\(s\) .*minAvailable 60% of 2/ }],
        },
        {
          name: 'equal: 67% of 3 rounds up to 3',
          resources: [pdb({ minAvailable: '67%' }), web(), hpa(3)],
          reports: ['/spec/minAvailable'],
        },
        {
          name: 'above: 150% of 2 is 3',
          resources: [pdb({ minAvailable: '150%' }), web(), hpa(2)],
          reports: [{ path: '/spec/minAvailable', message: /keeps 3 pod\(s\)/ }],
        },
      ],
    });
  });

  it('reports 100% once, as pdbDisruptionsIsZero', () => {
    const found = new RuleTester(bpRule('bp/pdb-sane')).findings({
      name: '100%',
      resources: [pdb({ minAvailable: '100%' }), web(), hpa(2)],
    });
    expect(found.map((d) => [d.path, d.data?.['polaris']])).toEqual([
      ['/spec/minAvailable', 'pdbDisruptionsIsZero'],
    ]);
  });

  it('takes an unset minReplicas as 1', () => {
    tester.assert({
      invalid: [
        {
          name: 'minAvailable 1',
          resources: [pdb({ minAvailable: 1 }), web(), hpa(undefined)],
          reports: [{ path: '/spec/minAvailable', message: /down to 1 \(minReplicas unset, so 1\)/ }],
        },
        {
          name: 'any percentage of 1 rounds up to 1',
          resources: [pdb({ minAvailable: '10%' }), web(), hpa(undefined)],
          reports: ['/spec/minAvailable'],
        },
      ],
    });
    expect(starved([pdb({ minAvailable: 1 }), web(), hpa(undefined)])[0]?.data).toEqual({ polaris: CHECK });
  });

  it('leaves budgets with maxUnavailable alone', () => {
    tester.assert({
      valid: [
        { name: 'maxUnavailable 1', resources: [pdb({ maxUnavailable: 1 }), web(), hpa(1)] },
        { name: 'maxUnavailable 50%', resources: [pdb({ maxUnavailable: '50%' }), web(), hpa(undefined)] },
      ],
    });
  });

  it('needs the budget, the workload and the autoscaler in one namespace', () => {
    const elsewhere = { ...hpa(2), metadata: { name: 'web-hpa', namespace: 'staging' } };
    tester.assert({
      valid: [
        {
          name: 'budget elsewhere',
          resources: [pdb({ minAvailable: 3 }, { namespace: 'staging' }), web(), hpa(2)],
        },
        { name: 'autoscaler elsewhere', resources: [pdb({ minAvailable: 3 }), web(), elsewhere] },
        {
          name: 'workload elsewhere',
          resources: [
            pdb({ minAvailable: 3 }),
            deployment('web', [container('web')], {
              namespace: 'staging',
              template: { labels: { app: 'web' } },
            }),
            hpa(2),
          ],
        },
      ],
      invalid: [
        {
          name: 'all in the same namespace',
          resources: [pdb({ minAvailable: 3 }), web(), elsewhere, hpa(2)],
          reports: ['/spec/minAvailable'],
        },
      ],
    });
  });

  it('needs the budget to select the pod template, with the full selector', () => {
    tester.assert({
      valid: [
        {
          name: 'other labels',
          resources: [pdb({ minAvailable: 3 }, { selector: { matchLabels: { app: 'db' } } }), web(), hpa(2)],
        },
        {
          name: 'one label in common is not enough',
          resources: [
            pdb({ minAvailable: 3 }, { selector: { matchLabels: { app: 'web', tier: 'db' } } }),
            web(),
            hpa(2),
          ],
        },
        {
          name: 'NotIn excludes the pods',
          resources: [
            pdb(
              { minAvailable: 3 },
              { selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['api'] }] } },
            ),
            web(),
            hpa(2),
          ],
        },
        {
          name: 'no selector selects nothing',
          resources: [{ ...pdb({ minAvailable: 3 }), spec: { minAvailable: 3 } }, web(), hpa(2)],
        },
      ],
      invalid: [
        {
          name: 'matchExpressions',
          resources: [
            pdb(
              { minAvailable: 3 },
              { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'db'] }] } },
            ),
            web(),
            hpa(2),
          ],
          reports: ['/spec/minAvailable'],
        },
        {
          name: 'empty selector selects every pod of the namespace',
          resources: [pdb({ minAvailable: 3 }, { selector: {} }), web(), hpa(2)],
          reports: ['/spec/minAvailable'],
        },
      ],
    });
  });

  it('needs the autoscaler to target the workload by kind and name', () => {
    const statefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container('web')] } } },
    };
    tester.assert({
      valid: [
        {
          name: 'another kind',
          resources: [pdb({ minAvailable: 3 }), web(), hpa(2, { kind: 'StatefulSet', name: 'web' })],
        },
        {
          name: 'another name',
          resources: [pdb({ minAvailable: 3 }), web(), hpa(2, { kind: 'Deployment', name: 'api' })],
        },
        { name: 'no workload at all', resources: [pdb({ minAvailable: 3 }), hpa(2)] },
        { name: 'no autoscaler', resources: [pdb({ minAvailable: 3 }), web()] },
      ],
      invalid: [
        {
          name: 'a StatefulSet',
          resources: [pdb({ minAvailable: 3 }), statefulSet, hpa(2, { kind: 'StatefulSet', name: 'web' })],
          reports: [{ path: '/spec/minAvailable', message: /of StatefulSet web available/ }],
        },
      ],
    });
  });

  it('does not compare a budget that selects the pods of several workloads', () => {
    tester.assert({
      valid: [
        {
          name: 'two Deployments share the label',
          resources: [pdb({ minAvailable: 2 }), web(), web({ app: 'web' }, 'web-canary'), hpa(2)],
        },
      ],
      invalid: [
        {
          name: 'the same Deployment written twice',
          resources: [pdb({ minAvailable: 2 }), web(), web(), hpa(2)],
          reports: ['/spec/minAvailable'],
        },
      ],
    });
  });

  it('reports one finding per autoscaler of the workload', () => {
    const second = { ...hpa(1), metadata: { name: 'web-hpa-2', namespace: 'shop' } };
    const found = starved([pdb({ minAvailable: 2 }), web(), hpa(3), hpa(2), second]);
    expect(found.map((d) => /HorizontalPodAutoscaler (\S+)/.exec(d.message)?.[1])).toEqual([
      'web-hpa',
      'web-hpa-2',
    ]);
  });
});

describe('bp/pdb-sane: objects in any file order', () => {
  const documents = [
    pdb({ minAvailable: 2 }),
    web(),
    hpa(2),
    // Never reported: another budget, workload and autoscaler that pass.
    pdb({ minAvailable: 1 }, { name: 'api-pdb', selector: { matchLabels: { app: 'api' } } }),
    { ...hpa(3, { kind: 'Deployment', name: 'api' }), metadata: { name: 'api-hpa', namespace: 'shop' } },
  ];
  const permutations = (n: number): number[][] =>
    n === 0
      ? [[]]
      : permutations(n - 1).flatMap((p) => [...Array(n).keys()].map((i) => p.toSpliced(i, 0, n - 1)));

  /** Parse the documents in this order, one file each, and run the rule over them in that order. */
  function findings(order: readonly number[]): string[] {
    const files = order.map((i) => ({ path: `${i}.yaml`, content: dump(documents[i]) }));
    const set = parseManifests(files);
    expect(set.diagnostics).toEqual([]);
    const engine = createPolicyEngine({
      rules: [bpRule('bp/pdb-sane')],
      kubernetesVersion: '1.35',
      locator: set.locator,
    });
    const found = [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()];
    return found.map(
      (d) =>
        `${d.resource?.name} ${d.path} ${d.span?.path}:${d.span?.start.line}:${d.span?.start.column} ${String(d.data?.['polaris'])} ${d.message}`,
    );
  }

  it('finds the same, placed the same, whichever comes first', () => {
    const want = findings([0, 1, 2, 3, 4]);
    expect(want).toHaveLength(1);
    expect(want[0]).toMatch(
      /^web-pdb \/spec\/minAvailable 0\.yaml:\d+:\d+ pdbMinAvailableGreaterThanHPAMinReplicas /,
    );
    const orders = permutations(documents.length);
    expect(orders).toHaveLength(120);
    for (const order of orders) {
      const got = findings(order);
      expect(got, order.join(',')).toEqual(want);
    }
  });
});
