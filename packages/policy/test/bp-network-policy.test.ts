import { readFileSync } from 'node:fs';
import type { Diagnostic } from '@shipshape/core';
import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine, ruleOptionProblems } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { bpRule, container, deployment, pod } from './bp-helpers.js';

type Obj = Record<string, unknown>;

const rule = bpRule('bp/network-policy');

/** Findings of the rule over these resources (separate documents, in order), with options. */
function run(objects: readonly Obj[], options?: Obj): Diagnostic[] {
  const engine = createPolicyEngine({
    rules: [rule],
    kubernetesVersion: '1.35',
    ...(options ? { settings: { 'bp/network-policy': { options } } } : {}),
  });
  const resources = objects.map((o, i) => asResource(o, i));
  return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

/** A finding as `Kind/namespace/name pointer Directions` (the directions left open, from its data). */
function where(d: Diagnostic): string {
  const directions = (d.data?.['directions'] as string[] | undefined)?.join('+') ?? '?';
  return `${d.resource?.kind}/${d.resource?.namespace || '-'}/${d.resource?.name} ${d.path} ${directions}`;
}

function netpol(
  name: string,
  namespace: string | undefined,
  spec: Obj | undefined,
  apiVersion?: string,
): Obj {
  return {
    apiVersion: apiVersion ?? 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    ...(spec === undefined ? {} : { spec }),
  };
}

const both = ['Ingress', 'Egress'];
const denyAll = (namespace: string | undefined) =>
  netpol('deny', namespace, { podSelector: {}, policyTypes: both });
/** The Deployment `web` (labels app=web, tier=api); `null` leaves its namespace unset. */
const web = (namespace: string | null = 'shop', labels: Obj = { app: 'web', tier: 'api' }) =>
  deployment('web', [container('web')], { ...(namespace ? { namespace } : {}), template: { labels } });
const selecting = (selector: Obj, namespace = 'shop') =>
  netpol('p', namespace, { podSelector: selector, policyTypes: both });
const expression = (key: string, operator: string, values?: string[]) => ({
  matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
});

const WEB = 'Deployment/shop/web /spec/template/metadata/labels';

interface Case {
  readonly name: string;
  /** The workload first; each case also runs with the resources in reverse order. */
  readonly resources: readonly Obj[];
  readonly options?: Obj;
  readonly want: readonly string[];
}

const cases: readonly Case[] = [
  // Selection: the full label selector of the API server.
  {
    name: 'matchLabels subset selects',
    resources: [web(), selecting({ matchLabels: { app: 'web' } })],
    want: [],
  },
  {
    name: 'matchLabels with another value does not',
    resources: [web(), selecting({ matchLabels: { app: 'web', tier: 'db' } })],
    want: [`${WEB} Ingress+Egress`],
  },
  { name: 'In selects', resources: [web(), selecting(expression('tier', 'In', ['api', 'edge']))], want: [] },
  {
    name: 'In without the value does not',
    resources: [web(), selecting(expression('tier', 'In', ['db']))],
    want: [`${WEB} Ingress+Egress`],
  },
  {
    name: 'NotIn of another value selects',
    resources: [web(), selecting(expression('tier', 'NotIn', ['db']))],
    want: [],
  },
  {
    name: 'NotIn of its value does not',
    resources: [web(), selecting(expression('tier', 'NotIn', ['api']))],
    want: [`${WEB} Ingress+Egress`],
  },
  { name: 'Exists selects', resources: [web(), selecting(expression('tier', 'Exists'))], want: [] },
  {
    name: 'Exists of a missing key does not',
    resources: [web(), selecting(expression('team', 'Exists'))],
    want: [`${WEB} Ingress+Egress`],
  },
  {
    name: 'DoesNotExist of a missing key selects',
    resources: [web(), selecting(expression('team', 'DoesNotExist'))],
    want: [],
  },
  {
    name: 'DoesNotExist of its key does not',
    resources: [web(), selecting(expression('tier', 'DoesNotExist'))],
    want: [`${WEB} Ingress+Egress`],
  },
  {
    name: 'matchLabels and matchExpressions must both hold',
    resources: [web(), selecting({ matchLabels: { app: 'web' }, ...expression('tier', 'In', ['db']) })],
    want: [`${WEB} Ingress+Egress`],
  },
  { name: 'an empty selector selects every pod', resources: [web(), selecting({})], want: [] },
  {
    name: 'an empty selector selects a pod without labels',
    resources: [deployment('web', [container('web')], { namespace: 'shop' }), selecting({})],
    want: [],
  },
  {
    name: 'a selector the API server rejects selects nothing',
    resources: [web(), selecting({ matchLabels: ['app', 'web'] })],
    want: [`${WEB} Ingress+Egress`],
  },
  // Namespaces: equal as written.
  {
    name: 'a policy of another namespace',
    resources: [web('shop'), denyAll('staging')],
    want: [`${WEB} Ingress+Egress`],
  },
  { name: 'unset matches unset', resources: [web(null), denyAll(undefined)], want: [] },
  {
    name: 'an unset namespace is not a set one',
    resources: [web('shop'), denyAll(undefined)],
    want: [`${WEB} Ingress+Egress`],
  },
  {
    name: 'a set namespace is not an unset one',
    resources: [web(null), denyAll('shop')],
    want: ['Deployment/-/web /spec/template/metadata/labels Ingress+Egress'],
  },
  // Directions: policyTypes, written or defaulted.
  { name: 'a default deny with no rules isolates', resources: [web(), denyAll('shop')], want: [] },
  {
    name: 'policyTypes left out, no egress: ingress only',
    resources: [web(), netpol('p', 'shop', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })],
    want: [`${WEB} Egress`],
  },
  {
    name: 'policyTypes left out, egress rules: both',
    resources: [web(), netpol('p', 'shop', { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] })],
    want: [],
  },
  {
    name: 'policyTypes left out, an empty egress list: ingress only',
    resources: [web(), netpol('p', 'shop', { podSelector: {}, egress: [] })],
    want: [`${WEB} Egress`],
  },
  {
    name: 'an empty policyTypes list is defaulted too',
    resources: [web(), netpol('p', 'shop', { podSelector: {}, policyTypes: [], egress: [{}] })],
    want: [],
  },
  {
    name: 'no spec at all: every pod, ingress only',
    resources: [web(), netpol('p', 'shop', undefined)],
    want: [`${WEB} Egress`],
  },
  {
    name: 'Egress only, even with ingress rules written',
    resources: [web(), netpol('p', 'shop', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })],
    want: [`${WEB} Ingress`],
  },
  {
    name: 'rules that allow everything still isolate',
    resources: [
      web(),
      netpol('p', 'shop', { podSelector: {}, policyTypes: both, ingress: [{}], egress: [{}] }),
    ],
    want: [],
  },
  {
    name: 'two policies, one direction each',
    resources: [
      web(),
      netpol('in', 'shop', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }),
      netpol('out', 'shop', { podSelector: {}, policyTypes: ['Egress'] }),
    ],
    want: [],
  },
  {
    name: 'a direction isolated by a policy that selects other pods does not count',
    resources: [
      web(),
      netpol('in', 'shop', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('out', 'shop', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'] }),
    ],
    want: [`${WEB} Egress`],
  },
  {
    name: 'policyTypes the API server rejects (case matters) isolate nothing',
    resources: [web(), netpol('p', 'shop', { podSelector: {}, policyTypes: ['ingress', 'Egress'] })],
    want: [`${WEB} Ingress+Egress`],
  },
  {
    name: 'more than two policyTypes are rejected',
    resources: [
      web(),
      netpol('p', 'shop', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }),
    ],
    want: [`${WEB} Ingress+Egress`],
  },
  // The directions option.
  {
    name: 'directions [Ingress]: an ingress-only policy is enough',
    options: { directions: ['Ingress'] },
    resources: [web(), netpol('p', 'shop', { podSelector: {} })],
    want: [],
  },
  {
    name: 'directions [Ingress]: an egress-only policy is not',
    options: { directions: ['Ingress'] },
    resources: [web(), netpol('p', 'shop', { podSelector: {}, policyTypes: ['Egress'] })],
    want: [`${WEB} Ingress`],
  },
  {
    name: 'directions [Egress]: nothing isolates egress',
    options: { directions: ['Egress'] },
    resources: [web(), netpol('p', 'shop', { podSelector: {} })],
    want: [`${WEB} Egress`],
  },
  // Policies of other APIs are not NetworkPolicies.
  {
    name: 'a Calico NetworkPolicy is not read',
    resources: [web(), { ...denyAll('shop'), apiVersion: 'crd.projectcalico.org/v1' }],
    want: [`${WEB} Ingress+Egress`],
  },
  {
    name: 'an extensions/v1beta1 NetworkPolicy is',
    resources: [web(), { ...denyAll('shop'), apiVersion: 'extensions/v1beta1' }],
    want: [],
  },
];

describe('bp/network-policy', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(run(c.resources, c.options).map(where)).toEqual(c.want);
      // Policies before the workload or after it (in a later file): the same verdict.
      expect(run([...c.resources].reverse(), c.options).map(where)).toEqual(c.want);
    });
  }

  it('checks every pod template, Jobs and CronJobs included, and bare Pods', () => {
    const job: Obj = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop' },
      spec: {
        template: { metadata: { labels: { app: 'migrate' } }, spec: { containers: [container('m')] } },
      },
    };
    const cronJob: Obj = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'shop' },
      spec: {
        schedule: '@daily',
        jobTemplate: {
          spec: {
            template: { metadata: { labels: { app: 'report' } }, spec: { containers: [container('r')] } },
          },
        },
      },
    };
    const bare = pod('debug', [container('debug')], {}, { namespace: 'shop', labels: { app: 'debug' } });
    const daemonSet: Obj = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'shop' },
      spec: { template: { spec: { containers: [container('agent')] } } },
    };
    const rollout: Obj = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'canary', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'canary' } }, spec: { containers: [container('c')] } } },
    };
    const all = [job, cronJob, bare, daemonSet, rollout];
    expect(run(all).map(where)).toEqual([
      'Job/shop/migrate /spec/template/metadata/labels Ingress+Egress',
      'CronJob/shop/report /spec/jobTemplate/spec/template/metadata/labels Ingress+Egress',
      'Pod/shop/debug /metadata/labels Ingress+Egress',
      // No labels written: the finding goes on the template, the nearest thing written.
      'DaemonSet/shop/agent /spec/template Ingress+Egress',
      'Rollout/shop/canary /spec/template/metadata/labels Ingress+Egress',
    ]);
    expect(run([...all, denyAll('shop')]).map(where)).toEqual([]);
    // Selected one by one: a Job's pods are matched by their template's labels.
    expect(run([job, cronJob, selecting(expression('app', 'In', ['migrate', 'report']))]).map(where)).toEqual(
      [],
    );
  });

  it('leaves out pods on the node network, which NetworkPolicy does not govern', () => {
    const host = deployment('node-agent', [container('a')], {
      namespace: 'shop',
      template: { labels: { app: 'a' } },
      spec: { hostNetwork: true },
    });
    expect(run([host]).map(where)).toEqual([]);
    expect(
      run([
        {
          ...host,
          spec: {
            template: {
              metadata: { labels: { app: 'a' } },
              spec: { hostNetwork: false, containers: [container('a')] },
            },
          },
        },
      ]).map(where),
    ).toEqual(['Deployment/shop/node-agent /spec/template/metadata/labels Ingress+Egress']);
  });

  it('isolates with a policy from a later file, and places findings in the workload file', () => {
    const workload = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web:1.0
`;
    const policy = (types: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: ${types}
`;
    const findings = (types: string) => {
      const set = parseManifests([
        { path: 'apps/web.yaml', content: workload },
        { path: 'policies/web.yaml', content: policy(types) },
      ]);
      expect(set.diagnostics).toEqual([]);
      const engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35', locator: set.locator });
      return [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()];
    };
    expect(findings('[Ingress, Egress]')).toEqual([]);
    const [only, ...rest] = findings('[Ingress]');
    expect(rest).toEqual([]);
    expect(only?.code).toBe('bp/network-policy');
    expect(only?.severity).toBe('warning');
    expect(only?.data).toEqual({ polaris: 'missingNetworkPolicy', directions: ['Egress'] });
    expect(only?.path).toBe('/spec/template/metadata/labels');
    expect([only?.span?.path, only?.span?.start.line, only?.span?.start.column]).toEqual([
      'apps/web.yaml',
      10,
      9,
    ]);
  });

  it('reports each workload once, across namespaces, and forgets policies after the run', () => {
    const engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35' });
    const pass = (objects: Obj[]) => [
      ...objects.flatMap((o, i) => engine.check(asResource(o, i))),
      ...engine.finish(),
    ];
    expect(pass([web('shop'), web('prod'), denyAll('prod'), web('staging')]).map(where)).toEqual([
      `${WEB} Ingress+Egress`,
      'Deployment/staging/web /spec/template/metadata/labels Ingress+Egress',
    ]);
    // The prod policy belonged to the first run.
    expect(pass([web('prod')]).map(where)).toEqual([
      'Deployment/prod/web /spec/template/metadata/labels Ingress+Egress',
    ]);
  });

  it('declares the directions option with a schema', () => {
    expect(rule.options?.['directions']?.default).toEqual(['Ingress', 'Egress']);
    expect(ruleOptionProblems(rule, { directions: ['Ingress'] })).toEqual([]);
    expect(ruleOptionProblems(rule, { directions: [] }).map((p) => p.name)).toEqual(['directions']);
    expect(ruleOptionProblems(rule, { directions: ['ingress'] }).map((p) => p.name)).toEqual(['directions']);
    expect(ruleOptionProblems(rule, { directions: ['Egress', 'Egress'] }).map((p) => p.name)).toEqual([
      'directions',
    ]);
  });

  // kube-score's own fixtures for `pod-networkpolicy` (score/networkpolicy_test.go), graded
  // CRITICAL (no direction isolated), WARNING (one) or OK (both).
  it("agrees with kube-score's pod-networkpolicy fixtures", () => {
    const root = new URL('../../../../shared/conformance/kube-score/', import.meta.url);
    const expected = JSON.parse(readFileSync(new URL('expected.json', root), 'utf8')) as {
      readonly fixtures: Readonly<Record<string, Readonly<Record<string, { readonly grade: string }>>>>;
    };
    const graded = Object.entries(expected.fixtures)
      .filter(([, checks]) => checks['pod-networkpolicy'] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    expect(graded).toHaveLength(6);
    // Findings on the fixture, as the number of directions each leaves open.
    const openCounts = (file: string) => {
      const documents = loadAll(readFileSync(new URL(file, root), 'utf8')) as Obj[];
      return run(documents).map((d) => (d.data?.['directions'] as string[] | undefined)?.length);
    };
    const want: Readonly<Record<string, readonly number[]>> = { CRITICAL: [2], WARNING: [1], OK: [] };
    expect(
      graded.map(([file, checks]) => [file, checks['pod-networkpolicy']?.grade, openCounts(file)]),
    ).toEqual(
      graded.map(([file, checks]) => {
        const grade = checks['pod-networkpolicy']?.grade;
        return [file, grade, want[grade ?? '']];
      }),
    );
  });
});
