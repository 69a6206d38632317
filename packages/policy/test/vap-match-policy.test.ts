import { describe, expect, it } from 'vitest';
import { binding, deployment, type Obj, policy, runVap, summarize } from './vap-fixtures.js';

// `matchPolicy` as the API server applies it: a rule matches the request's own group, version and
// resource; under Equivalent also a version the server would convert the object to, which is one
// it serves (its EquivalentResourceRegistry holds what is installed). An object written in a
// version the server does not serve never reaches admission.

interface Rule {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** A policy denying whatever its one rule matches, and its binding: one finding per match. */
function denying(rule: Rule, spec: Obj = {}): Obj[] {
  const resourceRules = [
    {
      apiGroups: [rule.group],
      apiVersions: [rule.version],
      operations: ['CREATE'],
      resources: [rule.resource],
    },
  ];
  return [
    policy('deny', {
      matchConstraints: { resourceRules, ...spec },
      validations: [{ expression: 'false', message: 'matched' }],
    }),
    binding('deny', {}),
  ];
}

const object = (apiVersion: string, kind: string, name = 'it'): Obj => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'x' },
});

const widgets = (versions: Obj[]): Obj => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions },
});
const WIDGETS = widgets([
  { name: 'v1', served: true, storage: true },
  { name: 'v1beta1', served: false, storage: false },
]);

interface Case {
  readonly name: string;
  readonly objects: readonly Obj[];
  readonly rule: Rule;
  readonly matchPolicy?: 'Equivalent' | 'Exact';
  readonly kubernetesVersion: string;
  readonly matches: boolean;
}

const apps = (version: string): Rule => ({ group: 'apps', version, resource: 'deployments' });
const hpas = (version: string): Rule => ({
  group: 'autoscaling',
  version,
  resource: 'horizontalpodautoscalers',
});
const web = deployment('it', 'x', 1);
const hpaV2 = object('autoscaling/v2', 'HorizontalPodAutoscaler');

const CASES: readonly Case[] = [
  // A version the release no longer serves is no equivalent.
  {
    name: 'apps/v1beta1 rule, apps/v1 object, 1.35',
    objects: [web],
    rule: apps('v1beta1'),
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'apps/v1beta1 rule, apps/v1 object, 1.29',
    objects: [web],
    rule: apps('v1beta1'),
    kubernetesVersion: '1.29',
    matches: false,
  },
  {
    name: 'apps/v1beta1 rule, apps/v1 object, 1.15 (served)',
    objects: [web],
    rule: apps('v1beta1'),
    kubernetesVersion: '1.15',
    matches: true,
  },
  {
    name: 'autoscaling/v2beta2 rule, v2 object, 1.35',
    objects: [hpaV2],
    rule: hpas('v2beta2'),
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'autoscaling/v2beta2 rule, v2 object, 1.25 (served)',
    objects: [hpaV2],
    rule: hpas('v2beta2'),
    kubernetesVersion: '1.25',
    matches: true,
  },
  {
    name: 'events.k8s.io/v1beta1 rule, core v1 Event, 1.35',
    objects: [object('v1', 'Event')],
    rule: { group: 'events.k8s.io', version: 'v1beta1', resource: 'events' },
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'events.k8s.io/v1beta1 rule, core v1 Event, 1.24 (served)',
    objects: [object('v1', 'Event')],
    rule: { group: 'events.k8s.io', version: 'v1beta1', resource: 'events' },
    kubernetesVersion: '1.24',
    matches: true,
  },
  {
    name: 'resource.k8s.io/v1beta1 rule, v1 ResourceClaim, 1.35 (served)',
    objects: [object('resource.k8s.io/v1', 'ResourceClaim')],
    rule: { group: 'resource.k8s.io', version: 'v1beta1', resource: 'resourceclaims' },
    kubernetesVersion: '1.35',
    matches: true,
  },
  {
    name: 'resource.k8s.io/v1beta1 rule, v1 ResourceClaim, 1.36 (removed)',
    objects: [object('resource.k8s.io/v1', 'ResourceClaim')],
    rule: { group: 'resource.k8s.io', version: 'v1beta1', resource: 'resourceclaims' },
    kubernetesVersion: '1.36',
    matches: false,
  },
  // Served equivalents still match, across versions and groups.
  {
    name: 'autoscaling/v1 rule, v2 object, 1.35',
    objects: [hpaV2],
    rule: hpas('v1'),
    kubernetesVersion: '1.35',
    matches: true,
  },
  {
    name: 'autoscaling/v1 rule, v2 object, 1.40 (past the table)',
    objects: [hpaV2],
    rule: hpas('v1'),
    kubernetesVersion: '1.40',
    matches: true,
  },
  {
    name: 'core v1 events rule, events.k8s.io/v1 Event, 1.35',
    objects: [object('events.k8s.io/v1', 'Event')],
    rule: { group: '', version: 'v1', resource: 'events' },
    kubernetesVersion: '1.35',
    matches: true,
  },
  {
    name: 'apps/v1 rule, extensions/v1beta1 object, 1.15 (served)',
    objects: [{ ...web, apiVersion: 'extensions/v1beta1' }],
    rule: apps('v1'),
    kubernetesVersion: '1.15',
    matches: true,
  },
  // Exact is unchanged: only the object's own group and version.
  {
    name: 'Exact: apps/v1beta1 rule, apps/v1 object, 1.15',
    objects: [web],
    rule: apps('v1beta1'),
    matchPolicy: 'Exact',
    kubernetesVersion: '1.15',
    matches: false,
  },
  {
    name: 'Exact: apps/v1 rule, apps/v1 object, 1.35',
    objects: [web],
    rule: apps('v1'),
    matchPolicy: 'Exact',
    kubernetesVersion: '1.35',
    matches: true,
  },
  {
    name: 'Exact: autoscaling/v1 rule, v2 object, 1.35',
    objects: [hpaV2],
    rule: hpas('v1'),
    matchPolicy: 'Exact',
    kubernetesVersion: '1.35',
    matches: false,
  },
  // An object in a version the release does not serve is not admitted, whatever the rule.
  {
    name: 'extensions/v1beta1 Deployment, Exact rule naming it, 1.35',
    objects: [{ ...web, apiVersion: 'extensions/v1beta1' }],
    rule: { group: 'extensions', version: 'v1beta1', resource: 'deployments' },
    matchPolicy: 'Exact',
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'batch/v1beta1 CronJob, rule on every version, 1.35',
    objects: [object('batch/v1beta1', 'CronJob')],
    rule: { group: 'batch', version: '*', resource: 'cronjobs' },
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'batch/v1beta1 CronJob, rule on every version, 1.24 (served)',
    objects: [object('batch/v1beta1', 'CronJob')],
    rule: { group: 'batch', version: '*', resource: 'cronjobs' },
    kubernetesVersion: '1.24',
    matches: true,
  },
  {
    name: 'autoscaling/v3 object (no such version), 1.35',
    objects: [object('autoscaling/v3', 'HorizontalPodAutoscaler')],
    rule: hpas('*'),
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'autoscaling/v3 object (maybe new), 1.40',
    objects: [object('autoscaling/v3', 'HorizontalPodAutoscaler')],
    rule: hpas('*'),
    kubernetesVersion: '1.40',
    matches: true,
  },
  // A built-in resource with one version has no other.
  {
    name: 'v2 configmaps rule, v1 ConfigMap',
    objects: [object('v1', 'ConfigMap')],
    rule: { group: '', version: 'v2', resource: 'configmaps' },
    kubernetesVersion: '1.35',
    matches: false,
  },
  // Custom resources: every version the definition lists is an equivalent, served or not; only
  // served ones are admitted. Without the definition, the version a rule names is assumed to exist.
  {
    name: 'CRD: unserved v1beta1 rule, v1 object',
    objects: [WIDGETS, object('example.com/v1', 'Widget')],
    rule: { group: 'example.com', version: 'v1beta1', resource: 'widgets' },
    kubernetesVersion: '1.35',
    matches: true,
  },
  {
    name: 'CRD: undefined v2 rule, v1 object',
    objects: [WIDGETS, object('example.com/v1', 'Widget')],
    rule: { group: 'example.com', version: 'v2', resource: 'widgets' },
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'CRD: object in the unserved v1beta1',
    objects: [WIDGETS, object('example.com/v1beta1', 'Widget')],
    rule: { group: 'example.com', version: '*', resource: 'widgets' },
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'CRD (v1beta1 form, one version): v1 rule, v1alpha1 object',
    objects: [
      {
        ...widgets([]),
        apiVersion: 'apiextensions.k8s.io/v1beta1',
        spec: { group: 'example.com', version: 'v1alpha1', names: { kind: 'Widget', plural: 'widgets' } },
      },
      object('example.com/v1alpha1', 'Widget'),
    ],
    rule: { group: 'example.com', version: 'v1', resource: 'widgets' },
    kubernetesVersion: '1.35',
    matches: false,
  },
  {
    name: 'no CRD: v2 rule, v1 object',
    objects: [object('example.com/v1', 'Widget')],
    rule: { group: 'example.com', version: 'v2', resource: 'widgets' },
    kubernetesVersion: '1.35',
    matches: true,
  },
];

describe('vap: matchPolicy and the versions the target Kubernetes serves', () => {
  it.each(CASES)('$name', (c) => {
    const found = runVap(
      [...c.objects, ...denying(c.rule, c.matchPolicy ? { matchPolicy: c.matchPolicy } : {})],
      {
        kubernetesVersion: c.kubernetesVersion,
      },
    );
    expect(summarize(found)).toEqual(c.matches ? ['vap/deny it (root) error'] : []);
  });

  it('applies the same matching to excludeResourceRules', () => {
    const rules = {
      resourceRules: [
        { apiGroups: ['apps'], apiVersions: ['*'], operations: ['*'], resources: ['deployments'] },
      ],
      excludeResourceRules: [
        { apiGroups: ['apps'], apiVersions: ['v1beta2'], operations: ['*'], resources: ['deployments'] },
      ],
    };
    const run = (kubernetesVersion: string) =>
      summarize(
        runVap(
          [
            web,
            policy('deny', { matchConstraints: rules, validations: [{ expression: 'false' }] }),
            binding('deny', {}),
          ],
          { kubernetesVersion },
        ),
      );
    // 1.15 serves apps/v1beta2, which the exclusion names; 1.16 no longer does.
    expect(run('1.15')).toEqual([]);
    expect(run('1.16')).toEqual(['vap/deny it (root) error']);
  });
});

// Matched through an equivalent version, the API server gives CEL the version the policy's rule
// names as `request.kind` and `request.resource`, the object's own as `requestKind` and
// `requestResource` (`CreateAdmissionRequest` in apiserver's admission/plugin/cel, fed by
// `matchesResourceRules`). The binding's rules only narrow; the policy's decide the version.
describe('vap: request.kind under matchPolicy Equivalent', () => {
  const REQUEST =
    "[request.kind.group, request.kind.version, request.kind.kind, request.resource.version, request.requestKind.version, request.requestResource.version, request.resource.resource, object.apiVersion].join(' ')";

  /** What `request` and `object.apiVersion` hold for `target` under a rule on `versions` of `rule`. */
  function seen(
    target: Obj,
    rule: Rule,
    versions: readonly string[],
    kubernetesVersion = '1.35',
    extra: readonly Obj[] = [],
    bindingRules?: Obj,
  ): string[] {
    const resourceRules = [
      { apiGroups: [rule.group], apiVersions: versions, operations: ['CREATE'], resources: [rule.resource] },
    ];
    return runVap(
      [
        target,
        ...extra,
        policy('show', {
          matchConstraints: { resourceRules },
          validations: [{ expression: 'false', messageExpression: REQUEST }],
        }),
        binding('show', bindingRules ? { matchResources: bindingRules } : {}),
      ],
      { kubernetesVersion },
    ).map((d) => d.message);
  }

  it("gives the rule's version as request.kind, the object's as requestKind", () => {
    // The object itself is converted to the rule's version too.
    expect(seen(hpaV2, hpas('v1'), ['v1'])).toEqual([
      'autoscaling v1 HorizontalPodAutoscaler v1 v2 v2 horizontalpodautoscalers autoscaling/v1',
    ]);
    // Another group sharing the storage: an apps/v1 Deployment seen by an extensions rule at 1.15.
    expect(
      seen(web, { group: 'extensions', version: 'v1beta1', resource: 'deployments' }, ['v1beta1'], '1.15'),
    ).toEqual(['extensions v1beta1 Deployment v1beta1 v1 v1 deployments extensions/v1beta1']);
  });

  it("keeps the request's own when a rule names it too", () => {
    expect(seen(hpaV2, hpas('v1'), ['v1', 'v2'])).toEqual([
      'autoscaling v2 HorizontalPodAutoscaler v2 v2 v2 horizontalpodautoscalers autoscaling/v2',
    ]);
  });

  it("takes the policy's match, not the binding's", () => {
    const bindingRules = {
      resourceRules: [
        {
          apiGroups: ['autoscaling'],
          apiVersions: ['v2'],
          operations: ['*'],
          resources: ['horizontalpodautoscalers'],
        },
      ],
    };
    expect(seen(hpaV2, hpas('v1'), ['v1'], '1.35', [], bindingRules)).toEqual([
      'autoscaling v1 HorizontalPodAutoscaler v1 v2 v2 horizontalpodautoscalers autoscaling/v1',
    ]);
  });

  it('renames a custom resource whose definition converts by apiVersion only, and no other', () => {
    const both = [
      { name: 'v1', served: true, storage: true },
      { name: 'v1beta1', served: true, storage: false },
    ];
    const widget = object('example.com/v1', 'Widget');
    const rule = { group: 'example.com', version: 'v1beta1', resource: 'widgets' };
    expect(seen(widget, rule, ['v1beta1'], '1.35', [widgets(both)])).toEqual([
      'example.com v1beta1 Widget v1beta1 v1 v1 widgets example.com/v1beta1',
    ]);
    const webhook = {
      ...widgets(both),
      spec: { ...(widgets(both)['spec'] as Obj), conversion: { strategy: 'Webhook' } },
    };
    expect(seen(widget, rule, ['v1beta1'], '1.35', [webhook])).toEqual([
      'example.com v1beta1 Widget v1beta1 v1 v1 widgets example.com/v1',
    ]);
    // Without the definition, the first version the rule names stands in; nothing is converted.
    expect(seen(widget, rule, ['v1beta1', 'v1alpha1'])).toEqual([
      'example.com v1beta1 Widget v1beta1 v1 v1 widgets example.com/v1',
    ]);
  });
});
