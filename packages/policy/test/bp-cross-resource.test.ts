import type { Diagnostic } from '@shipshape/core';
import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine, type Rule } from '@shipshape/policy';
import { asResource, RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { bpRule, container, deployment, pod } from './bp-helpers.js';

type Obj = Record<string, unknown>;

/** Run one rule over resources as separate documents, in order; findings as `Kind/ns/name path`. */
function run(rule: Rule, objects: readonly Obj[]): Diagnostic[] {
  const engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35' });
  const resources = objects.map((o, i) => asResource(o, i));
  return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

function where(d: Diagnostic): string {
  return `${d.resource?.kind}/${d.resource?.namespace || '-'}/${d.resource?.name} ${d.path}`;
}

const rbac = 'rbac.authorization.k8s.io';

function role(name: string, namespace: string, rules: unknown[]): Obj {
  return { apiVersion: `${rbac}/v1`, kind: 'Role', metadata: { name, namespace }, rules };
}

function clusterRole(name: string, rules: unknown[]): Obj {
  return { apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name }, rules };
}

function binding(name: string, namespace: string | undefined, kind: string, roleName: string): Obj {
  return {
    apiVersion: `${rbac}/v1`,
    kind: namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    roleRef: { apiGroup: rbac, kind, name: roleName },
    subjects: [{ kind: 'Group', apiGroup: rbac, name: 'devs' }],
  };
}

const execRule = { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] };
const readRule = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };
const allRule = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };

describe('bp/sa-token-automount', () => {
  const account = (name: string, namespace: string, automount?: boolean) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace },
    ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
  });
  const workload = (name: string, namespace: string, spec: Obj = {}) =>
    deployment(name, [container(name)], { namespace, spec });

  it('looks the ServiceAccount up in the pod namespace, in any order', () => {
    new RuleTester(bpRule('bp/sa-token-automount')).assert({
      valid: [
        {
          name: 'pod opts out',
          resources: [workload('web', 'shop', { automountServiceAccountToken: false })],
        },
        {
          name: 'account after the pod',
          resources: [workload('web', 'shop', { serviceAccountName: 'web' }), account('web', 'shop', false)],
        },
        {
          name: 'the default account',
          resources: [account('default', 'shop', false), workload('web', 'shop')],
        },
      ],
      invalid: [
        {
          name: 'account in another namespace',
          resources: [
            workload('web', 'shop', { serviceAccountName: 'web' }),
            account('web', 'staging', false),
          ],
          reports: [
            {
              path: '/spec/template/spec',
              message:
                'pod mounts the token of ServiceAccount web: set automountServiceAccountToken: false on the pod or on the ServiceAccount',
            },
          ],
        },
        {
          name: 'pod opts in, overriding the account',
          resources: [
            workload('web', 'shop', { automountServiceAccountToken: true }),
            account('default', 'shop', false),
          ],
          reports: [
            {
              path: '/spec/template/spec/automountServiceAccountToken',
              message:
                'pod mounts its ServiceAccount token: set automountServiceAccountToken to false unless it calls the API server',
            },
          ],
        },
        {
          name: 'account not in the repository',
          resources: [pod('p', [container('p')])],
          reports: ['/spec'],
        },
      ],
    });
  });

  it('forgets the accounts of one run before the next', () => {
    const rule = bpRule('bp/sa-token-automount');
    expect(run(rule, [account('default', 'shop', false), workload('web', 'shop')])).toEqual([]);
    expect(run(rule, [workload('web', 'shop')]).map(where)).toEqual([
      'Deployment/shop/web /spec/template/spec',
    ]);
  });

  it('places the finding on the key of the pod spec', () => {
    const [d] = run(bpRule('bp/sa-token-automount'), [workload('web', 'shop')]);
    expect(d?.severity).toBe('warning');
    expect(d?.data).toEqual({ polaris: 'automountServiceAccountToken' });
  });
});

describe('bp/pdb-present', () => {
  const pdb = (name: string, namespace: string, selector: unknown) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { maxUnavailable: 1, selector },
  });
  const web = (namespace: string, labels: Obj = { app: 'web', tier: 'api' }) =>
    deployment('web', [container('web')], { namespace, template: { labels } });

  it('selects with matchLabels and matchExpressions, in the same namespace', () => {
    new RuleTester(bpRule('bp/pdb-present')).assert({
      valid: [
        {
          name: 'subset of the labels',
          resources: [pdb('p', 'shop', { matchLabels: { app: 'web' } }), web('shop')],
        },
        {
          name: 'matchExpressions only',
          resources: [
            web('shop'),
            pdb('p', 'shop', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api'] }] }),
          ],
        },
        { name: 'empty selector selects all', resources: [web('shop'), pdb('p', 'shop', {})] },
        {
          name: 'StatefulSets only when asked',
          resources: [
            {
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              metadata: { name: 'db' },
              spec: { template: { spec: { containers: [container('db')] } } },
            },
          ],
        },
      ],
      invalid: [
        {
          name: 'one label in common is not enough',
          resources: [web('shop'), pdb('p', 'shop', { matchLabels: { app: 'web', tier: 'db' } })],
          reports: [
            {
              path: '/spec/template/metadata/labels',
              message: 'no PodDisruptionBudget in namespace shop selects the pods of Deployment web: add one',
            },
          ],
        },
        {
          name: 'NotIn excludes the pods',
          resources: [
            web('shop'),
            pdb('p', 'shop', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['api'] }] }),
          ],
          reports: ['/spec/template/metadata/labels'],
        },
        {
          name: 'template without labels',
          resources: [deployment('web', [container('web')], { template: { annotations: {} } })],
          reports: [
            {
              path: '/spec/template/metadata',
              message:
                'pod template has no labels a PodDisruptionBudget could select: add labels and a budget that selects them',
            },
          ],
        },
        {
          name: 'StatefulSet through the kinds option',
          options: { kinds: ['StatefulSet'] },
          resources: [
            {
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              metadata: { name: 'db', namespace: 'data' },
              spec: {
                template: { metadata: { labels: { app: 'db' } }, spec: { containers: [container('db')] } },
              },
            },
          ],
          reports: [
            {
              path: '/spec/template/metadata/labels',
              message: 'no PodDisruptionBudget in namespace data selects the pods of StatefulSet db: add one',
            },
          ],
        },
      ],
    });
  });

  it('reads a __proto__ key of matchLabels as a label the pods must have', () => {
    // A copy of the selector once dropped that key (when a value had 13 characters or more), and the
    // budget then selected pods without the label.
    const selector = JSON.parse(
      '{"matchLabels": {"__proto__": "web", "app": "a-value-of-thirteen-or-more"}}',
    );
    const found = run(bpRule('bp/pdb-present'), [
      pdb('p', 'shop', selector),
      web('shop', { app: 'a-value-of-thirteen-or-more' }),
    ]);
    expect(found.map(where)).toEqual(['Deployment/shop/web /spec/template/metadata/labels']);
  });

  it('reports every uncovered workload across namespaces', () => {
    const found = run(bpRule('bp/pdb-present'), [
      web('shop'),
      web('staging'),
      pdb('p', 'staging', { matchLabels: { app: 'web' } }),
      web('prod'),
    ]);
    expect(found.map(where)).toEqual([
      'Deployment/shop/web /spec/template/metadata/labels',
      'Deployment/prod/web /spec/template/metadata/labels',
    ]);
  });
});

describe('bp/service-selector', () => {
  const service = (name: string, namespace: string, spec: Obj) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec,
  });
  const workload = (namespace: string, labels: Obj) =>
    deployment('web', [container('web')], { namespace, template: { labels } });

  it('matches pod templates of any workload kind, namespace by namespace', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'shop' },
      spec: {
        jobTemplate: {
          spec: { template: { metadata: { labels: { job: 'report' } }, spec: { containers: [] } } },
        },
      },
    };
    new RuleTester(bpRule('bp/service-selector')).assert({
      valid: [
        {
          name: 'Deployment',
          resources: [
            service('web', 'shop', { selector: { app: 'web' } }),
            workload('shop', { app: 'web', v: '2' }),
          ],
        },
        {
          name: 'CronJob template',
          resources: [service('r', 'shop', { selector: { job: 'report' } }), cron],
        },
        {
          name: 'bare Pod',
          resources: [
            service('p', 'shop', { selector: { run: 'x' } }),
            pod('x', [], {}, { namespace: 'shop', labels: { run: 'x' } }),
          ],
        },
        { name: 'no selector', resources: [service('db', 'shop', { ports: [{ port: 5432 }] })] },
        {
          name: 'ExternalName',
          resources: [
            service('ext', 'shop', {
              type: 'ExternalName',
              externalName: 'db.example.com',
              selector: { a: 'b' },
            }),
          ],
        },
        {
          name: 'a Knative Service is another kind',
          resources: [
            {
              apiVersion: 'serving.knative.dev/v1',
              kind: 'Service',
              metadata: { name: 'k' },
              spec: { selector: { a: 'b' } },
            },
          ],
        },
      ],
      invalid: [
        {
          name: 'workload in another namespace',
          resources: [
            service('web', 'shop', { selector: { app: 'web' } }),
            workload('staging', { app: 'web' }),
          ],
          reports: [
            {
              path: '/spec/selector',
              message:
                'Service web selects app=web, which matches no pod or pod template in namespace shop: align spec.selector with the pod labels',
            },
          ],
        },
        {
          name: 'one label differs',
          resources: [
            service('web', 'shop', { selector: { app: 'web', tier: 'api' } }),
            workload('shop', { app: 'web', tier: 'frontend' }),
          ],
          reports: [
            {
              path: '/spec/selector',
              message:
                'Service web selects app=web,tier=api, which matches no pod or pod template in namespace shop: align spec.selector with the pod labels',
            },
          ],
        },
      ],
    });
  });

  it('sees workloads from later files and forgets them after the run', () => {
    const rule = bpRule('bp/service-selector');
    const svc = service('web', 'shop', { selector: { app: 'web' } });
    expect(
      run(rule, [
        svc,
        service('api', 'shop', { selector: { app: 'api' } }),
        workload('shop', { app: 'web' }),
      ]).map(where),
    ).toEqual(['Service/shop/api /spec/selector']);
    expect(run(rule, [svc]).map(where)).toEqual(['Service/shop/web /spec/selector']);
  });
});

describe('bp/replicas', () => {
  const hpa = (namespace: string, target: string) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `${target}-hpa`, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 2,
      maxReplicas: 4,
    },
  });
  const web = (namespace: string, replicas?: number) =>
    deployment('web', [container('web')], {
      namespace,
      ...(replicas === undefined ? {} : { top: { replicas } }),
    });

  it('needs two replicas unless an autoscaler in the namespace scales the Deployment', () => {
    new RuleTester(bpRule('bp/replicas')).assert({
      valid: [
        { name: 'three', resources: [web('shop', 3)] },
        { name: 'autoscaled', resources: [web('shop'), hpa('shop', 'web')] },
      ],
      invalid: [
        {
          name: 'autoscaler in another namespace',
          resources: [web('shop'), hpa('staging', 'web')],
          reports: [
            {
              path: '/spec',
              message:
                'Deployment web does not set replicas and runs one: set spec.replicas to at least 2 or add a HorizontalPodAutoscaler',
            },
          ],
        },
        {
          name: 'below the option',
          resources: [web('shop', 2)],
          options: { minimum: 3 },
          reports: [
            {
              path: '/spec/replicas',
              message:
                'Deployment web runs 2 replica(s): set spec.replicas to at least 3 or add a HorizontalPodAutoscaler',
            },
          ],
        },
        {
          name: 'autoscaled, and writing the count the autoscaler owns',
          resources: [web('shop', 1), hpa('shop', 'web')],
          reports: [
            {
              path: '/spec/replicas',
              message:
                'Deployment web sets spec.replicas, but a HorizontalPodAutoscaler scales it: every apply or sync resets the count; remove spec.replicas',
            },
          ],
        },
      ],
    });
  });

  it('names a Deployment with a generated name by its prefix', () => {
    const set = parseManifests([
      {
        path: 'web.yaml',
        content:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {generateName: web-, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: "web:1.0"}]\n',
      },
    ]);
    const messages = (rule: Rule) => {
      const engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35' });
      return [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()].map((d) => d.message);
    };
    expect(messages(bpRule('bp/replicas'))).toEqual([
      'Deployment web-… does not set replicas and runs one: set spec.replicas to at least 2 or add a HorizontalPodAutoscaler',
    ]);
    // The instance label cannot name what the server will generate.
    expect(messages(bpRule('bp/labels'))).toEqual([]);
  });
});

describe('bp/rbac-exec-attach', () => {
  const rule = () => bpRule('bp/rbac-exec-attach');

  it('reports roles that allow exec, except system and default ones', () => {
    new RuleTester(rule()).assert({
      valid: [
        { name: 'read only', resources: [role('reader', 'shop', [readRule])] },
        { name: 'exec with list only', resources: [role('r', 'shop', [{ ...execRule, verbs: ['list'] }])] },
        { name: 'system role', resources: [role('system:debug', 'kube-system', [execRule])] },
        { name: 'default edit ClusterRole', resources: [clusterRole('edit', [execRule])] },
        {
          name: 'rules missing',
          resources: [
            { apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: {} },
          ],
        },
      ],
      invalid: [
        {
          name: 'ClusterRole with get on pods/attach via a wildcard group',
          resources: [
            clusterRole('attacher', [
              readRule,
              { apiGroups: ['*'], resources: ['pods/attach'], verbs: ['get'] },
            ]),
          ],
          reports: [
            {
              path: '/rules/1',
              message:
                'ClusterRole attacher lets its subjects exec into or attach to pods: remove pods/exec and pods/attach (or the get/create verbs) from this rule',
            },
          ],
        },
      ],
    });
  });

  it('resolves bindings across files: Roles by namespace, ClusterRoles anywhere, built-ins last', () => {
    const found = run(rule(), [
      binding('to-missing', 'shop', 'Role', 'ghost'),
      binding('to-other-ns', 'shop', 'Role', 'debugger'),
      role('debugger', 'staging', [execRule]),
      binding('to-debugger', 'staging', 'Role', 'debugger'),
      binding('to-reader', 'shop', 'Role', 'reader'),
      role('reader', 'shop', [readRule]),
      binding('rb-to-cluster-role', 'shop', 'ClusterRole', 'ops'),
      clusterRole('ops', [allRule]),
      binding('to-view', undefined, 'ClusterRole', 'view'),
      binding('to-edit', undefined, 'ClusterRole', 'edit'),
      binding('system:kube', undefined, 'ClusterRole', 'ops'),
    ]);
    expect(found.map((d) => `${where(d)} ${d.severity} ${String(d.data?.['polaris'])}`)).toEqual([
      'Role/staging/debugger /rules/0 error rolePodExecAttach',
      'ClusterRole/-/ops /rules/0 error clusterrolePodExecAttach',
      'RoleBinding/shop/to-missing /roleRef/name warning rolebindingRolePodExecAttach',
      'RoleBinding/shop/to-other-ns /roleRef/name warning rolebindingRolePodExecAttach',
      'RoleBinding/staging/to-debugger /roleRef/name error rolebindingRolePodExecAttach',
      'RoleBinding/shop/rb-to-cluster-role /roleRef/name error rolebindingClusterRolePodExecAttach',
      'ClusterRoleBinding/-/to-edit /roleRef/name error clusterrolebindingPodExecAttach',
    ]);
    expect(found[2]?.message).toBe(
      'RoleBinding to-missing binds Role ghost, which is not in the repository: cannot check that it does not allow exec into pods',
    );
    expect(found[4]?.message).toBe(
      'RoleBinding to-debugger binds Role debugger, which allows exec into or attach to pods: bind a role without pods/exec and pods/attach',
    );
  });

  it('reports an incomplete roleRef as unverifiable', () => {
    const bad = { ...binding('b', 'shop', 'Role', 'r'), roleRef: { kind: 'Role', name: 'r' } };
    const found = run(rule(), [bad, role('r', 'shop', [readRule])]);
    expect(found.map((d) => `${where(d)} ${d.severity}`)).toEqual(['RoleBinding/shop/b /roleRef warning']);
    expect(found[0]?.message).toBe(
      'RoleBinding b has an incomplete roleRef: name apiGroup rbac.authorization.k8s.io, a kind and a name',
    );
  });

  it('forgets the roles of one run before the next', () => {
    const r = rule();
    expect(run(r, [role('reader', 'shop', [readRule]), binding('b', 'shop', 'Role', 'reader')])).toEqual([]);
    expect(run(r, [binding('b', 'shop', 'Role', 'reader')]).map((d) => d.severity)).toEqual(['warning']);
  });
});

describe('bp/rbac-cluster-admin', () => {
  const rule = () => bpRule('bp/rbac-cluster-admin');

  it('reports cluster-admin and wildcard roles, leaving system bindings alone', () => {
    new RuleTester(rule()).assert({
      valid: [
        {
          name: 'system binding',
          resources: [binding('system:masters', undefined, 'ClusterRole', 'cluster-admin')],
        },
        {
          name: 'binding named cluster-admin',
          resources: [binding('cluster-admin', undefined, 'ClusterRole', 'cluster-admin')],
        },
        {
          name: 'built-in view from a RoleBinding',
          resources: [binding('read', 'shop', 'ClusterRole', 'view')],
        },
        { name: 'built-in edit', resources: [binding('write', undefined, 'ClusterRole', 'edit')] },
        {
          name: 'six of the seven verbs',
          resources: [
            binding('b', undefined, 'ClusterRole', 'wide'),
            clusterRole('wide', [
              {
                apiGroups: ['*'],
                resources: ['*'],
                verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
              },
            ]),
          ],
        },
      ],
      invalid: [
        {
          name: 'RoleBinding to cluster-admin',
          resources: [binding('ops', 'shop', 'ClusterRole', 'cluster-admin')],
          reports: [
            {
              path: '/roleRef/name',
              message:
                'RoleBinding ops grants cluster-admin: bind a role that lists only the resources and verbs needed',
            },
          ],
        },
        {
          name: 'all seven verbs and more',
          resources: [
            binding('b', undefined, 'ClusterRole', 'wide'),
            clusterRole('wide', [
              readRule,
              {
                apiGroups: ['*'],
                resources: ['*'],
                verbs: ['delete', 'get', 'list', 'watch', 'create', 'update', 'patch', 'deletecollection'],
              },
            ]),
          ],
          reports: [
            {
              path: '/roleRef/name',
              message:
                'ClusterRoleBinding b binds ClusterRole wide, which has wildcard permissions like cluster-admin: bind a role that lists only the resources and verbs needed',
            },
          ],
        },
      ],
    });
  });

  it('tags each finding with its Polaris check and lowers unverifiable ones to warnings', () => {
    const found = run(rule(), [
      binding('to-role', 'shop', 'Role', 'everything'),
      role('everything', 'shop', [allRule]),
      binding('to-missing', undefined, 'ClusterRole', 'custom'),
      binding('rb-missing', 'shop', 'ClusterRole', 'custom'),
      clusterRole('cluster-wide', [allRule]),
      binding('rb-cluster', 'staging', 'ClusterRole', 'cluster-wide'),
    ]);
    expect(found.map((d) => `${where(d)} ${d.severity} ${String(d.data?.['polaris'])}`)).toEqual([
      'RoleBinding/shop/to-role /roleRef/name error rolebindingClusterAdminRole',
      'ClusterRoleBinding/-/to-missing /roleRef/name warning clusterrolebindingClusterAdmin',
      'RoleBinding/shop/rb-missing /roleRef/name warning rolebindingClusterAdminClusterRole',
      'RoleBinding/staging/rb-cluster /roleRef/name error rolebindingClusterAdminClusterRole',
    ]);
    expect(found[1]?.message).toBe(
      'ClusterRoleBinding to-missing binds ClusterRole custom, which is not in the repository: cannot check it for wildcard permissions',
    );
  });
});

describe('custom controllers (an Argo Rollout)', () => {
  const rollout = (kind = 'Rollout', group = 'argoproj.io'): Obj => ({
    apiVersion: `${group}/v1alpha1`,
    kind,
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          hostNetwork: true,
          containers: [{ name: 'web', image: 'nginx:latest', securityContext: { privileged: true } }],
        },
      },
    },
  });
  const service: Obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  };
  const findings = (objects: Obj[], packs: Rule[]) => {
    const engine = createPolicyEngine({ rules: packs, kubernetesVersion: '1.35' });
    const resources = objects.map((o, i) => asResource(o, i));
    return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
  };
  const ids = ['bp/host-namespaces', 'bp/privileged-container', 'bp/image-tag', 'bp/service-selector'];

  it('checks the pods of custom resources as Polaris does, and their Services select them', () => {
    const ds = findings([rollout(), service], ids.map(bpRule));
    expect(ds.map(where).sort()).toEqual([
      'Rollout/shop/web /spec/template/spec/containers/0/image',
      'Rollout/shop/web /spec/template/spec/containers/0/securityContext/privileged',
      'Rollout/shop/web /spec/template/spec/hostNetwork',
    ]);
  });

  it('leaves the kinds of the Kubernetes API to their own rules: a CronJob is no custom resource', () => {
    // A built-in kind in a built-in group is read as the API defines it, never by the generic search.
    const notWorkload = { ...rollout('ConfigMap', 'v1'), apiVersion: 'v1' };
    expect(findings([notWorkload], ids.map(bpRule)).map(where)).toEqual([]);
  });
});

describe('Windows pods', () => {
  it('get no Linux security advice the API server would refuse for them', () => {
    const linuxOnly = [
      'bp/privilege-escalation',
      'bp/read-only-root-fs',
      'bp/drop-capabilities',
      'bp/linux-hardening',
    ];
    const engine = (objects: Obj[]) => {
      const e = createPolicyEngine({ rules: linuxOnly.map(bpRule), kubernetesVersion: '1.35' });
      return objects.flatMap((o, i) => e.check(asResource(o, i))).map((d) => d.code);
    };
    const linux = pod('app', [container('app')]);
    expect(engine([linux]).sort()).toEqual([...linuxOnly].sort());
    expect(engine([pod('app', [container('app')], { os: { name: 'windows' } })])).toEqual([]);
    expect(engine([pod('app', [container('app')], { os: { name: 'linux' } })]).sort()).toEqual(
      [...linuxOnly].sort(),
    );
  });
});

describe('bp/service-selector and labels controllers set', () => {
  it('matches a Service that selects one StatefulSet pod by the rest of its selector', () => {
    const sts: Obj = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [container('db')] } } },
    };
    const service = (selector: Obj): Obj => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db-0', namespace: 'shop' },
      spec: { selector },
    });
    const rule = () => bpRule('bp/service-selector');
    expect(run(rule(), [sts, service({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' })])).toEqual(
      [],
    );
    expect(run(rule(), [sts, service({ 'statefulset.kubernetes.io/pod-name': 'db-0' })])).toEqual([]);
    expect(
      run(rule(), [sts, service({ app: 'cache', 'statefulset.kubernetes.io/pod-name': 'db-0' })]).map(
        (d) => d.message,
      ),
    ).toEqual([
      'Service db-0 selects app=cache, which matches no pod or pod template in namespace shop: align spec.selector with the pod labels',
    ]);
  });
});
