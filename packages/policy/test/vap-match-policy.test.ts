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
