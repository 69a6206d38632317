import type { Diagnostic } from '@shipshape/core';
import { admissionPolicyRule, createPolicyEngine } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { binding, deployment, namespace, type Obj, policy, summarize } from './vap-fixtures.js';

/** Run the vap rule over `objects`, with `previous` as the objects before the change. */
function runUpdate(objects: readonly Obj[], previous: readonly Obj[]): Diagnostic[] {
  const rule = admissionPolicyRule({ previous: previous.map((object, i) => asResource(object, i)) });
  const engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35' });
  const resources = objects.map((object, i) => asResource(object, i));
  return [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
}

function rules(operations: string[], group = 'apps', resource = 'deployments', version = 'v1'): Obj {
  return {
    resourceRules: [{ apiGroups: [group], apiVersions: [version], operations, resources: [resource] }],
  };
}

/** A policy denying a Deployment whose replicas go down, with its binding. */
function noScaleDown(operations = ['UPDATE'], match: Obj = {}): Obj[] {
  return [
    policy('no-scale-down', {
      matchConstraints: { ...rules(operations), ...match },
      validations: [
        {
          expression: 'oldObject == null || object.spec.replicas >= oldObject.spec.replicas',
          messageExpression:
            "'replicas go down from ' + string(oldObject.spec.replicas) + ' to ' + string(object.spec.replicas)",
        },
      ],
    }),
    binding('no-scale-down', {}),
  ];
}

describe('vap: a resource the previous objects hold is judged as an UPDATE', () => {
  it('gives the previous object as oldObject, and only UPDATE rules match it', () => {
    const diagnostics = runUpdate(
      [deployment('web', 'shop', 2), ...noScaleDown()],
      [deployment('web', 'shop', 5)],
    );
    expect(summarize(diagnostics)).toEqual(['vap/no-scale-down web /spec/replicas error']);
    expect(diagnostics[0]?.message).toBe('replicas go down from 5 to 2');
    expect(diagnostics[0]?.data?.['operation']).toBe('UPDATE');
    // Scaling up passes; without a previous object the request is a CREATE, which the rule skips.
    expect(
      runUpdate([deployment('web', 'shop', 7), ...noScaleDown()], [deployment('web', 'shop', 5)]),
    ).toEqual([]);
    expect(runUpdate([deployment('web', 'shop', 2), ...noScaleDown()], [])).toEqual([]);
  });

  it('matches a CREATE-only rule for new resources, not for changed ones', () => {
    const createOnly = [
      policy('create-only', {
        matchConstraints: rules(['CREATE']),
        validations: [{ expression: 'false', message: 'denied' }],
      }),
      binding('create-only', {}),
    ];
    const objects = [deployment('old', 'shop', 1), deployment('new', 'shop', 1), ...createOnly];
    expect(summarize(runUpdate(objects, [deployment('old', 'shop', 2)]))).toEqual([
      'vap/create-only new (root) error',
    ]);
    // `*` names every operation.
    const any = [
      policy('any', { matchConstraints: rules(['*']), validations: [{ expression: 'false' }] }),
      binding('any', {}),
    ];
    expect(
      summarize(runUpdate([deployment('old', 'shop', 1), ...any], [deployment('old', 'shop', 2)])),
    ).toEqual(['vap/any old (root) error']);
  });

  it('admits nothing for an object written exactly as it was: a sync sends no request for it', () => {
    const any = [
      policy('any', { matchConstraints: rules(['*']), validations: [{ expression: 'false' }] }),
      binding('any', {}),
    ];
    expect(runUpdate([deployment('same', 'shop', 3), ...any], [deployment('same', 'shop', 3)])).toEqual([]);
    // Its namespace written out or left to the default is still a change of the manifest.
    expect(
      summarize(runUpdate([deployment('same', 'default', 3), ...any], [deployment('same', undefined, 3)])),
    ).toEqual(['vap/any same (root) error']);
  });

  it('says UPDATE in request, with the PatchOptions of an apply', () => {
    const seen = [
      policy('request', {
        matchConstraints: rules(['CREATE', 'UPDATE']),
        validations: [
          { expression: 'false', messageExpression: "request.operation + ' ' + request.options.kind" },
        ],
      }),
      binding('request', {}),
    ];
    const messages = runUpdate(
      [deployment('old', 'shop', 1), deployment('new', 'shop', 1), ...seen],
      [deployment('old', 'shop', 2)],
    ).map((d) => `${d.resource?.name} ${d.message}`);
    expect(messages).toEqual(['old UPDATE PatchOptions', 'new CREATE CreateOptions']);
  });

  it('finds the previous object by group, kind, namespace (defaulted) and name', () => {
    const run = (previous: Obj) =>
      summarize(runUpdate([deployment('web', undefined, 2), ...noScaleDown()], [previous]));
    const denied = ['vap/no-scale-down web /spec/replicas error'];
    // A namespaced object written without a namespace is in `default`, then as now.
    expect(run(deployment('web', 'default', 5))).toEqual(denied);
    expect(run(deployment('web', undefined, 5))).toEqual(denied);
    expect(run(deployment('web', 'shop', 5))).toEqual([]);
    expect(run(deployment('api', undefined, 5))).toEqual([]);
    expect(run({ ...deployment('web', undefined, 5), kind: 'StatefulSet' })).toEqual([]);
    expect(run({ ...deployment('web', undefined, 5), apiVersion: 'example.com/v1' })).toEqual([]);
  });

  it('takes the last previous object when the previous tree held one twice', () => {
    const diagnostics = runUpdate(
      [deployment('web', 'shop', 3), ...noScaleDown()],
      [deployment('web', 'shop', 2), deployment('web', 'shop', 4)],
    );
    expect(diagnostics.map((d) => d.message)).toEqual(['replicas go down from 4 to 3']);
  });

  it('fills the old object in as the API server decodes it: defaults and the namespace', () => {
    const { spec, ...rest } = deployment('web', undefined, 1);
    const withoutReplicas = { ...rest, spec: { ...(spec as Obj), replicas: undefined } };
    delete (withoutReplicas.spec as Obj)['replicas'];
    const read = [
      policy('read', {
        matchConstraints: rules(['UPDATE']),
        validations: [
          {
            expression: 'false',
            messageExpression:
              "string(oldObject.spec.replicas) + ' ' + oldObject.metadata.namespace + ' ' + string(oldObject.spec.strategy.type)",
          },
        ],
      }),
      binding('read', {}),
    ];
    const messages = runUpdate([deployment('web', undefined, 3), ...read], [withoutReplicas]).map(
      (d) => d.message,
    );
    expect(messages).toEqual(['1 default RollingUpdate']);
  });

  it('converts the old object to the version the rule matched, as it converts the object', () => {
    const hpa = (version: string, spec: Obj): Obj => ({
      apiVersion: `autoscaling/${version}`,
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...spec },
    });
    const read = [
      policy('hpa', {
        matchConstraints: rules(['UPDATE'], 'autoscaling', 'horizontalpodautoscalers', 'v2'),
        validations: [
          {
            expression: 'false',
            messageExpression:
              "oldObject.apiVersion + ' ' + string(oldObject.spec.metrics[0].resource.target.averageUtilization)",
          },
        ],
      }),
      binding('hpa', {}),
    ];
    const messages = runUpdate(
      [hpa('v2', { minReplicas: 1, maxReplicas: 5 }), ...read],
      [hpa('v1', { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 })],
    ).map((d) => d.message);
    expect(messages).toEqual(['autoscaling/v2 60']);
  });

  it('selects by the labels of either object, as the API server does on an UPDATE', () => {
    const protectedOnly = { objectSelector: { matchLabels: { protected: 'true' } } };
    const keep = [
      policy('keep-protected', {
        matchConstraints: { ...rules(['UPDATE']), ...protectedOnly },
        validations: [
          {
            expression:
              "has(object.metadata.labels) && object.metadata.labels[?'protected'] == optional.of('true')",
            message: 'the protected label may not be removed',
          },
        ],
      }),
      binding('keep-protected', {}),
    ];
    const unlabelled = deployment('web', 'shop', 1);
    const labelled = deployment('web', 'shop', 1, { labels: { protected: 'true' } });
    expect(summarize(runUpdate([unlabelled, ...keep], [labelled]))).toEqual([
      'vap/keep-protected web /metadata/labels/protected error',
    ]);
    expect(runUpdate([labelled, ...keep], [labelled])).toEqual([]);
    expect(runUpdate([unlabelled, ...keep], [unlabelled])).toEqual([]);
    // A binding's own selector reads both objects too.
    const narrowed = [keep[0] as Obj, binding('keep-protected', { matchResources: protectedOnly })];
    expect(summarize(runUpdate([unlabelled, ...narrowed], [labelled]))).toEqual([
      'vap/keep-protected web /metadata/labels/protected error',
    ]);
  });

  it('judges a changed cluster-scoped object, a Namespace, against its old labels', () => {
    const restricted = [
      policy('fixed-tier', {
        matchConstraints: rules(['UPDATE'], '', 'namespaces'),
        validations: [
          {
            expression:
              "!has(object.metadata.labels) || !('tier' in object.metadata.labels) || object.metadata.labels['tier'] == oldObject.metadata.labels['tier']",
            message: 'the tier label is fixed',
          },
        ],
      }),
      binding('fixed-tier', {}),
    ];
    expect(
      summarize(
        runUpdate(
          [namespace('shop', { tier: 'gold' }), ...restricted],
          [namespace('shop', { tier: 'bronze' })],
        ),
      ),
    ).toEqual(['vap/fixed-tier shop /metadata/labels/tier error']);
    expect(
      runUpdate([namespace('shop', { tier: 'gold' }), ...restricted], [namespace('shop', { tier: 'gold' })]),
    ).toEqual([]);
  });
});

describe('vap: a previous object the resources no longer have is judged as a DELETE', () => {
  const protect = (match: Obj = {}) => [
    policy('protect', {
      matchConstraints: { ...rules(['DELETE'], '', 'namespaces'), ...match },
      validations: [
        {
          expression: "object == null && !(oldObject.metadata.?labels[?'protected'].orValue('') == 'true')",
          messageExpression: "'namespace ' + oldObject.metadata.name + ' is protected'",
        },
      ],
    }),
    binding('protect', {}),
  ];

  it('gives no object and the deleted one as oldObject, with the finding on the deleted object', () => {
    const prod = namespace('prod', { protected: 'true' });
    const diagnostics = runUpdate(
      [namespace('shop'), ...protect()],
      [prod, namespace('scratch'), namespace('shop')],
    );
    expect(diagnostics.map((d) => [d.code, d.resource?.name, d.message, d.data?.['operation']])).toEqual([
      [
        'vap/protect',
        'prod',
        'namespace prod is protected (on the DELETE of Namespace prod, which the checked files no longer have)',
        'DELETE',
      ],
    ]);
  });

  it('says DELETE in request, with DeleteOptions, and only DELETE rules see it', () => {
    const seen = [
      policy('request', {
        matchConstraints: rules(['*']),
        validations: [
          { expression: 'false', messageExpression: "request.operation + ' ' + request.options.kind" },
        ],
      }),
      binding('request', {}),
    ];
    const messages = runUpdate(seen, [deployment('gone', 'shop', 1)]).map((d) => d.message);
    expect(messages).toEqual([
      'DELETE DeleteOptions (on the DELETE of Deployment shop/gone, which the checked files no longer have)',
    ]);
    // The scale-down policy names UPDATE only.
    expect(runUpdate(noScaleDown(), [deployment('gone', 'shop', 5)])).toEqual([]);
  });

  it('selects by the old labels only: a DELETE has no object', () => {
    const labelled = namespace('prod', { protected: 'true', keep: 'yes' });
    const on = (selector: Obj) => runUpdate(protect({ objectSelector: selector }), [labelled]).length;
    expect(on({ matchLabels: { protected: 'true' } })).toBe(1);
    expect(on({ matchLabels: { team: 'x' } })).toBe(0);
    // With no object there are no labels to lack: DoesNotExist does not select the missing object.
    expect(on({ matchExpressions: [{ key: 'keep', operator: 'DoesNotExist' }] })).toBe(0);
  });

  it("never shows a deleted or updated Secret's old values", () => {
    const secret = (password: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      data: { password },
    });
    const leak = [
      policy('leak', {
        matchConstraints: rules(['UPDATE', 'DELETE'], '', 'secrets'),
        validations: [{ expression: 'false', messageExpression: "'was ' + oldObject.data.password" }],
      }),
      binding('leak', {}),
    ];
    const old = 'T2xkU2VjcmV0VmFsdWU='; // OldSecretValue
    const messages = [
      ...runUpdate(leak, [secret(old)]).map((d) => d.message),
      ...runUpdate([secret('TmV3U2VjcmV0VmFsdWU='), ...leak], [secret(old)]).map((d) => d.message),
    ];
    expect(messages).toEqual([
      'failed expression: false (on the DELETE of Secret shop/db, which the checked files no longer have)',
      'failed expression: false',
    ]);
  });

  it('sends no DELETE for an object that opts out of pruning (Argo CD, Flux, Helm) or is a hook', () => {
    const any = [
      policy('any', {
        matchConstraints: rules(['DELETE'], '', 'namespaces'),
        validations: [{ expression: 'false' }],
      }),
      binding('any', {}),
    ];
    const gone = (annotations: Obj, labels: Obj = {}) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'prod', annotations, labels },
    });
    const deleted = (annotations: Obj, labels: Obj = {}) =>
      runUpdate(any, [gone(annotations, labels)]).map((d) => d.resource?.name);
    const argo = 'argocd.argoproj.io/sync-options';
    const flux = 'kustomize.toolkit.fluxcd.io/prune';
    expect(deleted({ [argo]: 'Prune=false' })).toEqual([]);
    expect(deleted({ [argo]: 'ServerSideApply=true, Prune=false ' })).toEqual([]);
    expect(deleted({ [flux]: 'disabled' })).toEqual([]);
    expect(deleted({}, { [flux]: 'disabled' })).toEqual([]);
    expect(deleted({ 'helm.sh/resource-policy': 'keep' })).toEqual([]);
    // Hooks are deleted by their own policy, never pruned.
    expect(deleted({ 'argocd.argoproj.io/hook': 'PreSync' })).toEqual([]);
    expect(deleted({ 'helm.sh/hook': 'pre-install' })).toEqual([]);
    // Pruned after a confirmation, or by options that say nothing of pruning: a DELETE.
    expect(deleted({ [argo]: 'Prune=confirm' })).toEqual(['prod']);
    expect(deleted({ [argo]: 'Replace=true,Prune=true' })).toEqual(['prod']);
    expect(deleted({ [flux]: 'enabled' })).toEqual(['prod']);
    expect(deleted({ 'helm.sh/resource-policy': 'delete' })).toEqual(['prod']);
    // Of two objects of one identity the last counts: it opts out, so nothing is deleted.
    expect(runUpdate(any, [gone({}), gone({ [flux]: 'disabled' })])).toEqual([]);
    expect(runUpdate(any, [gone({ [flux]: 'disabled' }), gone({})]).map((d) => d.resource?.name)).toEqual([
      'prod',
    ]);
  });

  it('deletes nothing that is still there, moved or in another namespace spelling, and no policy or binding', () => {
    const previous = [
      deployment('web', undefined, 1),
      ...protect().map((o) => ({ ...o, metadata: { name: 'old-protect' } })),
    ];
    const any = [
      policy('any', { matchConstraints: rules(['DELETE']), validations: [{ expression: 'false' }] }),
      binding('any', {}),
    ];
    expect(runUpdate([deployment('web', 'default', 1), ...any], previous)).toEqual([]);
    expect(summarize(runUpdate(any, previous))).toEqual(['vap/any web (root) error']);
  });
});
